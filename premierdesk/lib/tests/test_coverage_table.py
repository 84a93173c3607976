"""The interval table behind ``add_covered`` and ``covered_between`` against the walk it
replaced: ``covered`` a week at a time from the start, summed interval by interval. Random
calendars (those of test_coverage), block lengths and block origins, so block boundaries fall
anywhere, daylight-saving changes of every zone included; instants to the microsecond."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premierdesk.lib.coverage import (
    EPOCH,
    SEARCH_LIMIT,
    Calendar,
    CoverageTable,
    Holiday,
    Interval,
    Piece,
    add_covered,
    closed_intervals,
    covered,
    covered_between,
    explain,
    microseconds,
)
from premierdesk.lib.tests.test_coverage import AROUND, PREMIER_24X5, ZONES, calendars

ZERO = timedelta(0)
WEEK = timedelta(days=7)


# The walk it replaced ----------------------------------------------------------------------


def walked_add(calendar: Calendar, start: datetime, duration: timedelta) -> datetime | None:
    """The former ``add_covered``: ``covered`` one week at a time (None where it raised)."""
    if duration <= ZERO:
        return start
    remaining, cursor = duration, start
    while cursor - start < timedelta(days=3 * 366):
        window_end = cursor + WEEK
        for interval in covered(calendar, cursor, window_end):
            if remaining <= interval.length:
                return interval.start + remaining
            remaining -= interval.length
        cursor = window_end
    return None


def walked_between(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    return sum((i.length for i in covered(calendar, start, end)), ZERO)


def walked_explain(calendar: Calendar, start: datetime, end: datetime) -> list[Piece]:
    """The former ``explain``: ``covered`` and ``closed_intervals`` of the whole period."""
    pieces: list[Piece] = []
    cursor, closed = start, closed_intervals(calendar, start, end)

    def gap(opens: datetime, closes: datetime) -> Piece:
        reasons = {i.reason for i in closed if i.start < closes and i.end > opens and i.reason}
        return Piece(opens, closes, False, ", ".join(sorted(reasons)) or calendar.outside_label)

    for interval in covered(calendar, start, end):
        if interval.start > cursor:
            pieces.append(gap(cursor, interval.start))
        pieces.append(Piece(interval.start, interval.end, True, f"covered by {calendar.name}"))
        cursor = interval.end
    if cursor < end:
        pieces.append(gap(cursor, end))
    return pieces


def table_add(table: CoverageTable, start: datetime, duration: timedelta) -> datetime | None:
    at = microseconds(start)
    due = table.add_covered(at, duration // MICROSECOND, at + SEARCH_LIMIT // MICROSECOND)
    return None if due is None else EPOCH + timedelta(microseconds=due)


# Block boundaries anywhere, and on daylight-saving changes ---------------------------------


def _changes(day: date) -> list[datetime]:
    """The instants near ``day`` at which one of ZONES changes its offset."""
    found = []
    for name in ZONES:
        tz = ZoneInfo(name)
        at = datetime.combine(day - timedelta(days=1), time(0), tzinfo=UTC)
        for _ in range(3 * 24 * 4):
            after = at + timedelta(minutes=15)
            if at.astimezone(tz).utcoffset() != after.astimezone(tz).utcoffset():
                found.append(after)
            at = after
    return found


CHANGES = sorted({c for day in AROUND for c in _changes(day)})
MICROSECOND = timedelta(microseconds=1)


@st.composite
def tables(draw, calendar: Calendar, around: date) -> CoverageTable:
    """A table of blocks of 6 hours to 10 days whose boundaries fall on a daylight-saving
    change near ``around`` (or a microsecond after one), or anywhere near it."""
    block = timedelta(minutes=draw(st.integers(6 * 60, 10 * 24 * 60)))
    near = [c for c in CHANGES if abs(c.date() - around) <= timedelta(days=2)]
    if near and draw(st.booleans()):
        origin = draw(st.sampled_from(near))
    else:
        anchor = datetime.combine(around, time(0), tzinfo=UTC)
        origin = anchor + timedelta(minutes=draw(st.integers(-10 * 24 * 60, 10 * 24 * 60)))
    origin += draw(st.sampled_from([ZERO, MICROSECOND]))
    return CoverageTable(calendar, block, origin)


@st.composite
def cases(draw):
    around = draw(st.sampled_from(AROUND))
    calendar = draw(calendars(around))
    table = draw(tables(calendar, around))
    anchor = datetime.combine(around, time(0), tzinfo=UTC)
    start = anchor + timedelta(minutes=draw(st.integers(-3 * 24 * 60, 3 * 24 * 60)))
    start += draw(st.sampled_from([ZERO, MICROSECOND, timedelta(seconds=59)]))
    return calendar, table, start


durations = st.builds(
    lambda minutes, micro: timedelta(minutes=minutes, microseconds=micro),
    st.integers(0, 3 * 7 * 24 * 60),
    st.sampled_from([0, 1, 999_999]),
)


@settings(max_examples=200, deadline=None)
@given(cases(), durations)
def test_the_table_adds_covered_time_as_the_weekly_walk_did(case, duration):
    calendar, table, start = case
    assert table_add(table, start, duration) == walked_add(calendar, start, duration)


@settings(max_examples=200, deadline=None)
@given(cases(), durations)
def test_the_table_measures_covered_time_as_the_sum_of_intervals_did(case, length):
    calendar, table, start = case
    end = start + length
    between = table.covered_between(microseconds(start), microseconds(end))
    assert timedelta(microseconds=between) == walked_between(calendar, start, end)


@settings(max_examples=150, deadline=None)
@given(cases(), durations)
def test_the_calendars_own_table_answers_as_the_walk_did(case, duration):
    calendar, _, start = case
    due = walked_add(calendar, start, duration)
    if due is None:
        with pytest.raises(ValueError, match="covers \\(almost\\) no time"):
            add_covered(calendar, start, duration)
        return
    assert add_covered(calendar, start, duration) == due
    assert covered_between(calendar, start, due) == walked_between(calendar, start, due)


@settings(max_examples=200, deadline=None)
@given(cases(), durations)
def test_the_table_explains_a_period_as_covered_and_closed_intervals_did(case, length):
    calendar, table, start = case
    end = start + length
    assert table.explain(start, end) == walked_explain(calendar, start, end)
    assert explain(calendar, start, end) == walked_explain(calendar, start, end)


# Any instant, and the search limit ---------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        datetime(1961, 3, 24, 23, 59, 59, 999_999, tzinfo=UTC),  # before the table's origin
        datetime(2027, 3, 26, 23, 50, tzinfo=UTC),
        datetime(2099, 12, 30, 12, tzinfo=UTC),
    ],
)
def test_instants_far_from_each_other_and_from_1970_are_answered_exactly(start):
    for hours in (1, 8, 40, 160, 2000):
        duration = timedelta(hours=hours)
        due = add_covered(PREMIER_24X5, start, duration)
        assert due == walked_add(PREMIER_24X5, start, duration)
        assert covered_between(PREMIER_24X5, start, due) == duration


def test_coverage_found_just_within_the_search_limit_counts_and_just_beyond_it_does_not():
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    hour = timedelta(hours=1)
    last = Interval(start + SEARCH_LIMIT - hour, start + SEARCH_LIMIT)
    within = Calendar("one hour", open_exceptions=(last,))
    assert (
        add_covered(within, start, hour) == start + SEARCH_LIMIT == walked_add(within, start, hour)
    )
    later = Interval(last.start + timedelta(microseconds=1), last.end + timedelta(microseconds=1))
    beyond = Calendar("one hour, a microsecond later", open_exceptions=(later,))
    assert walked_add(beyond, start, hour) is None
    with pytest.raises(ValueError, match="covers \\(almost\\) no time"):
        add_covered(beyond, start, hour)


# Never a stale table -----------------------------------------------------------------------


def test_a_holiday_added_to_a_calendar_whose_table_is_built_moves_the_due_time():
    friday = datetime(2027, 7, 2, 12, tzinfo=UTC)
    before = add_covered(PREMIER_24X5, friday, timedelta(hours=40))
    independence = Holiday(date(2027, 7, 5), date(2027, 7, 5), "America/Los_Angeles")
    with_holiday = replace(PREMIER_24X5, holidays=(independence,))
    after = add_covered(with_holiday, friday, timedelta(hours=40))
    assert after - before == timedelta(hours=24)
    assert add_covered(PREMIER_24X5, friday, timedelta(hours=40)) == before


def test_a_calendar_keeps_what_it_was_given_when_the_callers_list_changes_later():
    monday = Holiday(date(2027, 7, 5), date(2027, 7, 5), "America/Los_Angeles")
    holidays = [monday]
    calendar = Calendar(
        "24x5",
        always_open=True,
        closed_spans=PREMIER_24X5.closed_spans,
        holidays=holidays,  # type: ignore[arg-type]
    )
    friday = datetime(2027, 7, 2, 12, tzinfo=UTC)
    due = add_covered(calendar, friday, timedelta(hours=40))
    holidays.append(Holiday(date(2027, 7, 6), date(2027, 7, 6), "America/Los_Angeles"))
    assert calendar.holidays == (monday,)
    assert add_covered(calendar, friday, timedelta(hours=40)) == due


def test_calendars_rebuilt_from_the_same_data_share_one_table():
    # Both built here: another test's hundreds of random calendars may have pushed a
    # module-level calendar's table out of the shared cache since it was first read.
    first = Calendar("Shared 24x5", always_open=True, closed_spans=PREMIER_24X5.closed_spans)
    rebuilt = Calendar("Shared 24x5", always_open=True, closed_spans=PREMIER_24X5.closed_spans)
    assert rebuilt == first
    assert rebuilt is not first
    assert rebuilt._table is first._table


def test_an_instant_in_a_zone_with_daylight_saving_is_measured_as_an_instant():
    # Los Angeles moves its clocks forward on Sunday 8 March 2026: a real day, 23 wall hours.
    saturday = datetime(2026, 3, 7, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
    always = Calendar("24x7", always_open=True)
    due = add_covered(always, saturday, timedelta(hours=24))
    assert due == saturday.astimezone(UTC) + timedelta(hours=24)
    assert due.tzinfo is UTC
    sunday_noon = datetime(2026, 3, 8, 12, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert covered_between(always, saturday, sunday_noon) == timedelta(hours=23)
