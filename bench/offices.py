"""Benchmark of follow the sun: one office's end of day with 10,000 open critical tickets, all
handed to the office on duty next (``offices.actions.hand_over_due``).

The baseline is the floor of the same work: one UPDATE writing the owner of those 10,000
tickets. BENCH_HANDOVER (default 10000) sets the number of tickets.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from datetime import time as wall

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from bench.sla import BATCH, Customer, _customer, _tickets
from premierdesk.accounts.models import Role, User
from premierdesk.calendars.models import CalendarSpan, CoverageCalendar
from premierdesk.catalog.models import Level
from premierdesk.notifications.models import OutboxMessage
from premierdesk.offices.actions import hand_over_due
from premierdesk.offices.models import Engineer, Handover, Office
from premierdesk.sla.policy import ensure_defaults
from premierdesk.tickets.models import EventKind, Ticket, TimelineEvent, Visibility

Timed = Callable[[Callable[[], object]], float]
Report = Callable[..., None]
TICKETS = int(os.environ.get("BENCH_HANDOVER", "10000"))
ENGINEERS = 20  # in each office
# Amsterdam closes at 18:00 CEST (16:00 UTC) on a Monday; New York is on duty until 22:00 UTC.
BOUNDARY = datetime(2027, 5, 3, 16, 0, tzinfo=UTC)


def _office(slug: str, zone: str) -> Office:
    calendar = CoverageCalendar.objects.create(slug=f"{slug}-hours", name=f"{slug} hours")
    CalendarSpan.objects.bulk_create(
        CalendarSpan(
            calendar=calendar,
            start_day=day,
            start_time=wall(8),
            start_zone=zone,
            end_day=day,
            end_time=wall(18),
            end_zone=zone,
        )
        for day in range(5)
    )
    return Office.objects.create(
        name=slug, slug=slug, country="NL", time_zone=zone, calendar=calendar
    )


def _engineers(office: Office, customer: Customer) -> list[Engineer]:
    engineers = []
    for n in range(ENGINEERS):
        user = User.objects.create(
            email=f"{n}@{office.slug}.example",
            full_name=f"{office.name} engineer {n}",
            role=Role.SUPPORT_ENGINEER,
        )
        engineer = Engineer.objects.create(user=user, office=office, max_load=40)
        engineer.skills.set(customer.products)
        engineers.append(engineer)
    return engineers


def _critical_tickets(customer: Customer, owners: list[Engineer]) -> list[int]:
    """``TICKETS`` open L1 tickets opened in the office's last hours, owned round-robin by its
    engineers, each with its OPENED event (which the flagged handover's summary reads)."""
    opened = [BOUNDARY - timedelta(hours=3) + timedelta(seconds=n) for n in range(TICKETS)]
    ids = [ticket.pk for ticket in _tickets(customer, opened)]
    for k, owner in enumerate(owners):
        Ticket.objects.filter(pk__in=ids[k :: len(owners)]).update(
            level=Level.L1, owner=owner.user, office=owner.office
        )
    events = (
        TimelineEvent(
            ticket_id=pk,
            at=at,
            actor=customer.opener,
            actor_label=customer.opener.email,
            kind=EventKind.OPENED,
            visibility=Visibility.PUBLIC,
            data={"level": Level.L1, "summary": "Bench"},
        )
        for pk, at in zip(ids, opened, strict=True)
    )
    TimelineEvent.objects.bulk_create(events, batch_size=BATCH)
    return ids


def handover(timed: Timed, report: Report) -> None:
    ensure_defaults()
    customer = _customer("bench-handover", "SEN-7400001")
    amsterdam = _office("bench-amsterdam", "Europe/Amsterdam")
    new_york = _office("bench-new-york", "America/New_York")
    _engineers(new_york, customer)
    ids = _critical_tickets(customer, _engineers(amsterdam, customer))
    rows = Ticket.objects.filter(pk__in=ids)
    baseline = timed(lambda: rows.update(owner=F("owner"), updated_at=BOUNDARY))
    now = BOUNDARY + timedelta(minutes=1)
    queued_before = OutboxMessage.objects.count()  # the other benchmarks' e-mails are not ours
    # Counted from Django's query log, which has the COPY statements too (an execute
    # wrapper does not see them).
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        moved = hand_over_due(now)
        ms = (time.perf_counter() - start) * 1000
    received = Ticket.objects.filter(pk__in=ids, office=new_york).count()
    flagged = Handover.objects.filter(flagged=True).count()
    report(
        "handover",
        f"tickets={TICKETS}",
        ms,
        baseline,
        f"moved={moved} received={received} flagged={flagged} queries={len(queries)} "
        f"emails={OutboxMessage.objects.count() - queued_before} db={connection.vendor}",
    )


BENCHMARKS = [handover]
