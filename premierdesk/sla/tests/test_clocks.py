"""SLA clocks from a ticket's history (pure): the scenarios of
docs/product/response-targets-and-coverage.md and the rules for pauses, level changes and
reopening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from premierdesk.lib.coverage import Calendar
from premierdesk.sla.clocks import Clock, ClockKind, Fact, FactKind, Policy, derive_clocks
from premierdesk.sla.defaults import (
    AROUND_THE_CLOCK,
    FIRST_RESPONSE_MINUTES,
    NEXT_UPDATE_MINUTES,
    PAUSING,
    PREMIER_24X5,
    WEEKEND_LEVELS,
    minutes,
)

PACIFIC = ZoneInfo("America/Los_Angeles")
SYDNEY = ZoneInfo("Australia/Sydney")
M = timedelta(minutes=1)


def premier(weekend_class: str) -> Policy:
    def calendar_for(level: str) -> Calendar:
        return AROUND_THE_CLOCK if level in WEEKEND_LEVELS[weekend_class] else PREMIER_24X5

    def target_for(kind: ClockKind, level: str) -> timedelta | None:
        if kind == ClockKind.FIRST_RESPONSE:
            return minutes(FIRST_RESPONSE_MINUTES["premier"][level])
        if kind == ClockKind.NEXT_UPDATE:
            return minutes(NEXT_UPDATE_MINUTES[level])
        return None

    pausing = {ClockKind(kind): statuses for kind, statuses in PAUSING.items()}
    return Policy(calendar_for, target_for, pausing)


BITBUCKET, CONFLUENCE = premier("l1"), premier("l1_l2")
FRIDAY_1650 = datetime(2027, 3, 26, 16, 50, tzinfo=PACIFIC)


def clock(clocks: list[Clock], kind: ClockKind, cycle: int = 1) -> Clock:
    return next(c for c in clocks if c.kind == kind and c.cycle == cycle)


def first_response(opened, level, facts=(), policy=BITBUCKET, now=None) -> Clock:
    clocks = derive_clocks(opened, level, list(facts), policy, now or opened)
    return clock(clocks, ClockKind.FIRST_RESPONSE)


def test_l2_bitbucket_friday_1650_pacific_counts_ten_minutes_then_waits_for_monday_sydney():
    running = first_response(FRIDAY_1650, "L2", now=datetime(2027, 3, 28, 12, tzinfo=UTC))
    monday_10_sydney = datetime(2027, 3, 29, 10, tzinfo=SYDNEY)
    assert running.due_at == monday_10_sydney + 110 * M
    assert running.counted == 10 * M
    assert [(p.counted, p.reason) for p in running.pieces] == [
        (True, "covered by Premier 24x5"),
        (False, "global weekend"),
    ]
    assert running.warnings_at == [monday_10_sydney + 50 * M, monday_10_sydney + 80 * M]


def test_l1_bitbucket_at_the_same_moment_runs_straight_through_the_weekend():
    assert first_response(FRIDAY_1650, "L1").due_at == FRIDAY_1650 + 30 * M


def test_l2_confluence_opened_on_saturday_runs_through_the_weekend():
    saturday = datetime(2027, 3, 27, 9, tzinfo=PACIFIC)
    assert first_response(saturday, "L2", policy=CONFLUENCE).due_at == saturday + 120 * M
    # The same L2 on Bitbucket waits for Monday 10:00 in Sydney.
    bitbucket = first_response(saturday, "L2")
    assert bitbucket.due_at == datetime(2027, 3, 29, 10, tzinfo=SYDNEY) + 120 * M


def test_a_level_change_from_l3_to_l1_after_20_covered_minutes_is_due_10_minutes_later():
    opened = datetime(2027, 3, 24, 9, tzinfo=UTC)  # a Wednesday
    change = opened + 20 * M
    running = first_response(opened, "L3", [Fact(change, FactKind.LEVEL, "L1")], now=change)
    assert running.target == 30 * M
    assert running.due_at == change + 10 * M


def test_a_level_change_keeps_the_counted_time_across_a_pause_of_coverage():
    # L3 on Bitbucket counts 10 minutes on Friday, then the weekend; raised to L1 on Saturday
    # it runs from then on (24x7 for L1) with 20 minutes left.
    saturday = datetime(2027, 3, 27, 12, tzinfo=PACIFIC)
    running = first_response(FRIDAY_1650, "L3", [Fact(saturday, FactKind.LEVEL, "L1")])
    assert running.due_at == saturday + 20 * M


def test_first_response_stops_at_the_first_public_response_and_is_met_or_breached():
    opened = datetime(2027, 3, 24, 9, tzinfo=UTC)
    met = first_response(opened, "L1", [Fact(opened + 25 * M, FactKind.STAFF_RESPONSE)])
    assert (met.stopped_at, met.counted, met.met, met.due_at) == (
        opened + 25 * M,
        25 * M,
        True,
        None,
    )
    late = first_response(opened, "L1", [Fact(opened + 45 * M, FactKind.STAFF_RESPONSE)])
    assert (late.met, late.breached_at) == (False, opened + 30 * M)


def test_a_running_clock_past_its_due_time_shows_when_it_breached():
    opened = datetime(2027, 3, 24, 9, tzinfo=UTC)
    late = first_response(opened, "L1", now=opened + 2 * 60 * M)
    assert (late.breached_at, late.due_at, late.counted) == (
        opened + 30 * M,
        opened + 30 * M,
        120 * M,
    )


def test_waiting_for_the_customer_pauses_the_next_update_clock():
    opened = datetime(2027, 3, 24, 9, tzinfo=UTC)
    comment = opened + 60 * M
    waiting = comment + 30 * M
    answered = waiting + 5 * 60 * M
    facts = [
        Fact(opened + 10 * M, FactKind.STAFF_RESPONSE),
        Fact(comment, FactKind.CUSTOMER_COMMENT),
        Fact(waiting, FactKind.STATUS, "waiting_for_customer"),
        Fact(answered, FactKind.STATUS, "waiting_for_support"),
    ]
    clocks = derive_clocks(opened, "L2", facts, BITBUCKET, answered + 60 * M)
    update = clock(clocks, ClockKind.NEXT_UPDATE)
    assert update.counted == 90 * M  # 30 before the wait, 60 after; the wait is not counted
    assert [p.reason for p in update.pieces if not p.counted] == ["paused: waiting for customer"]
    assert update.due_at == answered + (240 - 30) * M
    wait = clock(clocks, ClockKind.CUSTOMER_WAIT)
    assert (wait.counted, wait.stopped_at) == (5 * 60 * M, answered)


def test_a_paused_clock_has_no_due_time_and_says_why():
    opened = datetime(2027, 3, 24, 9, tzinfo=UTC)
    facts = [
        Fact(opened + 10 * M, FactKind.CUSTOMER_COMMENT),
        Fact(opened + 20 * M, FactKind.STATUS, "waiting_for_customer"),
    ]
    update = clock(
        derive_clocks(opened, "L2", facts, BITBUCKET, opened + 60 * M), ClockKind.NEXT_UPDATE
    )
    assert (update.due_at, update.paused_by) == (None, "waiting_for_customer")


def test_reopening_starts_a_new_resolution_cycle_and_keeps_the_old_one():
    opened = datetime(2027, 3, 24, 9, tzinfo=UTC)
    facts = [
        Fact(opened + 60 * M, FactKind.STATUS, "resolved"),
        Fact(opened + 120 * M, FactKind.STATUS, "waiting_for_support"),
    ]
    clocks = derive_clocks(opened, "L3", facts, BITBUCKET, opened + 180 * M)
    first, second = clock(clocks, ClockKind.RESOLUTION, 1), clock(clocks, ClockKind.RESOLUTION, 2)
    assert (first.counted, first.stopped_at) == (60 * M, opened + 60 * M)
    assert (second.started_at, second.counted, second.running) == (opened + 120 * M, 60 * M, True)


def test_due_times_do_not_move_as_time_passes():
    opened = datetime(2027, 3, 24, 9, tzinfo=UTC)
    early = first_response(opened, "L4", now=opened + M)
    later = first_response(opened, "L4", now=opened + 600 * M)
    assert early.due_at == later.due_at == opened + 1440 * M
