"""Business-time arithmetic against a brute-force oracle that steps minute by minute.

The oracle decides each minute on its own, from the calendar's definition read differently:
an instant is inside a span when the latest start of the span at or before it is not followed
by an end up to it; inside a holiday when its local date is one; and so on. Random calendars,
zones with odd offsets (+05:30) and instants around daylight-saving changes in every zone.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premierdesk.lib.coverage import (
    Calendar,
    Holiday,
    Interval,
    WeeklySpan,
    add_covered,
    clip,
    covered,
    covered_between,
    explain,
    subtract,
    union,
    wall_instant,
)

ZONES = [
    "Australia/Sydney",
    "Asia/Kolkata",
    "Europe/Amsterdam",
    "America/Sao_Paulo",
    "America/Los_Angeles",
    "America/Chicago",
    "UTC",
]
# Days on which some zone above changes its clocks (2026), and ordinary days.
AROUND = [
    date(2026, 3, 8),  # US forward
    date(2026, 3, 29),  # EU forward
    date(2026, 4, 5),  # Sydney back
    date(2026, 10, 4),  # Sydney forward
    date(2026, 10, 25),  # EU back
    date(2026, 11, 1),  # US back
    date(2026, 6, 17),
]
MINUTE = timedelta(minutes=1)


# The oracle -------------------------------------------------------------------------------


class Oracle:
    """Answers "is this minute covered?" for one calendar over a bounded stretch of time."""

    def __init__(self, calendar: Calendar, start: datetime, end: datetime) -> None:
        self.calendar = calendar
        first, last = (start - timedelta(days=10)).date(), (end + timedelta(days=10)).date()
        self.days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        self.open = [self._edges(s) for s in calendar.open_spans]
        self.closed = [self._edges(s) for s in calendar.closed_spans]

    def _edges(self, span: WeeklySpan) -> tuple[list[datetime], list[datetime]]:
        starts = sorted(
            wall_instant(d, span.start_time, span.start_zone)
            for d in self.days
            if d.weekday() == span.start_day
        )
        ends = sorted(
            wall_instant(d, span.end_time, span.end_zone_name)
            for d in self.days
            if d.weekday() == span.end_day
        )
        return starts, ends

    @staticmethod
    def _inside(edges: tuple[list[datetime], list[datetime]], at: datetime) -> bool:
        starts, ends = edges
        k = bisect.bisect_right(starts, at)
        if k == 0:
            return False
        latest_start = starts[k - 1]
        j = bisect.bisect_right(ends, latest_start)
        return j == len(ends) or ends[j] > at

    def covers(self, at: datetime) -> bool:
        calendar = self.calendar
        if any(i.start <= at < i.end for i in calendar.open_exceptions):
            return True
        base = calendar.always_open or any(self._inside(e, at) for e in self.open)
        closed = (
            any(self._inside(e, at) for e in self.closed)
            or any(
                h.first <= at.astimezone(_zone(h.zone_name)).date() <= h.last
                for h in calendar.holidays
            )
            or any(i.start <= at < i.end for i in calendar.closed_exceptions)
        )
        return base and not closed


def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


# Random calendars ---------------------------------------------------------------------------

wall_times = st.integers(0, 95).map(lambda q: time(q // 4, (q % 4) * 15))
zones = st.sampled_from(ZONES)


@st.composite
def spans(draw, *, cross_zone: bool) -> WeeklySpan:
    start_zone = draw(zones)
    end_zone = draw(zones) if cross_zone else start_zone
    start_day = draw(st.integers(0, 6))
    length_days = draw(st.integers(0, 3))
    return WeeklySpan(
        start_day=start_day,
        start_time=draw(wall_times),
        start_zone=start_zone,
        end_day=(start_day + length_days) % 7,
        end_time=draw(wall_times),
        end_zone=end_zone,
        label=draw(st.sampled_from(["weekend", "maintenance", ""])),
    )


@st.composite
def calendars(draw, around: date) -> Calendar:
    always_open = draw(st.booleans())
    holidays = tuple(
        Holiday(
            around + timedelta(days=draw(st.integers(-3, 5))),
            around + timedelta(days=draw(st.integers(5, 7))),
            draw(zones),
            "holiday",
        )
        for _ in range(draw(st.integers(0, 1)))
    )
    anchor = datetime.combine(around, time(0), tzinfo=UTC)
    exceptions = st.builds(
        lambda a, b: Interval(
            anchor + timedelta(minutes=15 * a),
            anchor + timedelta(minutes=15 * (a + b)),
            "exception",
        ),
        st.integers(-100, 500),
        st.integers(1, 200),
    )
    return Calendar(
        name="random",
        always_open=always_open,
        open_spans=tuple(
            draw(st.lists(spans(cross_zone=False), min_size=0 if always_open else 1, max_size=3))
        ),
        closed_spans=tuple(draw(st.lists(spans(cross_zone=True), max_size=2))),
        holidays=holidays,
        open_exceptions=tuple(draw(st.lists(exceptions, max_size=1))),
        closed_exceptions=tuple(draw(st.lists(exceptions, max_size=1))),
    )


@st.composite
def cases(draw):
    around = draw(st.sampled_from(AROUND))
    calendar = draw(calendars(around))
    minutes = draw(st.integers(-3 * 24 * 60, 3 * 24 * 60))
    start = datetime.combine(around, time(0), tzinfo=UTC) + timedelta(minutes=minutes)
    return calendar, start


# Properties -------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(0, 4 * 24 * 60))
def test_covered_time_between_two_instants_matches_the_oracle(case, length):
    calendar, start = case
    end = start + timedelta(minutes=length)
    oracle = Oracle(calendar, start, end)
    counted = sum(1 for m in range(length) if oracle.covers(start + m * MINUTE))
    assert covered_between(calendar, start, end) == counted * MINUTE


@settings(max_examples=150, deadline=None)
@given(cases(), st.integers(1, 3 * 24 * 60))
def test_adding_covered_time_matches_the_oracle(case, duration):
    calendar, start = case
    oracle = Oracle(calendar, start, start + timedelta(days=40))
    elapsed, at = 0, start
    limit = start + timedelta(days=30)
    while elapsed < duration and at < limit:
        elapsed += oracle.covers(at)
        at += MINUTE
    if elapsed < duration:
        return  # the calendar covers too little to be worth stepping through
    assert add_covered(calendar, start, duration * MINUTE) == at


@settings(max_examples=100, deadline=None)
@given(cases(), st.integers(0, 3 * 24 * 60))
def test_explanation_tiles_the_period_and_counts_what_is_covered(case, length):
    calendar, start = case
    end = start + timedelta(minutes=length)
    pieces = explain(calendar, start, end)
    assert [p.start for p in pieces[1:]] == [p.end for p in pieces[:-1]]
    if pieces:
        assert (pieces[0].start, pieces[-1].end) == (start, end)
    assert sum((p.end - p.start for p in pieces if p.counted), timedelta(0)) == covered_between(
        calendar, start, end
    )
    assert all(p.reason for p in pieces)


# Premier's calendars, by hand --------------------------------------------------------------

GLOBAL_WEEKEND = WeeklySpan(
    4, time(17), "America/Los_Angeles", 0, time(10), "Australia/Sydney", "global weekend"
)
PREMIER_24X5 = Calendar("Premier 24x5", always_open=True, closed_spans=(GLOBAL_WEEKEND,))
ALWAYS = Calendar("24x7", always_open=True)


def pacific(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=_zone("America/Los_Angeles"))


def sydney(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=_zone("Australia/Sydney"))


def test_an_l2_opened_friday_1650_pacific_counts_ten_minutes_then_waits_for_monday_sydney():
    opened = pacific(2027, 3, 26, 16, 50)
    due = add_covered(PREMIER_24X5, opened, timedelta(hours=2))
    # 10 minutes before the weekend; the remaining 110 from Monday 10:00 in Sydney.
    assert due == sydney(2027, 3, 29, 10, 0) + timedelta(minutes=110)
    pieces = explain(PREMIER_24X5, opened, due)
    assert [(p.counted, p.reason) for p in pieces] == [
        (True, "covered by Premier 24x5"),
        (False, "global weekend"),
        (True, "covered by Premier 24x5"),
    ]
    assert pieces[0].end - pieces[0].start == timedelta(minutes=10)


def test_an_l1_on_the_24x7_calendar_runs_straight_through_the_weekend():
    opened = pacific(2027, 3, 26, 16, 50)
    assert add_covered(ALWAYS, opened, timedelta(minutes=30)) == opened + timedelta(minutes=30)


def test_the_global_weekend_follows_both_zones_daylight_saving():
    # US on summer time, Sydney just back on standard time (5 April 2026).
    weekend = PREMIER_24X5.closed_spans[0].occurrences(
        pacific(2026, 4, 3, 0), pacific(2026, 4, 7, 0)
    )
    (only,) = weekend
    assert only.start == pacific(2026, 4, 3, 17).astimezone(UTC)
    assert only.end == sydney(2026, 4, 6, 10).astimezone(UTC)
    assert only.end - only.start == timedelta(hours=48)  # Fri 17:00 PDT = Sat 11:00 AEDT...


def test_a_due_time_on_a_closing_instant_is_that_instant():
    friday_1650 = pacific(2027, 3, 26, 16, 50)
    closing = pacific(2027, 3, 26, 17, 0).astimezone(UTC)
    assert add_covered(PREMIER_24X5, friday_1650, timedelta(minutes=10)) == closing


def test_a_calendar_without_coverage_says_so():
    with pytest.raises(ValueError, match="covers \\(almost\\) no time"):
        add_covered(Calendar("never"), datetime(2026, 1, 1, tzinfo=UTC), timedelta(hours=1))


def test_covered_intervals_are_clipped_sorted_and_disjoint():
    start, end = pacific(2027, 3, 26, 12), pacific(2027, 3, 30, 12)
    intervals = covered(PREMIER_24X5, start, end)
    assert intervals[0].start == start.astimezone(UTC)
    assert intervals[-1].end == end.astimezone(UTC)
    assert all(a.end < b.start for a, b in itertools.pairwise(intervals))


def _hours(*spans: tuple[int, int], reason: str = "") -> list[Interval]:
    day = datetime(2027, 3, 1, tzinfo=UTC)
    return [Interval(day + timedelta(hours=a), day + timedelta(hours=b), reason) for a, b in spans]


def test_a_union_joins_overlapping_and_touching_intervals_in_order():
    assert union(_hours((5, 7), (0, 2), (1, 3), (3, 4))) == _hours((0, 4), (5, 7))


def test_subtracting_keeps_what_no_hole_covers_with_its_reason():
    base = _hours((0, 10), (12, 14), reason="needed")
    holes = _hours((1, 2), (2, 3), (9, 13))
    assert subtract(base, holes) == _hours((0, 1), (3, 9), (13, 14), reason="needed")


def test_clipping_keeps_the_parts_inside_the_window():
    window = _hours((2, 6))[0]
    found = clip(_hours((0, 3), (4, 5), (6, 8), reason="shift"), window.start, window.end)
    assert found == _hours((2, 3), (4, 5), reason="shift")
