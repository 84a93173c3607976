"""The offices and engineers other areas' pages offer as choices: the ticket queue's filters
and the owner form (``tickets.hooks.engineer_choices`` / ``office_choices``)."""

from __future__ import annotations

from premierdesk.offices.models import Engineer, Office


def engineer_choices() -> list[tuple[str, str]]:
    """Active support engineers as (e-mail, "Name (Office)"), office by office."""
    engineers = (
        Engineer.objects.filter(user__is_active=True)
        .select_related("user", "office")
        .order_by("office__name", "user__full_name")
    )
    return [(e.user.email, f"{e.user.full_name} ({e.office.name})") for e in engineers]


def office_choices() -> list[tuple[str, str]]:
    """Every office as (slug, name)."""
    return list(Office.objects.values_list("slug", "name"))
