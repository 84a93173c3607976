"""Benchmarks of the SLA engine: adding covered time on the 24x5 calendar with holidays, ours
against the ``businesstimedelta`` package on the same calendar (speed, and whether the two
agree); recomputing 10,000 open tickets' clocks after a holiday is added; and sweeps over
100,000 open tickets' clocks, with nothing due and with a few hundred due.

BENCH_SLA_STARTS (default 500) sets how many start instants each addition is timed on;
BENCH_SLA_RECALC (default 10000) and BENCH_SLA_OPEN (default 100000) size the other two.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from functools import partial
from typing import Any

import pytz  # type: ignore[import-untyped]
from businesstimedelta import (  # type: ignore[import-untyped]
    BusinessTimeDelta,
    HolidayRule,
    Rules,
    WorkDayRule,
)
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from premierdesk.accounts.models import Role, User
from premierdesk.calendars.models import CalendarHoliday, CoverageCalendar
from premierdesk.catalog.models import Level, Offering, OfferingSlug, Product, ResponseTarget
from premierdesk.customers.models import License, Organization
from premierdesk.lib.coverage import (
    Calendar,
    CoverageTable,
    Holiday,
    add_covered,
    covered_between,
    microseconds,
)
from premierdesk.sla.actions import sweep
from premierdesk.sla.defaults import FIRST_RESPONSE_MINUTES, PREMIER_24X5
from premierdesk.sla.models import CalendarRule, TicketClock
from premierdesk.sla.policy import add_global_weekend, ensure_defaults
from premierdesk.sla.recalc import recompute_open_clocks
from premierdesk.tickets.hooks import ticket_changed
from premierdesk.tickets.models import (
    OPEN_STATUSES,
    EventKind,
    Status,
    Ticket,
    TimelineEvent,
    Visibility,
)

Timed = Callable[[Callable[[], object]], float]
Report = Callable[..., None]
HOURS = (1, 8, 40, 160)
STARTS = int(os.environ.get("BENCH_SLA_STARTS", "500"))
RECALC_OPEN = int(os.environ.get("BENCH_SLA_RECALC", "10000"))
RECALC_SAMPLE = 300  # tickets re-derived one by one, the recompute's baseline
SWEEP_OPEN = int(os.environ.get("BENCH_SLA_OPEN", "100000"))
BATCH = 2_000
LEVELS = [Level.L1, Level.L2, Level.L3, Level.L4]

# Business-time addition ----------------------------------------------------------------------

# Start instants lie in one daylight-saving regime: from Monday 5 April 2027 (Sydney back on
# AEST the day before) to 1 September, so that 160 covered hours later is still before
# 3 October (Sydney on AEDT again). Los Angeles is on PDT throughout. In that regime the global
# weekend, Friday 17:00 Los Angeles to Monday 10:00 Sydney, is exactly Saturday 00:00 to
# Monday 00:00 UTC, which businesstimedelta can express (see business_rules).
RANGE = (datetime(2027, 4, 5, tzinfo=UTC), datetime(2027, 9, 1, tzinfo=UTC))
HOLIDAY_ZONE = "America/Los_Angeles"
# US federal holidays of 2027 as observed (weekdays), local dates in Los Angeles.
US_HOLIDAYS_2027 = {
    date(2027, 1, 1): "New Year's Day",
    date(2027, 1, 18): "Martin Luther King Jr. Day",
    date(2027, 2, 15): "Washington's Birthday",
    date(2027, 5, 31): "Memorial Day",
    date(2027, 6, 18): "Juneteenth (observed)",
    date(2027, 7, 5): "Independence Day (observed)",
    date(2027, 9, 6): "Labor Day",
    date(2027, 10, 11): "Columbus Day",
    date(2027, 11, 11): "Veterans Day",
    date(2027, 11, 25): "Thanksgiving Day",
    date(2027, 12, 24): "Christmas Day (observed)",
    date(2027, 12, 31): "New Year's Day (observed)",
}


def our_calendar() -> Calendar:
    holidays = tuple(Holiday(d, d, HOLIDAY_ZONE, name) for d, name in US_HOLIDAYS_2027.items())
    return replace(PREMIER_24X5, name="Premier 24x5 + US holidays", holidays=holidays)


def business_rules() -> Any:
    """The same calendar in businesstimedelta, exact within RANGE. Its rules are blocks of a
    weekday in one zone that cannot end at 24:00, and its holiday rule only shortens a block
    that a holiday starts exactly at (docs/performance.md). So Monday to Friday is cut where
    each Los Angeles holiday starts, 07:00 UTC on PDT: 00:00-07:00 UTC, and 07:00-24:00 UTC
    written as 00:00-17:00 in the fixed zone UTC-7."""
    weekdays = [0, 1, 2, 3, 4]
    return Rules(
        [
            WorkDayRule(wall(0), wall(7), weekdays, tz=pytz.utc),
            WorkDayRule(wall(0), wall(17), weekdays, tz=pytz.timezone("Etc/GMT+7")),
            HolidayRule(set(US_HOLIDAYS_2027), tz=pytz.timezone(HOLIDAY_ZONE)),
        ]
    )


def start_instants(count: int) -> list[datetime]:
    """Whole seconds (businesstimedelta's ``difference`` drops microseconds), seeded."""
    rng = random.Random(20270405)
    seconds = int((RANGE[1] - RANGE[0]).total_seconds())
    return sorted(RANGE[0] + timedelta(seconds=rng.randrange(seconds)) for _ in range(count))


@dataclass(frozen=True)
class Agreement:
    disagree: int  # covered time of one engine's result, measured by the other, is not d
    differ: int  # the two due instants are not the same instant


def agreement(
    calendar: Calendar, rules: Any, starts: Sequence[datetime], d: timedelta
) -> Agreement:
    """Each engine's due time, measured by the other engine's covered time."""
    disagree = differ = 0
    for start in starts:
        ours = add_covered(calendar, start, d)
        theirs = start + BusinessTimeDelta(rules, timedelta=d)
        by_us = covered_between(calendar, start, theirs)
        by_them = rules.difference(start, ours).timedelta
        disagree += by_us != d or by_them != d
        differ += ours != theirs
    return Agreement(disagree, differ)


def sla_add(timed: Timed, report: Report) -> None:
    calendar, rules, starts = our_calendar(), business_rules(), start_instants(STARTS)
    ours_ms, ratios, cpu_ratios = [], [], []
    for hours in HOURS:
        d = timedelta(hours=hours)
        ours = timed(partial(_ours, calendar, starts, d))
        theirs = timed(partial(_theirs, rules, starts, d))
        cpu = _cpu_ms(partial(_theirs, rules, starts, d)) / _cpu_ms(
            partial(_ours, calendar, starts, d)
        )
        found = agreement(calendar, rules, starts, d)
        ours_ms.append(ours)
        ratios.append(theirs / ours)
        cpu_ratios.append(cpu)
        print(
            f"sla-add {hours}h ours={_per_s(ours)} businesstimedelta={_per_s(theirs)} "
            f"ratio={theirs / ours:.2f} cpu_ratio={cpu:.2f} starts={len(starts)} "
            f"disagree={found.disagree} differ={found.differ}"
        )
    # Flat in N: the slowest duration's calls per second over the fastest's (1.00 is flat).
    print(
        f"sla-add flat ours_min={_per_s(max(ours_ms))} ours_max={_per_s(min(ours_ms))} "
        f"slowest/fastest={min(ours_ms) / max(ours_ms):.2f} ratio_min={min(ratios):.2f} "
        f"cpu_ratio_min={min(cpu_ratios):.2f} "
        f"table_build_ms={_table_build_ms(calendar):.2f}"
    )


def _cpu_ms(work: Callable[[], object]) -> float:
    """This process's CPU milliseconds for one call of ``work``, best of three. On a machine
    shared with other work, wall time charges the waits for a core to whichever run is long
    enough to be preempted (businesstimedelta's: tenths of a second, ours: a millisecond);
    CPU time charges neither."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        work()
        best = min(best, (time.process_time() - start) * 1000)
    return best


def _table_build_ms(calendar: Calendar) -> float:
    """Building a fresh interval table over the start instants' range and 160 h beyond (the
    calls above reuse the calendar's table, built on their first run)."""
    first, last = (microseconds(at) for at in (RANGE[0], RANGE[1] + timedelta(days=14)))
    start = time.perf_counter()
    CoverageTable(calendar).covered_between(first, last)
    return (time.perf_counter() - start) * 1000


def _ours(calendar: Calendar, starts: Sequence[datetime], d: timedelta) -> list[datetime]:
    return [add_covered(calendar, s, d) for s in starts]


def _theirs(rules: Any, starts: Sequence[datetime], d: timedelta) -> list[datetime]:
    return [s + BusinessTimeDelta(rules, timedelta=d) for s in starts]


def _per_s(ms: float) -> str:
    return f"{STARTS / ms * 1000:.0f}"


# The bench's customer ------------------------------------------------------------------------


@dataclass(frozen=True)
class Customer:
    license: License
    opener: User
    products: list[Product]


def _customer(slug: str, sen: str) -> Customer:
    """A Premier license (with the default targets) of its own organization, and an opener."""
    offering, _ = Offering.objects.get_or_create(
        slug=OfferingSlug.PREMIER, defaults={"name": "Premier"}
    )
    for level, minutes in FIRST_RESPONSE_MINUTES[OfferingSlug.PREMIER].items():
        ResponseTarget.objects.get_or_create(
            offering=offering, level=level, defaults={"initial_response_minutes": minutes}
        )
    org = Organization.objects.create(name=slug, slug=slug, time_zone="Europe/Berlin")
    license = License.objects.create(
        sen=sen,
        organization=org,
        offering=offering,
        valid_from=date(2000, 1, 1),
        valid_until=date(2099, 12, 31),
    )
    opener = User.objects.create(
        email=f"contact@{slug}.example", full_name=slug, role=Role.CUSTOMER, organization=org
    )
    slugs = ["jira-software", "confluence", "bitbucket", "jira-service-management"]
    products = [Product.objects.get_or_create(slug=s, defaults={"name": s})[0] for s in slugs]
    return Customer(license, opener, products)


def ticket_row(customer: Customer, n: int, opened: datetime, **fields: Any) -> Ticket:
    """The ``n``-th bench ticket (products and levels in turn), open unless ``fields`` say
    otherwise; not saved."""
    values: dict[str, Any] = {
        "license": customer.license,
        "organization_id": customer.license.organization_id,
        "product": customer.products[n % len(customer.products)],
        "product_version": "10.3.2",
        "environment": "production",
        "level": LEVELS[n % len(LEVELS)],
        "summary": f"Bench ticket {n}",
        "description": "Bulk-inserted for the benchmarks.",
        "opened_by": customer.opener,
        "opened_at": opened,
        "status": Status.WAITING_FOR_SUPPORT,
        "status_changed_at": opened,
        "updated_at": opened,
    }
    return Ticket(**(values | fields))


def _tickets(customer: Customer, opened: Sequence[datetime]) -> Iterator[Ticket]:
    """Open tickets, bulk-inserted ``BATCH`` at a time, without clocks or events."""
    for first in range(0, len(opened), BATCH):
        rows = [
            ticket_row(customer, n, at)
            for n, at in enumerate(opened[first : first + BATCH], start=first)
        ]
        yield from Ticket.objects.bulk_create(rows)


# Recomputing after a holiday is added --------------------------------------------------------


def _bench_calendar(customer: Customer) -> CoverageCalendar:
    """A 24x5 calendar of the bench's own, the first rule for its organization: the other
    benchmarks' open tickets are scanned by the recompute but not recomputed."""
    ensure_defaults()
    calendar = CoverageCalendar.objects.create(
        slug="bench-24x5", name="Bench 24x5", always_open=True
    )
    add_global_weekend(calendar)
    CalendarRule.objects.create(
        priority=1, calendar=calendar, organization=customer.license.organization
    )
    return calendar


def _with_timelines(customer: Customer, count: int, now: datetime) -> list[Ticket]:
    """``count`` open tickets of the last two weeks, each with its OPENED event and stored
    clock rows (placeholders: the recompute rewrites them, as it would rewrite real ones)."""
    rng = random.Random(10000)
    opened = sorted(now - timedelta(minutes=rng.uniform(5, 14 * 24 * 60)) for _ in range(count))
    tickets = list(_tickets(customer, opened))
    events = (
        TimelineEvent(
            ticket=t,
            at=t.opened_at,
            actor=customer.opener,
            actor_label=customer.opener.email,
            kind=EventKind.OPENED,
            visibility=Visibility.PUBLIC,
            data={"level": t.level, "summary": t.summary},
        )
        for t in tickets
    )
    TimelineEvent.objects.bulk_create(events, batch_size=BATCH)
    clocks = (
        TicketClock(
            ticket=t, kind=kind, cycle=1, level=t.level, started_at=t.opened_at, computed_at=now
        )
        for t in tickets
        for kind in ("first_response", "resolution")
    )
    TicketClock.objects.bulk_create(clocks, batch_size=BATCH)
    return tickets


def sla_recalc(timed: Timed, report: Report) -> None:
    """The recompute (best of three: each run re-derives every clock again), against
    re-deriving tickets one by one as each ticket change does, each in its own transaction
    (the recompute's former shape), on a sample, scaled to the same number of tickets."""
    customer = _customer("bench-sla-recalc", "SEN-7300001")
    calendar = _bench_calendar(customer)
    now = timezone.now()
    tickets = _with_timelines(customer, RECALC_OPEN, now)
    day = now.date() + timedelta(days=3)
    CalendarHoliday.objects.create(
        calendar=calendar, first=day, last=day, zone="Europe/Berlin", label="Bench holiday"
    )
    done = recompute_open_clocks(now, calendar_ids={calendar.pk})
    ms = timed(lambda: recompute_open_clocks(now, calendar_ids={calendar.pk}))
    with CaptureQueriesContext(connection) as queries:
        recompute_open_clocks(now, calendar_ids={calendar.pk})
    sample = [t.pk for t in tickets[:RECALC_SAMPLE]]
    one_by_one = timed(lambda: _one_by_one(sample, now)) * RECALC_OPEN / len(sample)
    open_now = Ticket.objects.filter(status__in=OPEN_STATUSES)
    report(
        "sla-recalc",
        f"open={RECALC_OPEN}",
        ms,
        one_by_one,
        f"recomputed={done} per_ticket_ms={ms / max(done, 1):.3f} queries={len(queries)} "
        f"baseline_sample={len(sample)} scanned_open={open_now.count()} db={connection.vendor}",
    )


def _one_by_one(ticket_ids: Sequence[int], now: datetime) -> None:
    for pk in ticket_ids:
        with transaction.atomic():
            ticket_changed.send(Ticket.objects.select_for_update().get(pk=pk), now)


# The sweep -----------------------------------------------------------------------------------

# Alerts spread over the next two weeks plus the last hour: about 1/337 of them are due.
SWEEP_SPREAD = (timedelta(hours=-1), timedelta(days=14))


def _clocks(tickets: Sequence[Ticket], alert_at: Sequence[datetime], now: datetime) -> None:
    rows = []
    for ticket, first_alert in zip(tickets, alert_at, strict=True):
        target = timedelta(minutes=FIRST_RESPONSE_MINUTES[OfferingSlug.PREMIER][ticket.level])
        thresholds = [first_alert, first_alert + target / 4, first_alert + target / 2]
        rows.append(
            TicketClock(
                ticket=ticket,
                kind="first_response",
                cycle=1,
                level=ticket.level,
                started_at=ticket.opened_at,
                target_minutes=int(target.total_seconds() // 60),
                due_at=thresholds[-1],
                thresholds=[t.isoformat() for t in thresholds],
                next_alert_at=first_alert,
                computed_at=now,
            )
        )
    TicketClock.objects.bulk_create(rows, batch_size=BATCH)


def _due_scan(now: datetime) -> list[tuple[int, int, datetime | None]]:
    """The sweep's own query (``sla.actions.sweep``)."""
    due = TicketClock.objects.filter(next_alert_at__lte=now).order_by("next_alert_at")
    return list(due.values_list("pk", "alerts_sent", "next_alert_at")[:1000])


def sla_sweep(timed: Timed, report: Report) -> None:
    """With nothing due (best of three) against the bare due scan; then with a few hundred
    due, once (a sweep uses up its alerts) against the same alerts swept one per transaction
    (the sweep's former shape) on a copy of them, the table the same size."""
    customer = _customer("bench-sla-sweep", "SEN-7300002")
    ensure_defaults()  # the SLA policy's warnings, when the sweep runs alone
    User.objects.get_or_create(
        email="bench-sla-manager@premier.example",
        defaults={"full_name": "SLA bench manager", "role": Role.SUPPORT_MANAGER},
    )
    now = timezone.now()
    rng = random.Random(100000)
    low, high = (s.total_seconds() for s in SWEEP_SPREAD)
    alert_at = [now + timedelta(seconds=rng.uniform(low, high)) for _ in range(SWEEP_OPEN)]
    opened = [at - timedelta(hours=1) for at in alert_at]
    for first in range(0, SWEEP_OPEN, BATCH):
        chunk = slice(first, first + BATCH)
        _clocks(list(_tickets(customer, opened[chunk])), alert_at[chunk], now)
    # The recompute benchmark's tickets (never answered, so long breached) stay out of it.
    TicketClock.objects.exclude(ticket__license=customer.license).update(next_alert_at=None)
    _sweep_idle(timed, report, now + 2 * SWEEP_SPREAD[0])
    due = [(n, at) for n, at in enumerate(alert_at) if at <= now]
    scan_ms = timed(lambda: _due_scan(now))
    plan = TicketClock.objects.filter(next_alert_at__lte=now).order_by("next_alert_at").explain()
    start = time.perf_counter()
    one_by_one = sweep(now, batch=1)
    baseline_ms = (time.perf_counter() - start) * 1000
    # The same alerts again, on fresh tickets of the same levels and products.
    copies = [ticket_row(customer, n, at - timedelta(hours=1)) for n, at in due]
    _clocks(Ticket.objects.bulk_create(copies), [at for _, at in due], now)
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        alerts = sweep(now)
        ms = (time.perf_counter() - start) * 1000
    report(
        "sla-sweep",
        f"open={SWEEP_OPEN}",
        ms,
        baseline_ms,
        f"due={len(due)} alerts={alerts} baseline_alerts={one_by_one} queries={len(queries)} "
        f"scan_ms={scan_ms:.1f} index={'clock_alert_due' in plan} db={connection.vendor}",
    )


def _sweep_idle(timed: Timed, report: Report, before: datetime) -> None:
    """A sweep with nothing due (every alert after ``before``) against its bare due scan."""
    assert not _due_scan(before)
    ms = timed(lambda: sweep(before))
    with CaptureQueriesContext(connection) as queries:
        sweep(before)
    report(
        "sla-sweep-idle",
        f"open={SWEEP_OPEN}",
        ms,
        timed(lambda: _due_scan(before)),
        f"queries={len(queries)} db={connection.vendor}",
    )


BENCHMARKS = [sla_add, sla_recalc, sla_sweep]
