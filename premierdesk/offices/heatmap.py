"""The coverage heatmap (pure: no database): how many offices are on duty in each UTC hour of
some weeks, where the 24x5 week has nobody, and whether the weekend hours have someone on call.

A cell's count is the fewest offices on duty at any moment of its hour, so a cell shows 0
exactly when some of its hour has nobody; the gaps themselves come from ``duty.gaps`` (the
coverage proof), never from the counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from premierdesk.lib.coverage import Calendar, Interval, Sorted, covered, subtract, union
from premierdesk.offices.duty import OfficeHours, gaps

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Cell:
    starts_at: datetime
    count: int  # fewest offices on duty at any moment of the hour
    offices: tuple[str, ...]  # on duty for some of the hour
    in_week: bool  # all of the hour is in the 24x5 week
    gap: bool  # some of the 24x5 week in this hour has nobody on duty
    on_call: tuple[str, ...]  # who is on call in the hour's weekend part
    on_call_covers: bool  # the weekend part of the hour is wholly on call

    @property
    def weekend(self) -> bool:
        return not self.in_week

    @property
    def css(self) -> str:
        """The cell's classes: its count, and a gap or the weekend's on-call state."""
        classes = f"heat c{self.count}"
        if self.gap:
            classes += " gap"
        if self.weekend:
            classes += " weekend " + ("on-call" if self.on_call_covers else "no-on-call")
        return classes

    @property
    def at(self) -> str:
        """The hour's start, ISO 8601 (the cell's ``data-at``)."""
        return self.starts_at.isoformat()

    @property
    def title(self) -> str:
        """Who is on duty in the hour (and on call, at the weekend), for the cell's tooltip."""
        offices = ", ".join(self.offices) or "no office"
        said = f"{self.starts_at:%a %H:%M} UTC: {offices}"
        if self.weekend:
            said += f"; on call: {', '.join(self.on_call) or 'nobody'}"
        return said

    @property
    def text(self) -> str:
        """The count; an empty weekend hour shows whether someone is on call instead."""
        if self.weekend and not self.count:
            return "☎" if self.on_call_covers else "!"
        return str(self.count)


@dataclass(frozen=True)
class Row:
    day: datetime  # 00:00 UTC
    cells: list[Cell]


@dataclass(frozen=True)
class Heatmap:
    rows: list[Row]
    gaps: list[Interval]


def heatmap(
    offices: Sequence[OfficeHours],
    week: Calendar,
    on_call: Sequence[Interval],
    start: datetime,
    days: int,
) -> Heatmap:
    """The grid for ``days`` UTC days from ``start`` (00:00 UTC); ``on_call`` holds the
    on-call shifts, each with the engineer's name as its reason."""
    end = start + days * DAY
    duty = {o.name: Sorted(covered(o.calendar, start, end)) for o in offices}
    needed = Sorted(covered(week, start, end))
    found = gaps(offices, week, start, end)
    in_gaps = Sorted(found)
    rows = []
    for d in range(days):
        day = start + d * DAY
        hours = [day + h * HOUR for h in range(24)]
        rows.append(Row(day, [_cell(at, duty, needed, in_gaps, on_call) for at in hours]))
    return Heatmap(rows, found)


def _cell(
    at: datetime,
    duty: dict[str, Sorted],
    needed: Sorted,
    found: Sorted,
    on_call: Sequence[Interval],
) -> Cell:
    end = at + HOUR
    present = {name: spans.clip(at, end) for name, spans in duty.items()}
    weekend = subtract([Interval(at, end)], needed.clip(at, end))
    callers = [s for s in on_call if s.start < end and s.end > at]
    return Cell(
        starts_at=at,
        count=_fewest(list(present.values()), at, end),
        offices=tuple(sorted(name for name, spans in present.items() if spans)),
        in_week=not weekend,
        gap=bool(found.clip(at, end)),
        on_call=tuple(sorted({s.reason for s in callers})),
        on_call_covers=not subtract(weekend, union(callers)),
    )


def _fewest(per_office: list[list[Interval]], start: datetime, end: datetime) -> int:
    """The fewest offices on duty at any moment of ``[start, end)``."""
    edges = sorted({start, *(e for spans in per_office for i in spans for e in (i.start, i.end))})
    moments = [e for e in edges if start <= e < end]
    return min(
        (sum(any(i.start <= m < i.end for i in spans) for spans in per_office) for m in moments),
        default=0,
    )
