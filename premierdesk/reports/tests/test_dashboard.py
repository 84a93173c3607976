"""The manager dashboard at /console/: its figures on fixed data, who sees it, and that its
queries do not grow with the tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.offices.models import Handover, HandoverRun
from premierdesk.reports.dashboard import dashboard
from premierdesk.reports.tests.test_reports import answer, ticket, world  # noqa: F401 (fixture)
from premierdesk.sla.models import TicketClock
from premierdesk.tickets.models import Status, Ticket

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def board_data(world):  # noqa: F811
    sydney, amsterdam = world["sydney"], world["amsterdam"]
    soon = ticket(world, opened=NOW - timedelta(hours=1), level="L1", office=sydney)
    Ticket.objects.filter(pk=soon.pk).update(sla_due_at=NOW + timedelta(minutes=20))
    late = ticket(world, opened=NOW - timedelta(hours=5), level="L2", office=sydney)
    Ticket.objects.filter(pk=late.pk).update(sla_due_at=NOW - timedelta(minutes=5))
    later = ticket(world, opened=NOW, level="L3", office=amsterdam)
    Ticket.objects.filter(pk=later.pk).update(sla_due_at=NOW + timedelta(hours=3))
    closed = ticket(world, opened=NOW - timedelta(days=2), level="L1", office=amsterdam)
    Ticket.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    for n, breached in enumerate([None, None, None, NOW - timedelta(days=1)]):
        TicketClock.objects.create(
            ticket=ticket(world, opened=NOW - timedelta(days=3), office=sydney, resolved=NOW),
            kind="first_response",
            cycle=1,
            level="L2",
            started_at=NOW - timedelta(days=3 + n),
            stopped_at=NOW - timedelta(days=2),
            target_minutes=120,
            breached_at=breached,
            computed_at=NOW,
        )
    engineer = UserFactory.create(role=Role.SUPPORT_ENGINEER)
    run = HandoverRun.objects.create(office=sydney, boundary_at=NOW, started_at=NOW)
    for flagged in (True, False):
        Handover.objects.create(
            ticket=soon if flagged else late,
            run=run,
            at=NOW - timedelta(hours=2),
            from_owner=engineer,
            to_owner=engineer,
            from_office=sydney,
            to_office=amsterdam,
            summary="s",
            flagged=flagged,
            acknowledge_by=NOW,
            acknowledged_at=None if flagged else NOW,
        )
    return soon


def test_the_dashboard_counts_what_is_open_at_risk_handed_over_and_met(board_data):
    board = dashboard(NOW)
    by_office = {row.office: (row.by_level, row.total) for row in board.open_by_office}
    # Resolved and closed tickets are not open: Sydney has the L1 due soon and the late L2,
    # Amsterdam the L3.
    assert by_office == {"Amsterdam": ([0, 0, 1, 0], 1), "Sydney": ([1, 1, 0, 0], 2)}
    assert board.open_by_level == [1, 1, 1, 0]
    assert [t.pk for t in board.at_risk] == [board_data.pk]
    assert (board.at_risk_count, board.breached_open) == (1, 1)
    [flow] = board.handovers_today
    assert (flow.from_office, flow.to_office, flow.handovers, flow.flagged) == (
        "Sydney",
        "Amsterdam",
        2,
        1,
    )
    assert flow.unacknowledged == 1
    assert (board.measured, board.attainment) == (4, 75.0)
    assert (board.answers, board.satisfaction) == (0, None)


def test_the_dashboard_averages_this_months_answers(world):  # noqa: F811
    answer(world, 5, NOW - timedelta(days=2), world["sydney"])
    answer(world, 2, NOW - timedelta(days=1), world["sydney"])
    answer(world, 1, NOW - timedelta(days=25), world["sydney"])  # April: not this month
    board = dashboard(NOW)
    assert (board.answers, board.satisfaction) == (2, 3.5)


@time_machine.travel(NOW, tick=False)
def test_managers_see_the_dashboard_and_engineers_do_not(board_data, as_user):
    manager = UserFactory.create(role=Role.SUPPORT_MANAGER, time_zone="Europe/Amsterdam")
    page = as_user(manager).get("/console/").content.decode()
    assert 'id="dashboard"' in page
    assert "75.0 %</strong> of 4 measured" in page
    assert board_data.key in page
    engineer = UserFactory.create(role=Role.SUPPORT_ENGINEER)
    assert 'id="dashboard"' not in as_user(engineer).get("/console/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_does_not_query_per_ticket(board_data, world, as_user):  # noqa: F811
    client = as_user(UserFactory.create(role=Role.SUPPORT_MANAGER))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/console/")
        return len(captured)

    before = queries()
    for minutes in range(10):
        more = ticket(world, opened=NOW, level="L1", office=world["amsterdam"])
        Ticket.objects.filter(pk=more.pk).update(sla_due_at=NOW + timedelta(minutes=minutes))
    assert queries() == before


def test_reports_are_in_the_menu_of_managers_only(as_user):
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    assert 'href="/console/reports/"' in as_user(manager).get("/console/").content.decode()
    engineer = UserFactory.create(role=Role.SUPPORT_ENGINEER)
    assert 'href="/console/reports/"' not in as_user(engineer).get("/console/").content.decode()
    assert as_user(engineer).get("/console/reports/").status_code == 403
