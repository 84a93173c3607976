"""Routing (docs/product/follow-the-sun.md#routing): who a new ticket goes to, at a given instant.

In the 24x5 week: the office on duty that stays longest, skipping offices on a local holiday
(their calendar does not cover the day), and in it the present engineer skilled in the product
with the lightest weighted load. Outside it, a critical ticket goes to the on-call engineer; any
other waits, owned by the office that comes on duty first. Ties break by the engineer's account
id, so the same facts always give the same owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from premierdesk.catalog.models import Level
from premierdesk.lib.coverage import Calendar, covered
from premierdesk.lib.prepared import Prepared
from premierdesk.offices.duty import Duty, OfficeHours, next_on_duty, on_duty
from premierdesk.offices.models import Absence, Engineer, Office, OnCallShift
from premierdesk.sla.policy import policy_for, revise, revision, service_week
from premierdesk.tickets.hooks import Assignment
from premierdesk.tickets.models import OPEN_STATUSES, Ticket

# How much of an engineer's capacity an open ticket takes, by level (policy).
LEVEL_WEIGHT: dict[str, int] = {Level.L1: 4, Level.L2: 3, Level.L3: 2, Level.L4: 1}


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


def _level_weight() -> Case:
    return Case(
        *(When(level=level, then=Value(w)) for level, w in LEVEL_WEIGHT.items()),
        output_field=IntegerField(),
    )


def loads(engineers: list[Engineer]) -> dict[int, int]:
    """Each engineer's weighted load: the open tickets they own, by level."""
    rows = (
        Ticket.objects.filter(owner__in=[e.user_id for e in engineers], status__in=OPEN_STATUSES)
        .values("owner")
        .annotate(load=Sum(_level_weight()))
    )
    found = {row["owner"]: row["load"] for row in rows}
    return {e.pk: found.get(e.user_id, 0) for e in engineers}


def _open_load() -> Coalesce:
    """``loads`` as a subquery of each engineer row (0 when they own nothing open)."""
    owned = (
        Ticket.objects.filter(owner=OuterRef("user_id"), status__in=OPEN_STATUSES)
        .order_by()
        .values("owner")
        .annotate(load=Sum(_level_weight()))
        .values("load")
    )
    return Coalesce(Subquery(owned), Value(0))


def _skilled(product_id: int, at: datetime, leaving_office_id: int) -> QuerySet[Engineer]:
    """The engineers skilled in the product outside the leaving office (0: none leaves), with
    account, office, open load and whether they are away at ``at``."""
    away = Absence.objects.filter(engineer=OuterRef("pk"), starts_at__lte=at, ends_at__gt=at)
    engineers = Engineer.objects.filter(skills__id=product_id).exclude(office_id=leaving_office_id)
    engineers = engineers.annotate(open_load=_open_load(), away=Exists(away))
    return engineers.select_related("user", "office").order_by("user_id")


# Every opening asks this: composed and compiled once (lib.prepared); the ORM took longer to
# compose and compile it than the database to run it, a third of the work of an opening.
_SKILLED = Prepared(_skilled, int, datetime, int)


# This process's office hours, with the policy revision they were read at: the revision moves
# with any change to a calendar (sla.signals) or to an office (offices.apps).
_cached_hours: tuple[str, list[OfficeHours]] | None = None


def office_changed(sender: type, **kwargs: object) -> None:
    """An office was saved or deleted: every process reads the office hours again."""
    revise()


def _office_hours_now() -> list[OfficeHours]:
    """``office_hours()``, read again only when the policy revision has moved."""
    global _cached_hours
    current = revision()
    if current is not None and _cached_hours is not None and _cached_hours[0] == current:
        return _cached_hours[1]
    hours = office_hours()
    if current is not None:
        _cached_hours = (current, hours)
    return hours


def route(
    product_id: int, level: str, at: datetime, *, service_week: Calendar, level_calendar: Calendar
) -> Route:
    """Where a ticket of ``level`` for the product goes at ``at``. ``service_week`` is the
    24x5 week; ``level_calendar`` the ticket's own coverage (24x7 for weekend-critical)."""
    return Router().route(
        product_id, level, at, service_week=service_week, level_calendar=level_calendar
    )


def route_new_ticket(ticket: Ticket, now: datetime) -> Assignment | None:
    """Who a ticket just opened goes to, for ``tickets.actions`` (``tickets.hooks``): by the
    24x5 week and the ticket's own coverage calendar at its level. None: nobody has the skill."""
    found = route(
        ticket.product_id,
        ticket.level,
        now,
        service_week=service_week(),
        level_calendar=policy_for(ticket).calendar_for(ticket.level),
    )
    if found.engineer is None:
        return None
    office_id = found.office.pk if found.office is not None else None
    return Assignment(
        found.engineer.user, office_id, found.engineer.office.name, found.reason, found.office
    )


class Router:
    """The routing rules over data read once: office hours, who is skilled and present, and
    each engineer's load, which it keeps up to date as it gives tickets out. One router serves
    one moment's decisions (a handover of thousands of tickets at an office's end of day asks
    the database a few times, not per ticket); the answers are those ``route`` would give one
    ticket after another."""

    def __init__(self, *, leaving: int | None = None) -> None:
        # The office handing its tickets over (by id) takes none of them back, even while its
        # calendar still says it is on duty (an office closing early).
        self._leaving = leaving
        self._hours: list[OfficeHours] | None = None
        self._skilled: dict[tuple[int, datetime], list[Engineer]] = {}
        self._on_call: dict[datetime, list[Engineer]] = {}
        self._load: dict[int, int] = {}
        self._duty: dict[datetime, list[Duty]] = {}
        # The calendar is kept with its answer so its id cannot be reused by another object.
        self._covering: dict[tuple[int, datetime], tuple[Calendar, bool]] = {}

    def route(
        self,
        product_id: int,
        level: str,
        at: datetime,
        *,
        service_week: Calendar,
        level_calendar: Calendar,
    ) -> Route:
        found = self._find(product_id, level, at, service_week, level_calendar)
        if found.engineer is not None:
            self._load[found.engineer.pk] += LEVEL_WEIGHT.get(level, 1)
        return found

    def released(self, engineer: Engineer, level: str) -> None:
        """A ticket left ``engineer`` (handed over): their load is lighter by its weight."""
        if engineer.pk in self._load:
            self._load[engineer.pk] -= LEVEL_WEIGHT.get(level, 1)

    def _find(
        self,
        product_id: int,
        level: str,
        at: datetime,
        service_week: Calendar,
        level_calendar: Calendar,
    ) -> Route:
        in_week = self._covers(service_week, at)
        if not in_week and self._covers(level_calendar, at):
            found = self._on_call_route(product_id, level, at)
            if found.engineer is not None:
                return found
        if in_week:
            for duty in self._on_duty(at):
                office_id = duty.office.office_id
                chosen = self._lightest(self._skilled_at(product_id, office_id, at), level)
                if chosen is not None:
                    return Route(chosen, chosen.office, f"{duty.office.name} is on duty")
        return self._next_office(product_id, level, at)

    def _covers(self, calendar: Calendar, at: datetime) -> bool:
        # By identity: the callers pass the same calendar objects for every ticket of a run.
        key = (id(calendar), at)
        if key not in self._covering:
            self._covering[key] = (calendar, bool(covered(calendar, at, _later(at))))
        return self._covering[key][1]

    def _on_duty(self, at: datetime) -> list[Duty]:
        if at not in self._duty:
            self._duty[at] = on_duty(self.office_hours(), at)
        return self._duty[at]

    def office_hours(self) -> list[OfficeHours]:
        if self._hours is None:
            self._hours = [h for h in _office_hours_now() if h.office_id != self._leaving]
        return self._hours

    def _lightest(self, engineers: list[Engineer], level: str) -> Engineer | None:
        """The engineer with the lightest load, preferring those with room under their
        maximum; nobody is left without an owner because everyone is full."""
        if not engineers:
            return None
        # ``id``, not ``pk``: ``pk`` is a property looked up through the model's meta, and an
        # end of day asks this for every one of thousands of tickets.
        load = self._load
        unknown = [e for e in engineers if e.id not in load]
        if unknown:
            load.update(loads(unknown))
        weight = LEVEL_WEIGHT.get(level, 1)
        with_room = [e for e in engineers if load[e.id] + weight <= e.max_load]
        return min(with_room or engineers, key=lambda e: (load[e.id], e.user_id))

    def _skilled_at(self, product_id: int, office_id: int | None, at: datetime) -> list[Engineer]:
        """The present engineers skilled in the product (in one office, or anywhere)."""
        key = (product_id, at)
        if key not in self._skilled:
            self._skilled[key] = self._read_skilled(product_id, at)
        return [e for e in self._skilled[key] if office_id is None or e.office_id == office_id]

    def _read_skilled(self, product_id: int, at: datetime) -> list[Engineer]:
        """Every office's present engineers skilled in the product, with their loads: one
        query, however many engineers, offices or tickets."""
        found = _SKILLED.all(product_id, at, self._leaving or 0)
        for engineer in found:
            self._load.setdefault(engineer.id, engineer.open_load)  # type: ignore[attr-defined]
        return [e for e in found if not e.away and e.user.is_active]  # type: ignore[attr-defined]

    def _on_call_route(self, product_id: int, level: str, at: datetime) -> Route:
        if at not in self._on_call:
            shifts = OnCallShift.objects.filter(starts_at__lte=at, ends_at__gt=at)
            engineers = Engineer.objects.filter(on_call__in=shifts).distinct()
            engineers = engineers.select_related("user", "office").prefetch_related("skills")
            self._on_call[at] = _present(list(engineers.order_by("user_id")), at)
        on_call = [e for e in self._on_call[at] if e.office_id != self._leaving]
        skilled = [e for e in on_call if any(p.pk == product_id for p in e.skills.all())]
        chosen = self._lightest(skilled or on_call, level)
        return Route(chosen, chosen.office if chosen else None, "on call over the weekend")

    def _next_office(self, product_id: int, level: str, at: datetime) -> Route:
        following: Duty | None = next_on_duty(self.office_hours(), at)
        if following is not None:
            starts, office_id = following.starts_at, following.office.office_id
            chosen = self._lightest(self._skilled_at(product_id, office_id, starts), level)
            if chosen is not None:
                name = following.office.name
                return Route(chosen, chosen.office, f"{name} comes on duty first")
        chosen = self._lightest(self._skilled_at(product_id, None, at), level)
        if chosen is not None:
            return Route(chosen, chosen.office, "no office on duty has the skill")
        return Route(None, None, "no engineer has the skill")


def _present(engineers: list[Engineer], at: datetime) -> list[Engineer]:
    away = set(
        Absence.objects.filter(
            engineer__in=engineers, starts_at__lte=at, ends_at__gt=at
        ).values_list("engineer_id", flat=True)
    )
    return [e for e in engineers if e.pk not in away and e.user.is_active]


def _later(at: datetime) -> datetime:
    return at + timedelta(seconds=1)
