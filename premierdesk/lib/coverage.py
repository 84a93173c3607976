"""Coverage calendars and business-time arithmetic, as pure functions over plain values.

A calendar says which instants are covered. It is built from recurring weekly spans whose ends
are wall-clock times in IANA zones (each end may be in its own zone: the global weekend runs
from Friday 17:00 in Los Angeles to Monday 10:00 in Sydney), holidays (local date ranges) and
exceptions (explicit instants). Everything is computed as sorted, disjoint UTC intervals. The
due-time arithmetic (``add_covered``, ``covered_between``) reads those intervals from a table
kept per calendar value (``CoverageTable``): whole microseconds since 1970 with prefix sums of
covered time, built four weeks at a time as instants are asked about, so a due time costs two
bisections whatever the duration, never a loop over weeks, days or minutes.

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

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property, lru_cache
from zoneinfo import ZoneInfo

WEEK = timedelta(days=7)
DAY = timedelta(days=1)
ZERO = timedelta(0)
MICROSECOND = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Looking further than this for coverage means the calendar covers (almost) nothing (three
# years, rounded up to whole weeks).
SEARCH_LIMIT = 157 * WEEK
SEARCH_LIMIT_US = SEARCH_LIMIT // MICROSECOND
# How much of a calendar's table is built at once: a few weeks costs well under a millisecond,
# and 160 covered hours on a 24x5 calendar rarely reach beyond the next block.
TABLE_BLOCK = 4 * WEEK


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

    def __post_init__(self) -> None:
        # Kept as tuples whatever the caller passed, so that the calendar (and the table
        # cached for it) cannot change behind its back when a list it was given changes.
        for name in (
            "open_spans",
            "closed_spans",
            "holidays",
            "open_exceptions",
            "closed_exceptions",
        ):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @cached_property
    def _table(self) -> CoverageTable:
        # Not a field: no part of the value, of equality or of the hash.
        return _shared_table(self)


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
    between = calendar._table.covered_between(microseconds(start), microseconds(end))
    return timedelta(microseconds=between)


def add_covered(calendar: Calendar, start: datetime, duration: timedelta) -> datetime:
    """The instant (in UTC) at which ``duration`` of covered time has elapsed from ``start``."""
    if duration <= ZERO:
        return start
    at = microseconds(start)
    due = calendar._table.add_covered(at, duration // MICROSECOND, at + SEARCH_LIMIT_US)
    if due is None:
        raise ValueError(f"The calendar {calendar.name!r} covers (almost) no time.")
    return _instant(due)


def microseconds(at: datetime) -> int:
    """An instant as whole microseconds since 1970 UTC (exact: a datetime holds no finer)."""
    return (at - EPOCH) // MICROSECOND


# The interval table ------------------------------------------------------------------------


class _Block:
    """The covered intervals of one block of time, as microseconds since 1970 UTC, each with
    the covered time of the block before its start and through its end."""

    __slots__ = ("before", "closed", "ends", "starts", "through", "total")

    def __init__(self, intervals: Sequence[Interval], closed: Sequence[Interval] = ()) -> None:
        self.closed = tuple(closed)  # what takes time out of the block, with its reasons
        self.starts = [microseconds(i.start) for i in intervals]
        self.ends = [microseconds(i.end) for i in intervals]
        self.before, self.through, total = [], [], 0
        for start, end in zip(self.starts, self.ends, strict=True):
            self.before.append(total)
            total += end - start
            self.through.append(total)
        self.total = total

    def until(self, at: int) -> int:
        """Covered time from the block's start to ``at`` (within the block)."""
        i = bisect_right(self.starts, at) - 1
        if i < 0:
            return 0
        return self.before[i] + min(at, self.ends[i]) - self.starts[i]


class CoverageTable:
    """One calendar's covered intervals, in blocks of ``block`` from ``origin`` on, each block
    built from ``covered`` the first time an instant in it is asked about and kept. Exact: the
    intervals are ``covered``'s own (daylight-saving changes included), only indexed; a block
    boundary cuts an interval in two, which changes no sum and no due time.

    A table depends on nothing but its calendar, which is immutable, so it is never stale: a
    calendar with a holiday more is another value, with its own table. Two threads that build
    the same block at once build the same block."""

    def __init__(
        self, calendar: Calendar, block: timedelta = TABLE_BLOCK, origin: datetime = EPOCH
    ) -> None:
        self.calendar = calendar
        self.size = block // MICROSECOND
        self.origin = microseconds(origin)
        self._blocks: dict[int, _Block] = {}

    def _block(self, k: int) -> _Block:
        found = self._blocks.get(k)
        if found is None:
            start, end = (
                _instant(self.origin + k * self.size),
                _instant(self.origin + (k + 1) * self.size),
            )
            found = _Block(
                covered(self.calendar, start, end), closed_intervals(self.calendar, start, end)
            )
            self._blocks[k] = found
        return found

    def _blocks_of(self, start: int, end: int) -> Iterable[_Block]:
        """The blocks that ``[start, end)`` (not empty) overlaps, in order."""
        k, last = (start - self.origin) // self.size, (end - 1 - self.origin) // self.size
        return (self._block(n) for n in range(k, last + 1))

    def covered_within(self, start: int, end: int) -> list[tuple[int, int]]:
        """The covered intervals of ``[start, end)``, clipped to it, as ``covered`` gives them:
        an interval that a block boundary cut in two is joined again."""
        found: list[tuple[int, int]] = []
        if end <= start:
            return found
        for block in self._blocks_of(start, end):
            for j in range(bisect_right(block.ends, start), len(block.starts)):
                if block.starts[j] >= end:
                    break
                opens, closes = max(block.starts[j], start), min(block.ends[j], end)
                if found and found[-1][1] == opens:
                    found[-1] = (found[-1][0], closes)
                else:
                    found.append((opens, closes))
        return found

    def closed_within(self, start: int, end: int) -> list[Interval]:
        """What takes time out of the calendar within ``[start, end)``, as
        ``closed_intervals`` (an interval that crosses blocks once)."""
        found: dict[Interval, None] = {}
        if end <= start:
            return []
        opens, closes = _instant(start), _instant(end)
        for block in self._blocks_of(start, end):
            found.update(
                dict.fromkeys(i for i in block.closed if i.start < closes and i.end > opens)
            )
        return list(found)

    def covered_between(self, start: int, end: int) -> int:
        """Covered microseconds in ``[start, end)``."""
        if end <= start:
            return 0
        k, last = (start - self.origin) // self.size, (end - self.origin) // self.size
        block = self._block(k)
        total = -block.until(start)
        while k < last:
            total += block.total
            k += 1
            block = self._block(k)
        return total + block.until(end)

    def explain(self, start: datetime, end: datetime) -> list[Piece]:
        """``[start, end)`` cut into counted and not-counted pieces, each gap with the
        reasons of what closed it, read off the table (the intervals ``covered`` and
        ``closed_intervals`` give, without computing them again for every period)."""
        pieces: list[Piece] = []
        if end <= start:
            return pieces
        at, until = microseconds(start), microseconds(end)
        closed = self.closed_within(at, until)
        counted = f"covered by {self.calendar.name}"
        cursor = start
        for opens, closes in self.covered_within(at, until):
            interval_start, interval_end = _instant(opens), _instant(closes)
            if interval_start > cursor:
                pieces.append(_gap(self.calendar, cursor, interval_start, closed))
            pieces.append(Piece(interval_start, interval_end, True, counted))
            cursor = interval_end
        if cursor < end:
            pieces.append(_gap(self.calendar, cursor, end, closed))
        return pieces

    def add_covered(self, start: int, duration: int, limit: int) -> int | None:
        """The instant at which ``duration`` covered microseconds have elapsed from ``start``
        (the closing instant when it is one), or None if that is after ``limit``."""
        if duration <= 0:
            return start
        k = (start - self.origin) // self.size
        block = self._block(k)
        wanted = block.until(start) + duration
        while wanted > block.total:
            wanted -= block.total
            k += 1
            if self.origin + k * self.size >= limit:
                return None
            block = self._block(k)
        j = bisect_left(block.through, wanted)
        due = block.starts[j] + wanted - block.before[j]
        return due if due <= limit else None


@lru_cache(maxsize=256)
def _shared_table(calendar: Calendar) -> CoverageTable:
    """One table per calendar value, so that calendars rebuilt from the same data (a new
    policy revision, a page that reads its office's hours) share what is already built."""
    return CoverageTable(calendar)


def _instant(at: int) -> datetime:
    return EPOCH + timedelta(microseconds=at)


@dataclass(frozen=True)
class Piece:
    """One stretch of an explained period: counted, or paused and why."""

    start: datetime
    end: datetime
    counted: bool
    reason: str


def explain(calendar: Calendar, start: datetime, end: datetime) -> list[Piece]:
    """``[start, end)`` cut into counted and not-counted pieces, each gap with its reasons."""
    return calendar._table.explain(start, end)


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


class Sorted:
    """Intervals in order and not overlapping (as ``covered`` and ``subtract`` give them),
    clipped to many windows by bisection: each window reads the few intervals it meets, not
    all of them (the rota's heatmap clips four weeks to each of its 672 hours)."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self.intervals = list(intervals)
        self.ends = [i.end for i in self.intervals]

    def clip(self, start: datetime, end: datetime) -> list[Interval]:
        """What ``coverage.clip`` gives for ``[start, end)``."""
        found = []
        for interval in self.intervals[bisect_right(self.ends, start) :]:
            if interval.start >= end:
                break
            found.append(
                Interval(max(interval.start, start), min(interval.end, end), interval.reason)
            )
        return found
