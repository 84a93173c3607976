"""Standby window rules against a brute-force oracle that steps minute by minute.

The oracle reads the rules differently from the code: a window lies in one weekend when every
minute of it has a local date that is a Saturday or Sunday of the same weekend; its length is
the number of minutes stepped; notice is counted in minutes. Random zones (odd offsets, clocks
changing at midnight) and instants around every zone's daylight-saving changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premierdesk.services.windows import (
    Broken,
    StandbyRules,
    Window,
    broken_rule,
    day_start,
    earliest_window,
    weekend_of,
)

RULES = StandbyRules(notice=timedelta(days=21), max_length=timedelta(hours=8))
MINUTE = timedelta(minutes=1)
ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",  # +05:30
    "Pacific/Chatham",  # +12:45, changes at 02:45
    "America/Santiago",  # changes at midnight
    "America/Havana",  # changes at midnight
    "UTC",
]
# Saturdays on or just before the 2026 daylight-saving changes of the zones above, and one
# ordinary weekend.
SATURDAYS = [
    date(2026, 3, 7),
    date(2026, 3, 28),
    date(2026, 4, 4),
    date(2026, 9, 5),
    date(2026, 9, 26),
    date(2026, 10, 3),
    date(2026, 10, 24),
    date(2026, 10, 31),
    date(2026, 6, 13),
]


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def saturday_of(instant: datetime, zone: str) -> date | None:
    day = local(instant, zone).date()
    if day.weekday() == 5:
        return day
    if day.weekday() == 6:
        return day - timedelta(days=1)
    return None


def oracle_broken(window: Window, asked_at: datetime, zone: str) -> set[Broken]:
    """Every rule the window breaks, decided minute by minute."""
    minutes = []
    instant = window.starts_at
    while instant < window.ends_at:
        minutes.append(instant)
        instant += MINUTE
    broken = set()
    if not minutes:
        return {Broken.EMPTY}
    if len(minutes) > 8 * 60:
        broken.add(Broken.TOO_LONG)
    first = saturday_of(minutes[0], zone)
    if first is None:
        broken.add(Broken.NOT_WEEKEND)
    elif any(saturday_of(m, zone) != first for m in minutes):
        broken.add(Broken.CROSSES_MONDAY)
    if (window.starts_at - asked_at) // MINUTE < 21 * 24 * 60:
        broken.add(Broken.TOO_SOON)
    return broken


def aligned(instant: datetime) -> datetime:
    return instant.replace(second=0, microsecond=0)


starts = st.builds(
    lambda saturday, zone, minutes: (
        aligned(datetime.combine(saturday, time(0), tzinfo=UTC)) + timedelta(minutes=minutes),
        zone,
    ),
    st.sampled_from(SATURDAYS),
    st.sampled_from(ZONES),
    st.integers(min_value=-36 * 60, max_value=84 * 60),
)


@settings(max_examples=400, deadline=None)
@given(
    starts,
    st.integers(min_value=-5, max_value=10 * 60),
    st.integers(min_value=20 * 24 * 60, max_value=22 * 24 * 60),
)
def test_broken_rule_matches_the_oracle(start_zone, length_minutes, notice_minutes):
    start, zone = start_zone
    window = Window(start, start + timedelta(minutes=length_minutes))
    asked_at = start - timedelta(minutes=notice_minutes)
    expected = oracle_broken(window, asked_at, zone)
    found = broken_rule(window, asked_at, zone, RULES)
    if found is None:
        assert expected == set()
    else:
        assert found in expected
        # The code reports the first broken rule in its order; all of them are real.
        order = list(Broken)
        assert found == min(expected, key=order.index)


@settings(max_examples=120, deadline=None)
@given(starts, st.integers(min_value=0, max_value=3 * 24 * 60))
def test_earliest_window_is_accepted_and_nothing_earlier_is(start_zone, later_minutes):
    start, zone = start_zone
    asked_at = start - RULES.notice
    not_before = start + timedelta(minutes=later_minutes - 24 * 60)
    found = earliest_window(asked_at, zone, RULES, not_before=not_before)
    assert broken_rule(found, asked_at, zone, RULES) is None
    assert found.starts_at >= not_before
    # Longest possible: 8 hours, or until the weekend ends.
    longer = Window(found.starts_at, found.ends_at + MINUTE)
    assert broken_rule(longer, asked_at, zone, RULES) is not None
    lower = aligned(max(not_before, asked_at + RULES.notice) + timedelta(seconds=59))
    instant = lower
    while instant < found.starts_at:
        one_minute = Window(instant, instant + MINUTE)
        assert oracle_broken(one_minute, asked_at, zone), instant
        instant += MINUTE


def berlin(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/Berlin"))


def check(starts_at: datetime, ends_at: datetime) -> Broken | None:
    window = Window(starts_at.astimezone(UTC), ends_at.astimezone(UTC))
    return broken_rule(window, starts_at - timedelta(days=30), "Europe/Berlin", RULES)


def test_eight_hours_are_elapsed_time_over_the_spring_forward_night():
    # Sunday 29 March 2026: 02:00 becomes 03:00. 00:00 to 09:00 on the clock is 8 real hours.
    assert check(berlin("2026-03-29T00:00"), berlin("2026-03-29T09:00")) is None
    assert check(berlin("2026-03-29T00:00"), berlin("2026-03-29T09:01")) == Broken.TOO_LONG


def test_eight_hours_are_elapsed_time_over_the_fall_back_night():
    # Sunday 25 October 2026: 03:00 becomes 02:00. 00:00 to 08:00 on the clock is 9 real hours.
    assert check(berlin("2026-10-25T00:00"), berlin("2026-10-25T07:00")) is None
    assert check(berlin("2026-10-25T00:00"), berlin("2026-10-25T08:00")) == Broken.TOO_LONG


def test_a_window_may_end_as_monday_begins_but_not_later():
    assert check(berlin("2026-06-14T16:00"), berlin("2026-06-15T00:00")) is None
    assert check(berlin("2026-06-14T20:00"), berlin("2026-06-15T00:01")) == Broken.CROSSES_MONDAY


def test_friday_evening_is_not_the_weekend():
    assert check(berlin("2026-06-12T22:00"), berlin("2026-06-13T02:00")) == Broken.NOT_WEEKEND


def test_the_weekend_is_the_organizations_own():
    # Saturday 01:00 in Berlin is still Friday in New York.
    start = berlin("2026-06-13T01:00").astimezone(UTC)
    assert weekend_of(start, "Europe/Berlin") is not None
    assert weekend_of(start, "America/New_York") is None


def test_a_day_without_midnight_starts_when_the_clocks_jump():
    # Havana, Sunday 8 March 2026: 00:00 becomes 01:00.
    first = day_start(date(2026, 3, 8), "America/Havana")
    assert first.astimezone(ZoneInfo("America/Havana")).time() == time(1, 0)
    assert (first - MINUTE).astimezone(ZoneInfo("America/Havana")).date() == date(2026, 3, 7)


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        # Wednesday: 21 days on is a Wednesday, so the Saturday after, from 00:00.
        ("2026-05-20T12:00", ("2026-06-13T00:00", "2026-06-13T08:00")),
        # Saturday 10:00: three weeks on, same time, for 8 hours.
        ("2026-05-23T10:00", ("2026-06-13T10:00", "2026-06-13T18:00")),
        # Sunday 20:00: three weeks on, until Monday begins.
        ("2026-05-24T20:00", ("2026-06-14T20:00", "2026-06-15T00:00")),
    ],
)
def test_earliest_window_examples(asked, expected):
    found = earliest_window(berlin(asked).astimezone(UTC), "Europe/Berlin", RULES)
    assert (found.starts_at, found.ends_at) == (berlin(expected[0]), berlin(expected[1]))
