"""Who is on duty, derived from each office's working calendar (pure: no database, no clock).

An office is on duty while its calendar covers the instant: its weekly working hours in its own
zone, minus its holidays. Nothing flips a flag at a shift's edge; every question ("who is on
duty now", "who comes on next", "where are the gaps this year") is answered from the calendars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from premierdesk.lib.coverage import Calendar, Interval, covered, subtract, union

LOOKAHEAD = timedelta(days=14)  # no rota leaves every office off for two weeks


@dataclass(frozen=True)
class OfficeHours:
    office_id: int
    name: str
    calendar: Calendar


@dataclass(frozen=True)
class Duty:
    office: OfficeHours
    starts_at: datetime
    ends_at: datetime


def duty_at(office: OfficeHours, at: datetime) -> Duty | None:
    """The office's stretch of duty around ``at``, if it is on duty then."""
    window = covered(office.calendar, at - LOOKAHEAD, at + LOOKAHEAD)
    for interval in window:
        if interval.start <= at < interval.end:
            return Duty(office, interval.start, interval.end)
    return None


def on_duty(offices: Sequence[OfficeHours], at: datetime) -> list[Duty]:
    """The offices on duty at ``at``, the one staying longest first (so a new ticket goes where
    it needs the fewest handovers); ties by name, so the order is always the same."""
    duties = [d for o in offices if (d := duty_at(o, at)) is not None]
    return sorted(duties, key=lambda d: (-d.ends_at.timestamp(), d.office.name))


def next_on_duty(offices: Sequence[OfficeHours], after: datetime) -> Duty | None:
    """The first office to come on duty after ``after`` (ties by name)."""
    starts = []
    for office in offices:
        for interval in covered(office.calendar, after, after + LOOKAHEAD):
            if interval.start > after:
                starts.append(Duty(office, interval.start, interval.end))
                break
    return min(starts, key=lambda d: (d.starts_at, d.office.name), default=None)


def gaps(
    offices: Sequence[OfficeHours], week: Calendar, start: datetime, end: datetime
) -> list[Interval]:
    """Every stretch in ``[start, end)`` that ``week`` (the service's 24x5) covers and no
    office does: the coverage proof. An empty list means the rota holds."""
    staffed: list[Interval] = []
    for office in offices:
        staffed.extend(covered(office.calendar, start, end))
    nobody = subtract(covered(week, start, end), union(staffed))
    return [replace(gap, reason="nobody on duty") for gap in nobody]
