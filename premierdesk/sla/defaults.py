"""Premier Support's default coverage and targets (docs/product/response-targets-and-coverage.md),
as plain values. The database holds the policy an administrator edits; these are what a fresh
installation starts from."""

from __future__ import annotations

from datetime import time, timedelta

from premierdesk.catalog.models import Level, OfferingSlug, WeekendClass
from premierdesk.lib.coverage import Calendar, WeeklySpan

# Friday 17:00 US Pacific to Monday 10:00 Sydney (policy).
GLOBAL_WEEKEND = WeeklySpan(
    start_day=4,
    start_time=time(17),
    start_zone="America/Los_Angeles",
    end_day=0,
    end_time=time(10),
    end_zone="Australia/Sydney",
    label="global weekend",
)
PREMIER_24X5 = Calendar("Premier 24x5", always_open=True, closed_spans=(GLOBAL_WEEKEND,))
AROUND_THE_CLOCK = Calendar("24x7 (weekend critical coverage)", always_open=True)

# Which levels keep running over the weekend, by the product's weekend class (policy).
WEEKEND_LEVELS: dict[str, frozenset[str]] = {
    WeekendClass.L1_AND_L2: frozenset({Level.L1, Level.L2}),
    WeekendClass.L1_ONLY: frozenset({Level.L1}),
    WeekendClass.NONE: frozenset(),
}

# Initial response targets in minutes, by offering and level
# (docs/product/response-targets-and-coverage.md#targets, policy).
FIRST_RESPONSE_MINUTES: dict[str, dict[str, int]] = {
    OfferingSlug.PREMIER: {Level.L1: 30, Level.L2: 120, Level.L3: 480, Level.L4: 1440},
    OfferingSlug.SELECT: {Level.L1: 60, Level.L2: 240, Level.L3: 960, Level.L4: 2880},
}
# Targets left to policy (docs/product/response-targets-and-coverage.md#targets): time to next
# update (minutes). Resolution is tracked with no target until policy sets one.
NEXT_UPDATE_MINUTES: dict[str, int] = {Level.L1: 60, Level.L2: 240, Level.L3: 1440, Level.L4: 2880}

# Statuses in which a clock does not count (policy): support is not on the hook while it
# waits on the customer.
PAUSING = {
    "next_update": frozenset({"waiting_for_customer", "inactive"}),
    "resolution": frozenset({"waiting_for_customer", "inactive"}),
    "first_response": frozenset(),
    "customer_wait": frozenset(),
}


def minutes(value: int | None) -> timedelta | None:
    return None if value is None else timedelta(minutes=value)
