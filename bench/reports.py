"""Benchmark of the reports: one month of each report (volume, time to resolution, handovers,
first-response attainment) over 100,000 closed tickets spread over a year, with their
first-response clocks. The baseline is the simplest question of the same month: how many
tickets were opened in it (one COUNT). BENCH_REPORT_TICKETS (default 100000) sets the size.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from django.db import connection

from bench.sla import BATCH, _customer, ticket_row
from premierdesk.offices.models import Office
from premierdesk.reports.queries import REPORTS, Period
from premierdesk.sla.models import TicketClock
from premierdesk.tickets.models import Status, Ticket

Timed = Callable[[Callable[[], object]], float]
Report = Callable[..., None]
TICKETS = int(os.environ.get("BENCH_REPORT_TICKETS", "100000"))
YEAR = datetime(2025, 1, 1, tzinfo=UTC)
MONTH = Period(date(2025, 6, 1), date(2025, 6, 1))


def _offices() -> list[Office]:
    return [
        Office.objects.get_or_create(
            slug=f"bench-report-{n}", defaults={"name": f"Report office {n}", "country": "NL"}
        )[0]
        for n in range(5)
    ]


def _closed_tickets() -> None:
    """Closed tickets opened across 2025, resolved 1 to 72 hours later, each with a stopped
    first-response clock (a tenth of them breached)."""
    customer, offices = _customer("bench-reports", "SEN-7500001"), _offices()
    rng = random.Random(2025)
    for first in range(0, TICKETS, BATCH):
        rows = []
        for n in range(first, min(first + BATCH, TICKETS)):
            opened = YEAR + timedelta(minutes=rng.uniform(0, 365 * 24 * 60))
            resolved = opened + timedelta(hours=rng.uniform(1, 72))
            closed = resolved + timedelta(days=2)
            rows.append(
                ticket_row(
                    customer,
                    n,
                    opened,
                    status=Status.CLOSED,
                    status_changed_at=closed,
                    updated_at=closed,
                    resolved_at=resolved,
                    closed_at=closed,
                    office=offices[n % len(offices)],
                )
            )
        tickets = Ticket.objects.bulk_create(rows)
        TicketClock.objects.bulk_create(
            TicketClock(
                ticket=t,
                kind="first_response",
                cycle=1,
                level=t.level,
                started_at=t.opened_at,
                stopped_at=t.opened_at + timedelta(minutes=20),
                target_minutes=30,
                breached_at=t.opened_at + timedelta(minutes=30) if t.pk % 10 == 0 else None,
                computed_at=t.opened_at,
            )
            for t in tickets
        )


def report_month(timed: Timed, report: Report) -> None:
    _closed_tickets()

    def every_report() -> None:
        for entry in REPORTS.values():
            entry.build(entry.groupings[0], MONTH, None)

    def baseline() -> int:
        return Ticket.objects.filter(opened_at__gte=MONTH.start, opened_at__lt=MONTH.end).count()

    queries = [0]

    def count(execute: Callable[..., object], *args: object) -> object:
        queries[0] += 1
        return execute(*args)

    with connection.execute_wrapper(count):
        every_report()
    report(
        "report-month",
        f"tickets={TICKETS}",
        timed(every_report),
        timed(baseline),
        f"reports={len(REPORTS)} queries={queries[0]} db={connection.vendor}",
    )


BENCHMARKS = [report_month]
