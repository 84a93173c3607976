"""Reading offices and follow the sun: the offices and engineers other areas' pages offer as
choices (the ticket queue's filters and the owner form, ``tickets.hooks.engineer_choices`` /
``office_choices``), which tickets an office's end of day hands over, and which handover note
goes with each. The handover itself (``offices.actions``) and My handovers (``offices.mine``)
both ask these."""

from __future__ import annotations

from datetime import datetime, timedelta

from premierdesk.offices.models import Engineer, HandoverNote, Office
from premierdesk.tickets.models import OPEN_STATUSES, Ticket
from premierdesk.tickets.rules import FOLLOWS_THE_SUN


def engineer_choices() -> list[tuple[str, str]]:
    """Active support engineers as (e-mail, "Name (Office)"), office by office."""
    engineers = (
        Engineer.objects.filter(user__is_active=True)
        .order_by("office__name", "user__full_name")
        .values_list("user__email", "user__full_name", "office__name")
    )
    return [(email, f"{name} ({office})") for email, name, office in engineers]


def office_choices() -> list[tuple[str, str]]:
    """Every office as (slug, name)."""
    return list(Office.objects.values_list("slug", "name"))


def critical_tickets_of(office: Office) -> list[int]:
    """The open tickets owned in ``office`` that follow the sun, by id."""
    tickets = Ticket.objects.filter(
        FOLLOWS_THE_SUN, status__in=OPEN_STATUSES, owner__engineer__office=office
    )
    return list(tickets.order_by("pk").values_list("pk", flat=True))


def notes_for(tickets: list[Ticket], boundary: datetime) -> dict[int, HandoverNote]:
    """Each ticket's latest note by its owner from the day before the boundary; an older one
    says nothing about today."""
    owners = {t.pk: t.owner_id for t in tickets}
    found: dict[int, HandoverNote] = {}
    notes = HandoverNote.objects.filter(
        ticket__among=list(owners), written_at__gte=boundary - timedelta(hours=24)
    ).order_by("ticket", "-written_at", "-id")
    for note in notes:
        if note.author_id == owners[note.ticket_id]:
            found.setdefault(note.ticket_id, note)
    return found
