"""The demo rota: holiday duty wherever the offices' public holidays would leave the 24x5 week
uncovered, and the weekend on-call roster, both planned from the coverage proof itself.

Holiday duty: the proof (``duty.gaps``) finds each stretch nobody covers; for each, the office
whose ordinary working hours would cover most of it agrees to staff it (an open exception on
its calendar, "holiday duty (<the holiday>)"), until nothing is left; the proof is then run
again and must come out empty. On call: every stretch the 24x5 week leaves out (the global
weekend) gets a team of engineers from different offices whose skills together cover every
product that is critical over the weekend, a different team each weekend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record
from premierdesk.calendars.models import CalendarException
from premierdesk.catalog.models import Level, Product
from premierdesk.lib.coverage import (
    Calendar,
    Interval,
    closed_intervals,
    covered,
    subtract,
    union,
)
from premierdesk.offices.duty import OfficeHours, gaps
from premierdesk.offices.models import Engineer, Office, OnCallShift
from premierdesk.offices.routing import office_hours
from premierdesk.sla.defaults import WEEKEND_LEVELS
from premierdesk.sla.policy import service_week

LABEL_LENGTH = 100  # CalendarException.label


class RotaHasGaps(RuntimeError):
    """The demo's offices cannot cover the 24x5 week even with holiday duty."""


@dataclass(frozen=True)
class HolidayDuty:
    office: OfficeHours
    interval: Interval  # its reason names the holiday


@dataclass(frozen=True)
class Member:
    """An engineer as the on-call planner sees them."""

    engineer_id: int
    office_id: int
    skills: frozenset[int]


# ---- holiday duty (pure) ----------------------------------------------------------------


def holiday_duties(
    offices: Sequence[OfficeHours], week: Calendar, start: datetime, end: datetime
) -> list[HolidayDuty]:
    """Who staffs each gap of ``[start, end)``: the office whose ordinary hours cover most of
    what is left, again until the gap is filled (or no office's hours reach it)."""
    duties: list[HolidayDuty] = []
    for gap in gaps(offices, week, start, end):
        duties.extend(_fill(gap, offices))
    return duties


def _fill(gap: Interval, offices: Sequence[OfficeHours]) -> list[HolidayDuty]:
    left, found = [gap], []
    while left:
        best = max(offices, key=lambda o: (_reach(o, left), _name_order(o)), default=None)
        if best is None or not _reach(best, left):
            break
        pieces = [p for i in left for p in covered(_ordinary(best), i.start, i.end)]
        found += [HolidayDuty(best, replace(p, reason=_holiday_of(best, p))) for p in pieces]
        left = subtract(left, union(pieces))
    return found


def _name_order(office: OfficeHours) -> tuple[int, ...]:
    return tuple(-ord(c) for c in office.name)  # ties: the name first in the alphabet


def _ordinary(office: OfficeHours) -> Calendar:
    """The office's weekly hours without its holidays and closures."""
    return replace(office.calendar, holidays=(), closed_exceptions=())


def _reach(office: OfficeHours, left: list[Interval]) -> float:
    hours = _ordinary(office)
    return sum(p.length.total_seconds() for i in left for p in covered(hours, i.start, i.end))


def _holiday_of(office: OfficeHours, piece: Interval) -> str:
    names = [
        h.label
        for h in office.calendar.holidays
        if h.interval().start < piece.end and h.interval().end > piece.start
    ]
    return f"holiday duty ({', '.join(names)})"[:LABEL_LENGTH] if names else "holiday duty"


# ---- on call (pure) ---------------------------------------------------------------------


def on_call_teams(
    members: Sequence[Member], needed: frozenset[int], weekends: int
) -> list[list[Member]]:
    """One team per weekend: engineers whose skills together cover ``needed``, those who
    served fewest weekends first, from as many offices as possible."""
    order = _interleaved(members)
    served = dict.fromkeys(order, 0)
    teams = []
    for _ in range(weekends):
        team = _team(order, needed, served)
        for member in team:
            served[member] += 1
        teams.append(team)
    return teams


def _interleaved(members: Sequence[Member]) -> list[Member]:
    """The first engineer of each office, then the second of each, ...: so that equal turns
    go round the offices."""
    by_office: dict[int, list[Member]] = {}
    for member in sorted(members, key=lambda m: m.engineer_id):
        by_office.setdefault(member.office_id, []).append(member)
    rows = max((len(v) for v in by_office.values()), default=0)
    return [v[r] for r in range(rows) for v in by_office.values() if r < len(v)]


def _team(order: list[Member], needed: frozenset[int], served: dict[Member, int]) -> list[Member]:
    """The engineer with fewest turns leads; then whoever adds most missing skills (fewest
    turns, another office, on ties) until the team knows every product."""
    team: list[Member] = []
    missing = set(needed)
    while missing:
        offices = {m.office_id for m in team}
        candidates = [m for m in order if m not in team and m.skills & missing]
        if not candidates:
            break
        best = min(candidates, key=lambda m: _preference(m, team, missing, served, offices))
        team.append(best)
        missing -= best.skills
    return team


def _preference(
    member: Member,
    team: list[Member],
    missing: set[int],
    served: dict[Member, int],
    offices: set[int],
) -> tuple[int, ...]:
    gain = -len(member.skills & missing)
    if not team:
        return (served[member], gain)
    return (gain, served[member], member.office_id in offices)


# ---- loading ----------------------------------------------------------------------------


def plan_holiday_duty(admin: User, start: datetime, end: datetime) -> int:
    """Add the holiday duty ``[start, end)`` needs to the offices' calendars and prove the
    rota holds; returns how many stretches of holiday duty were added."""
    week = service_week()
    duties = holiday_duties(office_hours(), week, start, end)
    calendars = _calendar_ids()
    CalendarException.objects.bulk_create(
        CalendarException(
            calendar_id=calendars[d.office.office_id],
            opens=True,
            starts_at=d.interval.start,
            ends_at=d.interval.end,
            label=d.interval.reason,
        )
        for d in duties
    )
    left = gaps(office_hours(), week, start, end)
    if left:
        raise RotaHasGaps(
            f"The demo rota still has {len(left)} gaps, the first at {left[0].start}."
        )
    why = f"{len(duties)} stretches of holiday duty close every gap in the 24x5 week."
    record(admin, "demo.holiday_duty_planned", reason=why)
    return len(duties)


def _calendar_ids() -> dict[int, int]:
    return dict(Office.objects.filter(calendar__isnull=False).values_list("pk", "calendar_id"))


def plan_on_call(admin: User, start: datetime, end: datetime) -> int:
    """An on-call team for every stretch of ``[start, end)`` outside the 24x5 week; returns
    how many shifts were added."""
    weekends = closed_intervals(service_week(), start, end)
    teams = on_call_teams(_members(), _weekend_critical_products(), len(weekends))
    shifts = [
        OnCallShift(engineer_id=m.engineer_id, starts_at=w.start, ends_at=w.end)
        for w, team in zip(weekends, teams, strict=True)
        for m in team
    ]
    OnCallShift.objects.bulk_create(shifts)
    why = f"{len(shifts)} on-call shifts cover {len(weekends)} weekends."
    record(admin, "demo.on_call_planned", reason=why)
    return len(shifts)


def _members() -> list[Member]:
    engineers = Engineer.objects.prefetch_related("skills").order_by("pk")
    return [Member(e.pk, e.office_id, frozenset(p.pk for p in e.skills.all())) for e in engineers]


def _weekend_critical_products() -> frozenset[int]:
    products = Product.objects.filter(covered=True)
    return frozenset(p.pk for p in products if Level.L1 in WEEKEND_LEVELS.get(p.weekend_class, ()))
