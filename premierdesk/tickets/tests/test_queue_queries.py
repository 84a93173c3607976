"""Every list of tickets and the ticket page take as many queries with many tickets and
comments as with few: the staff queue (page and API, each filter), the customer's list (page
and API), and one ticket's page; and the open queue's page reads the index of open tickets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from premierdesk.tickets import actions
from premierdesk.tickets.models import KEY_PREFIX, OPEN_STATUSES, Status, Ticket
from premierdesk.tickets.queries import TicketFilter, ticket_list
from premierdesk.tickets.tests.conftest import SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
OPEN = "&".join(f"status={s}" for s in sorted(OPEN_STATUSES))


def staff_lists(engineer) -> list[str]:
    filters = [
        "",
        OPEN,
        "status=waiting_for_support",
        "level=L1&level=L2",
        "product=jira-software",
        "owner=none",
        f"owner={engineer.email}",
        f"office={engineer.engineer.office.slug}",
        "organization=northwind",
        f"{OPEN}&level=L2&product=jira-software&owner={engineer.email}",
    ]
    return [
        f"{base}?{query}" for base in ("/console/tickets/", "/api/v1/tickets") for query in filters
    ]


CUSTOMER_LISTS = ["/portal/tickets/", "/portal/tickets/?status=waiting_for_support&level=L2"]
CUSTOMER_LISTS += ["/api/v1/tickets", f"/api/v1/tickets?{OPEN}"]


def queries(client, url: str) -> int:
    client.get(url)  # once first: what is cached per process (the SLA policy) is cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def add_tickets(contact, engineer, frozen, count: int) -> str:
    """``count`` tickets with a comment from each side and an owner; the last one's key."""
    key = ""
    for n in range(count):
        frozen.shift(timedelta(minutes=1))
        key = open_ticket(contact, SEN, summary=f"Ticket {n}").key
        actions.assign_owner(engineer, key, owner_email=engineer.email)
        actions.add_comment(engineer, key, body="Looking at it.")
        actions.add_comment(contact, key, body="Thanks.")
        if n % 3 == 0:
            actions.transition(engineer, key, to="in_progress")
    return key


def test_the_ticket_lists_take_the_same_queries_with_few_or_many_tickets(
    as_user, contact, engineer, frozen
):
    staff, customer = as_user(engineer), as_user(contact)
    add_tickets(contact, engineer, frozen, 2)
    lists = [(staff, url) for url in staff_lists(engineer)]
    lists += [(customer, url) for url in CUSTOMER_LISTS]
    few = [queries(client, url) for client, url in lists]
    add_tickets(contact, engineer, frozen, 20)
    many = [queries(client, url) for client, url in lists]
    assert many == few, [url for (_, url), a, b in zip(lists, few, many, strict=True) if a != b]


def test_the_ticket_page_takes_the_same_queries_with_few_or_many_comments(
    as_user, contact, engineer, frozen
):
    staff, customer = as_user(engineer), as_user(contact)
    key = add_tickets(contact, engineer, frozen, 1)
    page = f"/tickets/{key}/"
    few = (queries(staff, page), queries(customer, page))
    for n in range(10):
        frozen.shift(timedelta(minutes=5))
        actions.add_comment(engineer, key, body=f"Update {n}.")
        actions.add_comment(engineer, key, body=f"Note {n}.", internal=True)
        actions.add_comment(contact, key, body=f"Answer {n}.")
    add_tickets(contact, engineer, frozen, 5)  # other tickets change nothing either
    assert (queries(staff, page), queries(customer, page)) == few


def test_a_customers_ticket_page_reads_who_is_a_named_contact_once(
    as_user, contact, engineer, frozen
):
    """Its rules ask six times (may comment, attach, add participants, escalate, …); the page
    is one reading (pages.middleware.OneReadingMiddleware)."""
    customer = as_user(contact)
    page = f"/tickets/{add_tickets(contact, engineer, frozen, 1)}/"
    customer.get(page)
    with CaptureQueriesContext(connection) as captured:
        assert customer.get(page).status_code == 200
    windows = [q for q in captured if 'FROM "customers_namedcontact"' in q["sql"]]
    assert len(windows) == 1


def _plan(queryset) -> str:
    """The database's plan for ``queryset`` as Django runs it: with its parameters bound
    (SQLite matches no index condition against a parameter), on PostgreSQL with table scans
    priced out, since a test's few rows are cheaper to scan than any index."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_open_queue_reads_its_page_off_the_index_of_open_tickets(contact, engineer, frozen):
    add_tickets(contact, engineer, frozen, 3)
    resolved = add_tickets(contact, engineer, frozen, 1)
    actions.transition(engineer, resolved, to="resolved")
    open_queue = ticket_list(engineer, timezone.now(), TicketFilter(status=sorted(OPEN_STATUSES)))
    assert "ticket_open_queue" in _plan(open_queue.rows[:50])
    assert resolved not in [t.key for t in open_queue.rows[:50]]
    assert open_queue.count() == 3
    one_status = ticket_list(engineer, timezone.now(), TicketFilter(status=["in_progress"]))
    assert "ticket_open_queue" not in _plan(one_status.rows[:50])


def test_a_ticket_leaves_the_open_queue_when_resolved_and_comes_back_when_reopened(
    contact, engineer, frozen
):
    key = add_tickets(contact, engineer, frozen, 1)
    pk = int(key.removeprefix(KEY_PREFIX))

    def in_queue() -> bool:
        return Ticket.objects.values_list("in_open_queue", flat=True).get(pk=pk)

    assert in_queue()
    actions.transition(engineer, key, to="resolved")
    assert not in_queue()
    actions.transition(contact, key, to="waiting_for_support")
    assert in_queue()


@pytest.mark.postgresql
def test_postgresql_plans_the_open_queues_page_once_for_a_connection(contact, engineer, frozen):
    """Planning the page's seven-table join took ten times as long as running it; a statement
    a connection runs again is prepared, and PostgreSQL keeps its plan (settings.py)."""
    add_tickets(contact, engineer, frozen, 2)

    def prepared_pages() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%WHERE "tickets_ticket"."in_open_queue" ORDER BY%'],
            )
            return [row[0] for row in cursor.fetchall()]

    assert prepared_pages() == []
    for _ in range(3):
        page = ticket_list(engineer, timezone.now(), TicketFilter(status=sorted(OPEN_STATUSES)))
        assert len(page[:50]) == 2
    assert len(prepared_pages()) == 1


def test_a_queue_filtered_by_level_is_counted_off_the_status_and_level_index(
    contact, engineer, frozen
):
    add_tickets(contact, engineer, frozen, 2)
    _spread_like_a_queue(Ticket.objects.get(pk=Ticket.objects.values("pk")[:1]), 800)
    open_l2 = TicketFilter(status=sorted(OPEN_STATUSES), level=["L2"])
    listed = ticket_list(engineer, timezone.now(), open_l2)
    assert "ticket_status_level" in _plan(listed.counted.order_by())  # as count() asks
    expected = Ticket.objects.filter(level="L2", status__in=OPEN_STATUSES).count()
    assert listed.count() == expected > 0


def _spread_like_a_queue(template: Ticket, count: int) -> None:
    """``count`` copies of ``template`` over every level and status and without an owner, and
    on PostgreSQL the table's statistics read from them: a planner choosing an index for two
    tickets could take any (it took the owner's index once); for many it takes the one that
    fits."""
    fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key and not f.generated]
    values = {f.attname: getattr(template, f.attname) for f in fields}
    levels, statuses = ["L1", "L2", "L3", "L4"], Status.values
    Ticket.objects.bulk_create(
        Ticket(
            **{
                **values,
                "owner_id": None,
                "level": levels[n % len(levels)],
                "status": statuses[n % len(statuses)],
            }
        )
        for n in range(count)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tickets_ticket")
