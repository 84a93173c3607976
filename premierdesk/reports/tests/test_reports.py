"""Reports on fixed data, checked against figures worked out by hand; their CSV; who may read
them; and that their queries do not grow with the tickets."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory
from premierdesk.feedback.models import Answer, Invitation
from premierdesk.offices.models import Handover, HandoverRun, Office
from premierdesk.offices.tests.factories import OfficeFactory
from premierdesk.reports import charts
from premierdesk.reports.export import as_csv
from premierdesk.reports.queries import (
    Period,
    Table,
    attainment,
    handovers,
    resolution,
    satisfaction,
    volume,
)
from premierdesk.sla.models import TicketClock
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.tests.factories import make_products

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
MAY = Period(date(2026, 4, 1), date(2026, 5, 1))  # April and May 2026


def at(day: int, hour: int = 9, month: int = 5) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def world():
    products = make_products()
    amsterdam = OfficeFactory.create(name="Amsterdam", slug="amsterdam")
    sydney = OfficeFactory.create(name="Sydney", slug="sydney")
    northwind = OrganizationFactory.create(name="=HYPERLINK(1)", slug="northwind")
    license = LicenseFactory.create(organization=northwind)
    opener = UserFactory.create(role=Role.CUSTOMER, organization=northwind)
    return {
        "products": products,
        "amsterdam": amsterdam,
        "sydney": sydney,
        "license": license,
        "opener": opener,
    }


def ticket(
    world,
    *,
    opened: datetime,
    level: str = "L2",
    office: Office | None = None,
    product: str = "jira-software",
    resolved: datetime | None = None,
) -> Ticket:
    return Ticket.objects.create(
        license=world["license"],
        organization=world["license"].organization,
        product=world["products"][product],
        product_version="1",
        environment="production",
        level=level,
        summary="report",
        description="report",
        opened_by=world["opener"],
        opened_at=opened,
        status=Status.RESOLVED if resolved else Status.IN_PROGRESS,
        status_changed_at=resolved or opened,
        updated_at=resolved or opened,
        resolved_at=resolved,
        office=office,
    )


def test_volume_counts_tickets_by_level_and_month_of_opening(world):
    ticket(world, opened=at(30, 23, month=4), level="L1")
    ticket(world, opened=at(1, 0), level="L1")  # the first instant of May (UTC)
    ticket(world, opened=at(2), level="L1")
    ticket(world, opened=at(3), level="L3")
    ticket(world, opened=at(1, 0, month=6), level="L3")  # after the period
    assert volume("level", MAY).rows == [
        ("L1", date(2026, 4, 1), 1),
        ("L1", date(2026, 5, 1), 2),
        ("L3", date(2026, 5, 1), 1),
    ]


def test_time_to_resolution_averages_hours_by_office_in_the_month_resolved(world):
    amsterdam, sydney = world["amsterdam"], world["sydney"]
    ticket(world, opened=at(4), office=amsterdam, resolved=at(4, 11))  # 2 h
    ticket(world, opened=at(4), office=amsterdam, resolved=at(5, 13))  # 28 h
    ticket(world, opened=at(28, month=4), office=sydney, resolved=at(2, 9))  # 96 h, in May
    ticket(world, opened=at(6), office=sydney)  # not resolved
    assert resolution("office", MAY).rows == [
        ("Amsterdam", date(2026, 5, 1), 2, 15.0),  # offices by name, not slug
        ("Sydney", date(2026, 5, 1), 1, 96.0),
    ]


def test_handovers_count_flagged_and_late_by_receiving_office(world):
    amsterdam, sydney = world["amsterdam"], world["sydney"]
    engineer = UserFactory.create(role=Role.SUPPORT_ENGINEER)
    run = HandoverRun.objects.create(office=amsterdam, boundary_at=at(4, 16), started_at=at(4, 16))
    cases = [
        (False, at(4, 16, month=5) + timedelta(minutes=10), None),  # on time
        (True, at(4, 17), None),  # acknowledged 30 minutes late
        (True, None, at(4, 16) + timedelta(minutes=31)),  # never: the lead was alerted
    ]
    for flagged, acknowledged, alerted in cases:
        Handover.objects.create(
            ticket=ticket(world, opened=at(4), level="L1"),
            run=run,
            at=at(4, 16),
            from_owner=engineer,
            to_owner=engineer,
            from_office=amsterdam,
            to_office=sydney,
            summary="s",
            flagged=flagged,
            acknowledge_by=at(4, 16) + timedelta(minutes=30),
            acknowledged_at=acknowledged,
            lead_alerted_at=alerted,
        )
    assert handovers("to_office", MAY).rows == [("Sydney", date(2026, 5, 1), 3, 2, 2)]


def test_the_csv_holds_the_rows_and_runs_no_formula(world):
    ticket(world, opened=at(4))
    table = volume("organization", MAY)
    rows = list(csv.reader(io.StringIO(as_csv(table))))
    # The organization by its name, which here would be a formula.
    assert rows == [["group", "month", "opened"], ["'=HYPERLINK(1)", "2026-05", "1"]]
    named = Table("t", "T", ("group", "month", "n"), [("=HYPERLINK(1)", date(2026, 5, 1), 1)], "n")
    assert list(csv.reader(io.StringIO(as_csv(named))))[1][0] == "'=HYPERLINK(1)"


def test_charts_are_svg_with_escaped_labels_and_proportional_bars():
    svg = charts.bars("Open <tickets>", [charts.Bar("<script>", 4), charts.Bar("B & C", 2)])
    tree = ElementTree.fromstring(svg)  # noqa: S314 (our own output) well-formed: all escaped
    rects = list(tree.iter(f"{SVG}rect"))
    assert [float(r.get("width", 0)) for r in rects] == [charts.BAR_WIDTH, charts.BAR_WIDTH / 2]
    assert "<script>" not in svg
    monthly = charts.months("Trend", ["Apr 26", "May 26"], [charts.Series("L1", [None, 3])])
    drawn = ElementTree.fromstring(monthly)  # noqa: S314 (our own output)
    assert len(list(drawn.iter(f"{SVG}rect"))) == 2
    assert "L1, May 26: 3" in monthly  # one bar and one legend swatch; April had nothing


@pytest.fixture
def manager():
    return UserFactory.create(role=Role.SUPPORT_MANAGER)


def test_the_api_gives_json_and_csv_to_managers_only(world, manager, as_user):
    ticket(world, opened=at(4), level="L1")
    client = as_user(manager)
    answer = client.get("/api/v1/reports/volume?by=level&since=2026-04&until=2026-05").json()
    assert answer["rows"] == [{"group": "L1", "month": "2026-05", "opened": 1}]
    exported = client.get("/api/v1/reports/volume?by=level&since=2026-05&until=2026-05&format=csv")
    assert exported["Content-Type"].startswith("text/csv")
    assert exported.content.decode().splitlines()[1] == "L1,2026-05,1"
    assert client.get("/api/v1/reports/volume?by=colour").status_code == 422
    assert client.get("/api/v1/reports/volume?since=May").status_code == 422
    assert client.get("/api/v1/reports/weather").status_code == 404
    for role in (Role.SUPPORT_ENGINEER, Role.CUSTOMER):
        denied = as_user(UserFactory.create(role=role)).get("/api/v1/reports/volume")
        assert denied.status_code == 403


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name", ["volume", "resolution", "handovers", "attainment", "satisfaction"]
)
def test_the_page_draws_the_chart_with_a_constant_number_of_queries(world, manager, as_user, name):
    client = as_user(manager)
    url = f"/console/reports/?report={name}&since=2026-04&until=2026-05"
    ticket(world, opened=at(4), resolved=at(5))
    queries_for(client, url)  # the first reading creates the policy rows
    few = queries_for(client, url)
    for day in range(5, 25):
        ticket(world, opened=at(day), office=world["sydney"], resolved=at(day, 15))
    assert queries_for(client, url) == few
    page = client.get(url).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert 'id="report-table"' in page


def answer(world, rating: int, answered: datetime, office: Office, owner=None) -> None:
    closed = ticket(world, opened=answered - timedelta(days=3), resolved=answered, office=office)
    invitation = Invitation.objects.create(
        ticket=closed,
        contact=world["opener"],
        owner=owner,
        office=office,
        token_digest=f"{closed.pk:064d}",
        sent_at=answered,
        expires_at=answered + timedelta(days=28),
        answered_at=answered,
    )
    Answer.objects.create(invitation=invitation, ticket=closed, rating=rating, answered_at=answered)


def test_satisfaction_averages_ratings_by_the_office_that_closed_the_ticket(world):
    amsterdam, sydney = world["amsterdam"], world["sydney"]
    for rating in (5, 4, 1):
        answer(world, rating, at(10), amsterdam)
    answer(world, 2, at(30, month=4), sydney)
    answer(world, 5, at(12), sydney)
    assert satisfaction("office", MAY).rows == [
        ("Sydney", date(2026, 4, 1), 1, 2.0, 1),
        ("Amsterdam", date(2026, 5, 1), 3, 3.33, 1),
        ("Sydney", date(2026, 5, 1), 1, 5.0, 0),
    ]


def test_attainment_by_engineer_counts_the_clocks_of_the_tickets_they_own(world):
    olivia = UserFactory.create(role=Role.SUPPORT_ENGINEER, email="olivia@premier.example")
    for breached in (None, None, at(4, 10)):
        owned = ticket(world, opened=at(4), resolved=at(5))
        Ticket.objects.filter(pk=owned.pk).update(owner=olivia)
        TicketClock.objects.create(
            ticket=owned,
            kind="first_response",
            cycle=1,
            level="L2",
            started_at=at(4),
            stopped_at=at(4, 11),
            target_minutes=60,
            breached_at=breached,
            computed_at=at(5),
        )
    assert attainment("engineer", MAY).rows == [
        ("olivia@premier.example", date(2026, 5, 1), 3, 2, 1, 66.7)
    ]
