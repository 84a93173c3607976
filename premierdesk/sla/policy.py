"""From the policy in the database to the plain values the clock engine takes: which calendar
and which targets apply to one ticket, and the defaults a fresh installation starts from."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch

from premierdesk.catalog.models import Level, ResponseTarget
from premierdesk.lib import coverage
from premierdesk.sla import defaults
from premierdesk.sla.clocks import ClockKind, Policy
from premierdesk.sla.models import (
    CalendarRule,
    CalendarSpan,
    CoverageCalendar,
    SlaPolicy,
)
from premierdesk.tickets.models import Ticket

TARGET_FIELDS = {
    ClockKind.FIRST_RESPONSE: "initial_response_minutes",
    ClockKind.NEXT_UPDATE: "next_update_minutes",
    ClockKind.RESOLUTION: "resolution_minutes",
}


@transaction.atomic
def ensure_defaults() -> None:
    """Premier's calendars and rules (SPEC §5) and the SLA policy, when none exist yet."""
    SlaPolicy.objects.get_or_create(
        pk=1,
        defaults={
            "warning_percents": [50, 75],
            "pausing": {k: sorted(v) for k, v in defaults.PAUSING.items()},
        },
    )
    if CalendarRule.objects.exists():
        return
    weekdays, created = CoverageCalendar.objects.get_or_create(
        slug="premier-24x5",
        defaults={
            "name": defaults.PREMIER_24X5.name,
            "always_open": True,
            "description": "All week except the global weekend, Friday 17:00 US Pacific to "
            "Monday 10:00 Sydney.",
        },
    )
    if created:
        _add_global_weekend(weekdays)
    weekend, _ = CoverageCalendar.objects.get_or_create(
        slug="24x7",
        defaults={
            "name": defaults.AROUND_THE_CLOCK.name,
            "always_open": True,
            "description": "Critical levels over the weekend (on-call roster).",
        },
    )
    _add_rules(weekdays, weekend)


def _add_global_weekend(weekdays: CoverageCalendar) -> None:
    span = defaults.GLOBAL_WEEKEND
    CalendarSpan.objects.create(
        calendar=weekdays,
        closes=True,
        start_day=span.start_day,
        start_time=span.start_time,
        start_zone=span.start_zone,
        end_day=span.end_day,
        end_time=span.end_time,
        end_zone=span.end_zone_name,
        label=span.label,
    )


def _add_rules(weekdays: CoverageCalendar, weekend: CoverageCalendar) -> None:
    rules = [
        (weekend_class, level)
        for weekend_class, levels in defaults.WEEKEND_LEVELS.items()
        for level in sorted(levels)
    ]
    for priority, (weekend_class, level) in enumerate(rules, start=1):
        CalendarRule.objects.create(
            priority=priority * 10, calendar=weekend, weekend_class=weekend_class, level=level
        )
    CalendarRule.objects.create(priority=1000, calendar=weekdays)


def _rules() -> list[CalendarRule]:
    calendars = CoverageCalendar.objects.prefetch_related("spans", "holidays", "exceptions")
    return list(CalendarRule.objects.prefetch_related(Prefetch("calendar", queryset=calendars)))


def _matches(rule: CalendarRule, ticket: Ticket, level: str) -> bool:
    return (
        (rule.offering_id is None or rule.offering_id == ticket.license.offering_id)
        and (not rule.level or rule.level == level)
        and (rule.product_id is None or rule.product_id == ticket.product_id)
        and (not rule.weekend_class or rule.weekend_class == ticket.product.weekend_class)
        and (rule.organization_id is None or rule.organization_id == ticket.organization_id)
    )


class NoCalendar(LookupError):
    pass


def policy_for(ticket: Ticket) -> Policy:
    """The clock policy of one ticket: calendars by level from the rules, targets from its
    offering, pauses and warnings from the SLA policy."""
    ensure_defaults()
    rules = _rules()
    calendars: dict[str, coverage.Calendar] = {}
    for level in Level.values:
        rule = next((r for r in rules if _matches(r, ticket, level)), None)
        if rule is None:
            raise NoCalendar(f"No calendar rule matches {ticket.key} at {level}.")
        calendars[level] = rule.calendar.as_calendar()
    targets = {
        t.level: t for t in ResponseTarget.objects.filter(offering_id=ticket.license.offering_id)
    }
    settings = SlaPolicy.objects.get(pk=1)

    def target_for(kind: ClockKind, level: str) -> timedelta | None:
        target = targets.get(level)
        name = TARGET_FIELDS.get(kind)
        minutes = getattr(target, name) if target is not None and name else None
        return None if minutes is None else timedelta(minutes=minutes)

    return Policy(
        calendar_for=calendars.__getitem__,
        target_for=target_for,
        pausing={
            ClockKind(kind): frozenset(statuses) for kind, statuses in settings.pausing.items()
        },
        warnings=tuple(p / 100 for p in settings.warning_percents),
    )


def service_week() -> coverage.Calendar:
    """The service's own week (Premier's 24x5): the calendar of the default rule, the last
    one, with no condition."""
    ensure_defaults()
    default = (
        CalendarRule.objects.filter(
            offering__isnull=True,
            level="",
            product__isnull=True,
            weekend_class="",
            organization__isnull=True,
        )
        .order_by("-priority")
        .prefetch_related("calendar__spans", "calendar__holidays", "calendar__exceptions")
        .first()
    )
    if default is None:
        raise NoCalendar("No default calendar rule: add a rule without conditions.")
    return default.calendar.as_calendar()
