"""Opening a ticket through the API costs a fixed number of queries, token authentication
included, whatever the number of engineers, named-contact windows or tickets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.actions import create_api_token
from premierdesk.accounts.models import User
from premierdesk.calendars.models import CalendarSpan, CoverageCalendar
from premierdesk.catalog.models import Product
from premierdesk.customers.models import License
from premierdesk.customers.tests.factories import add_approved
from premierdesk.offices.models import Office
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db

# The transaction's own statements (in a test, the savepoint inside the test's transaction).
TRANSACTION = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT")


@pytest.fixture
def office() -> Office:
    """An office on duty all of NOW's working day."""
    calendar = CoverageCalendar.objects.create(slug="all-day", name="All day")
    for day in range(5):
        CalendarSpan.objects.create(
            calendar=calendar,
            start_day=day,
            start_time=time(0),
            start_zone="UTC",
            end_day=day,
            end_time=time(23, 59),
            end_zone="UTC",
        )
    return OfficeFactory.create(name="Sydney", slug="sydney", calendar=calendar)


@pytest.fixture
def opening(contact: User) -> Callable[[], list[str]]:
    """``opening()`` opens a ticket as Grace through the API with her token and gives the
    statements the request sent."""
    client = Client(headers={"Authorization": f"Bearer {create_api_token(contact, 'cli')[1]}"})
    body = {
        "sen": SEN,
        "product": "jira-software",
        "product_version": "10.3.2",
        "environment": "production",
        "level": "L2",
        "summary": "Boards load slowly",
        "description": "Every board takes 40 s.",
    }

    def run() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/api/v1/tickets", body, content_type="application/json")
        assert response.status_code == 201, response.content
        return [q["sql"] for q in captured.captured_queries]

    return run


def engineers(office: Office, product: Product, count: int) -> None:
    for _ in range(count):
        EngineerFactory.create(office=office).skills.set([product])


def warm(opening: Callable[[], list[str]]) -> int:
    """The statements of an opening once this process holds the policy and the office hours
    (the first openings after a change to them, or of a fresh database, read them again)."""
    opening()
    opening()
    return len(opening())


def queries(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.startswith(TRANSACTION)]


def test_a_routed_opening_makes_ten_queries_token_included(
    opening, office, products, django_assert_max_num_queries
):
    engineers(office, products["jira-software"], 3)
    warm(opening)
    with django_assert_max_num_queries(12):  # the ten below and the transaction's two
        statements = opening()
    assert len(queries(statements)) <= 10
    ticket = Ticket.objects.latest("pk")
    assert ticket.owner is not None
    assert ticket.sla_due_at is not None


def test_the_count_stays_with_more_engineers(opening, office, products):
    engineers(office, products["jira-software"], 1)
    one = warm(opening)
    engineers(office, products["jira-software"], 19)
    assert len(opening()) == one


def test_the_count_stays_with_more_named_contact_windows(
    opening, office, products, license: License, manager: User, frozen
):
    engineers(office, products["jira-software"], 2)
    one = warm(opening)
    for n in range(9):  # colleagues' windows of earlier months, over by now
        frozen.move_to(NOW - timedelta(days=30 * (n + 1)))
        ends = {"ends_at": NOW - timedelta(days=30 * (n + 1) - 7)}
        add_approved(license, manager, manager, f"colleague{n}@northwind.example", **ends)
    frozen.move_to(NOW)
    assert len(opening()) == one


def test_the_count_stays_with_more_tickets(opening, contact, office, products):
    engineers(office, products["jira-software"], 2)
    one = warm(opening)
    for n in range(200):
        open_ticket(contact, SEN, summary=f"Earlier ticket {n}")
    assert len(opening()) == one


def test_an_opening_nobody_can_take_makes_fewer(opening):
    """No engineer has the skill: no owner, no e-mail."""
    warm(opening)
    assert len(queries(opening())) <= 9
