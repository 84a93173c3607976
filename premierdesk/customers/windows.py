"""Who is a license's active named contact at an instant, derived from approved windows.

Pure functions over plain values: no database, no clock. A window is active from ``starts_at``
(inclusive) to ``ends_at`` (exclusive; None = permanent) unless, at that instant, an active
temporary cover stands in for it (the person on leave is suspended for the cover's window).
Nothing needs to run at a window's edge: the answer for any instant comes from the windows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Window:
    id: int
    person_id: int
    starts_at: datetime
    ends_at: datetime | None = None
    covers_id: int | None = None  # the window of the person on leave, for a temporary cover

    def spans(self, at: datetime) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


def active_at(windows: Iterable[Window], at: datetime) -> list[Window]:
    """The windows active at ``at``: spanning it and not suspended by an active cover."""
    spanning = [w for w in windows if w.spans(at)]
    suspended = {w.covers_id for w in spanning if w.covers_id is not None}
    return [w for w in spanning if w.id not in suspended]


def edges(windows: Iterable[Window], since: datetime) -> list[datetime]:
    """``since`` and every later instant at which the active set can change."""
    instants = {since}
    for window in windows:
        for edge in (window.starts_at, window.ends_at):
            if edge is not None and edge > since:
                instants.add(edge)
    return sorted(instants)


def cut(window: Window, at: datetime) -> Window | None:
    """``window`` removed at ``at``: kept up to ``at``, or None when it had not started by then
    (it never held time, so it is withdrawn rather than shortened to nothing)."""
    if window.starts_at >= at:
        return None
    if window.ends_at is not None and window.ends_at <= at:
        return window
    return Window(window.id, window.person_id, window.starts_at, at, window.covers_id)


@dataclass(frozen=True)
class Peak:
    count: int
    at: datetime


def peak(windows: Sequence[Window], since: datetime) -> Peak:
    """The most windows active at any one instant from ``since`` on, and the first such
    instant. The active count only changes at an edge, so checking the edges is exact."""
    best = Peak(0, since)
    for instant in edges(windows, since):
        count = len(active_at(windows, instant))
        if count > best.count:
            best = Peak(count, instant)
    return best


def first_fit(
    windows: Sequence[Window], candidate: Window, slots: int, since: datetime
) -> datetime | None:
    """Where the slot limit breaks if ``candidate`` is added: the first instant at or after
    ``since`` with more than ``slots`` active windows, or None when it fits everywhere."""
    combined = [*windows, candidate]
    for instant in edges(combined, since):
        if len(active_at(combined, instant)) > slots:
            return instant
    return None


def next_free_slot(windows: Sequence[Window], slots: int, since: datetime) -> datetime | None:
    """The first instant at or after ``since`` with fewer than ``slots`` active windows, or
    None if the license stays full for good."""
    for instant in edges(windows, since):
        if len(active_at(windows, instant)) < slots:
            return instant
    return None


@dataclass(frozen=True)
class Span:
    """A stretch of time with one unchanging set of active windows (``ends_at`` None: for good)."""

    starts_at: datetime
    ends_at: datetime | None
    active: tuple[Window, ...]


def occupancy(windows: Sequence[Window], since: datetime) -> list[Span]:
    """From ``since`` on, the stretches between edges and who is active in each; neighbouring
    stretches with the same people are merged, so each span is one state a person can read."""
    instants = edges(windows, since)
    spans: list[Span] = []
    for start, end in zip(instants, [*instants[1:], None], strict=True):
        active = tuple(active_at(windows, start))
        if spans and {w.id for w in spans[-1].active} == {w.id for w in active}:
            spans[-1] = Span(spans[-1].starts_at, end, spans[-1].active)
        else:
            spans.append(Span(start, end, active))
    return spans
