"""Coverage calendars and business-time arithmetic, as pure functions over plain values.

A calendar says which instants are covered. It is built from recurring weekly spans whose ends
are wall-clock times in IANA zones (each end may be in its own zone: the global weekend runs
from Friday 17:00 in Los Angeles to Monday 10:00 in Sydney), holidays (local date ranges) and
exceptions (explicit instants). Everything is computed as sorted, disjoint UTC intervals, so
adding 160 covered hours costs a few weeks of intervals, never a loop over minutes or days.

Conventions, fixed here once:

- Intervals are half-open, ``[start, end)``.
- A wall-clock time that does not exist on a day (the clocks jump forward over it) is read
  with the offset in force before the jump, i.e. it lands as far after the jump as it was
  meant to be after the previous hour (02:30 on a spring-forward night is 03:30). A wall time
  that happens twice (the clocks go back) means its first occurrence.
- A span runs from each occurrence of its start to the first occurrence of its end after it.
- ``add_covered(calendar, start, d)`` is the instant at which ``d`` of covered time has
  elapsed since ``start``. When that happens exactly as coverage closes, the due time is the
  closing instant itself (not the next opening): the target was met or missed by then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

WEEK = timedelta(days=7)
DAY = timedelta(days=1)
ZERO = timedelta(0)
# Looking further than this for coverage means the calendar covers (almost) nothing.
SEARCH_LIMIT = timedelta(days=3 * 366)


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def wall_instant(day: date, wall: time, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock time on a local date (conventions above)."""
    return datetime.combine(day, wall, tzinfo=zone(zone_name)).astimezone(UTC)


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime
    reason: str = ""

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class WeeklySpan:
    """A recurring stretch of the week: from ``start_day`` ``start_time`` (Monday = 0) in
    ``start_zone`` to the next ``end_day`` ``end_time`` in ``end_zone`` (default: the same
    zone). Working hours are spans within one zone; the global weekend crosses two."""

    start_day: int
    start_time: time
    start_zone: str
    end_day: int
    end_time: time
    end_zone: str = ""
    label: str = ""

    @property
    def end_zone_name(self) -> str:
        return self.end_zone or self.start_zone

    def occurrences(self, start: datetime, end: datetime) -> list[Interval]:
        """Every occurrence overlapping ``[start, end)``."""
        first = start.astimezone(zone(self.start_zone)).date() - timedelta(days=8)
        last = end.astimezone(zone(self.start_zone)).date() + DAY
        found = []
        day = first + timedelta(days=(self.start_day - first.weekday()) % 7)
        while day <= last:
            opens = wall_instant(day, self.start_time, self.start_zone)
            closes = self._end_after(opens)
            if opens < end and closes > start:
                found.append(Interval(opens, closes, self.label))
            day += WEEK
        return found

    def _end_after(self, opens: datetime) -> datetime:
        end_zone = self.end_zone_name
        day = opens.astimezone(zone(end_zone)).date() - DAY
        day += timedelta(days=(self.end_day - day.weekday()) % 7)
        while True:
            closes = wall_instant(day, self.end_time, end_zone)
            if closes > opens:
                return closes
            day += WEEK


@dataclass(frozen=True)
class Holiday:
    """Local dates ``first`` to ``last`` (inclusive) in ``zone_name``: not covered."""

    first: date
    last: date
    zone_name: str
    label: str = "holiday"

    def interval(self) -> Interval:
        return Interval(
            wall_instant(self.first, time(0), self.zone_name),
            wall_instant(self.last + DAY, time(0), self.zone_name),
            self.label,
        )


@dataclass(frozen=True)
class Calendar:
    """Covered time = (``open_spans``, or all time when ``always_open``) minus ``closed_spans``,
    ``holidays`` and ``closed_exceptions``, plus ``open_exceptions``."""

    name: str
    always_open: bool = False
    open_spans: tuple[WeeklySpan, ...] = ()
    closed_spans: tuple[WeeklySpan, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    open_exceptions: tuple[Interval, ...] = ()
    closed_exceptions: tuple[Interval, ...] = ()
    outside_label: str = field(default="outside working hours")


def covered(calendar: Calendar, start: datetime, end: datetime) -> list[Interval]:
    """The covered intervals within ``[start, end)``: sorted, disjoint, clipped."""
    if end <= start:
        return []
    if calendar.always_open:
        base = [Interval(start, end)]
    else:
        base = union(o for s in calendar.open_spans for o in s.occurrences(start, end))
    result = subtract(base, closed_intervals(calendar, start, end))
    extra = [_clip(i, start, end) for i in calendar.open_exceptions]
    return clip(union([*result, *(i for i in extra if i is not None)]), start, end)


def closed_intervals(calendar: Calendar, start: datetime, end: datetime) -> list[Interval]:
    """What takes time out of the calendar within ``[start, end)``, with its reason."""
    closed = [o for s in calendar.closed_spans for o in s.occurrences(start, end)]
    closed += [h.interval() for h in calendar.holidays]
    closed += list(calendar.closed_exceptions)
    return sorted(
        (i for i in closed if i.start < end and i.end > start), key=lambda i: (i.start, i.end)
    )


def covered_between(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    """How much covered time lies between two instants."""
    return sum((i.length for i in covered(calendar, start, end)), ZERO)


def add_covered(calendar: Calendar, start: datetime, duration: timedelta) -> datetime:
    """The instant at which ``duration`` of covered time has elapsed from ``start``."""
    if duration <= ZERO:
        return start
    remaining, cursor = duration, start
    while cursor - start < SEARCH_LIMIT:
        window_end = cursor + WEEK
        for interval in covered(calendar, cursor, window_end):
            if remaining <= interval.length:
                return interval.start + remaining
            remaining -= interval.length
        cursor = window_end
    raise ValueError(f"The calendar {calendar.name!r} covers (almost) no time.")


@dataclass(frozen=True)
class Piece:
    """One stretch of an explained period: counted, or paused and why."""

    start: datetime
    end: datetime
    counted: bool
    reason: str


def explain(calendar: Calendar, start: datetime, end: datetime) -> list[Piece]:
    """``[start, end)`` cut into counted and not-counted pieces, each gap with its reasons."""
    pieces: list[Piece] = []
    cursor = start
    closed = closed_intervals(calendar, start, end)
    for interval in covered(calendar, start, end):
        if interval.start > cursor:
            pieces.append(_gap(calendar, cursor, interval.start, closed))
        pieces.append(Piece(interval.start, interval.end, True, f"covered by {calendar.name}"))
        cursor = interval.end
    if cursor < end:
        pieces.append(_gap(calendar, cursor, end, closed))
    return pieces


def _gap(calendar: Calendar, start: datetime, end: datetime, closed: list[Interval]) -> Piece:
    reasons = sorted({i.reason for i in closed if i.start < end and i.end > start and i.reason})
    return Piece(start, end, False, ", ".join(reasons) or calendar.outside_label)


# Interval algebra on sorted lists ----------------------------------------------------------


def union(intervals: Iterable[Interval]) -> list[Interval]:
    """The instants in any of ``intervals``, as sorted, disjoint intervals (touching ones
    join; reasons are dropped)."""
    merged: list[Interval] = []
    for interval in sorted(intervals, key=lambda i: (i.start, i.end)):
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(Interval(interval.start, interval.end))
    return merged


def subtract(base: Sequence[Interval], holes: Sequence[Interval]) -> list[Interval]:
    """What of ``base`` no hole covers, each piece keeping its reason; ``holes`` sorted by
    start."""
    result = []
    for interval in base:
        pieces = [interval]
        for hole in holes:
            if hole.start >= interval.end:
                break
            pieces = [p for piece in pieces for p in _cut(piece, hole)]
        result.extend(pieces)
    return result


def _cut(piece: Interval, hole: Interval) -> list[Interval]:
    if hole.end <= piece.start or hole.start >= piece.end:
        return [piece]
    kept = []
    if hole.start > piece.start:
        kept.append(Interval(piece.start, hole.start, piece.reason))
    if hole.end < piece.end:
        kept.append(Interval(hole.end, piece.end, piece.reason))
    return kept


def _clip(interval: Interval, start: datetime, end: datetime) -> Interval | None:
    clipped = Interval(max(interval.start, start), min(interval.end, end), interval.reason)
    return clipped if clipped.start < clipped.end else None


def clip(intervals: Iterable[Interval], start: datetime, end: datetime) -> list[Interval]:
    """The parts of ``intervals`` within ``[start, end)``, in their order, reasons kept."""
    return [c for i in intervals if (c := _clip(i, start, end)) is not None]
