"""Routing (SPEC §6): who a new ticket goes to, at a given instant.

In the 24x5 week: the office on duty that stays longest, skipping offices on a local holiday
(their calendar does not cover the day), and in it the present engineer skilled in the product
with the lightest weighted load. Outside it, a critical ticket goes to the on-call engineer; any
other waits, owned by the office that comes on duty first. Ties break by the engineer's account
id, so the same facts always give the same owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Sum, Value, When

from premierdesk.lib.coverage import Calendar, covered
from premierdesk.offices.duty import Duty, OfficeHours, next_on_duty, on_duty
from premierdesk.offices.models import Absence, Engineer, Office, OnCallShift
from premierdesk.tickets.models import OPEN_STATUSES, Ticket

# How much of an engineer's capacity an open ticket takes, by level (policy).
LEVEL_WEIGHT = {"L1": 4, "L2": 3, "L3": 2, "L4": 1}


@dataclass(frozen=True)
class Route:
    engineer: Engineer | None
    office: Office | None
    reason: str


def office_hours() -> list[OfficeHours]:
    offices = Office.objects.filter(calendar__isnull=False).select_related("calendar")
    offices = offices.prefetch_related(
        "calendar__spans", "calendar__holidays", "calendar__exceptions"
    )
    return [OfficeHours(o.pk, o.name, o.calendar.as_calendar()) for o in offices if o.calendar]


def loads(engineers: list[Engineer]) -> dict[int, int]:
    """Each engineer's weighted load: the open tickets they own, by level."""
    weight = Case(
        *(When(level=level, then=Value(w)) for level, w in LEVEL_WEIGHT.items()),
        output_field=IntegerField(),
    )
    rows = (
        Ticket.objects.filter(owner__in=[e.user_id for e in engineers], status__in=OPEN_STATUSES)
        .values("owner")
        .annotate(load=Sum(weight))
    )
    found = {row["owner"]: row["load"] for row in rows}
    return {e.pk: found.get(e.user_id, 0) for e in engineers}


def _present(engineers: list[Engineer], at: datetime) -> list[Engineer]:
    away = set(
        Absence.objects.filter(
            engineer__in=engineers, starts_at__lte=at, ends_at__gt=at
        ).values_list("engineer_id", flat=True)
    )
    return [e for e in engineers if e.pk not in away and e.user.is_active]


def lightest(engineers: list[Engineer], level: str) -> Engineer | None:
    """The engineer with the lightest load, preferring those with room under their maximum;
    nobody is left without an owner because everyone is full."""
    if not engineers:
        return None
    load = loads(engineers)
    weight = LEVEL_WEIGHT.get(level, 1)
    with_room = [e for e in engineers if load[e.pk] + weight <= e.max_load]
    return min(with_room or engineers, key=lambda e: (load[e.pk], e.user_id))


def _skilled(product_id: int, at: datetime, **where: object) -> list[Engineer]:
    engineers = Engineer.objects.filter(skills__id=product_id, **where).select_related(
        "user", "office"
    )
    return _present(list(engineers.order_by("user_id")), at)


def route(
    product_id: int, level: str, at: datetime, *, service_week: Calendar, level_calendar: Calendar
) -> Route:
    """Where a ticket of ``level`` for the product goes at ``at``. ``service_week`` is the
    24x5 week; ``level_calendar`` the ticket's own coverage (24x7 for weekend-critical)."""
    in_week = bool(covered(service_week, at, _later(at)))
    if not in_week and covered(level_calendar, at, _later(at)):
        found = _on_call(product_id, level, at)
        if found.engineer is not None:
            return found
    offices = office_hours()
    if in_week:
        for duty in on_duty(offices, at):
            chosen = lightest(_skilled(product_id, at, office_id=duty.office.office_id), level)
            if chosen is not None:
                return Route(chosen, chosen.office, f"{duty.office.name} is on duty")
    return _next_office(offices, product_id, level, at)


def _on_call(product_id: int, level: str, at: datetime) -> Route:
    shifts = OnCallShift.objects.filter(starts_at__lte=at, ends_at__gt=at)
    on_call = list(
        Engineer.objects.filter(on_call__in=shifts).select_related("user", "office").distinct()
    )
    on_call = _present(on_call, at)
    skilled = [e for e in on_call if e.skills.filter(pk=product_id).exists()]
    chosen = lightest(skilled or on_call, level)
    return Route(chosen, chosen.office if chosen else None, "on call over the weekend")


def _next_office(offices: list[OfficeHours], product_id: int, level: str, at: datetime) -> Route:
    following: Duty | None = next_on_duty(offices, at)
    if following is not None:
        starts = following.starts_at
        chosen = lightest(_skilled(product_id, starts, office_id=following.office.office_id), level)
        if chosen is not None:
            return Route(chosen, chosen.office, f"{following.office.name} comes on duty first")
    chosen = lightest(_skilled(product_id, at), level)
    if chosen is not None:
        return Route(chosen, chosen.office, "no office on duty has the skill")
    return Route(None, None, "no engineer has the skill")


def _later(at: datetime) -> datetime:
    return at + timedelta(seconds=1)
