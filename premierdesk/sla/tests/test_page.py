"""The SLA on the ticket page: staff see every clock with its counted and paused pieces;
customers see one sentence about the first response; times read in the viewer's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.tickets import actions
from premierdesk.tickets.tests.factories import open_ticket
from premierdesk.tickets.tests.test_pages import between, text

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def zones(contact, engineer):
    """Grace reads New York time (EDT in May), Olivia Sydney time (AEST)."""
    contact.time_zone, engineer.time_zone = "America/New_York", "Australia/Sydney"
    contact.save()
    engineer.save()


def page(client, ticket) -> str:
    response = client.get(f"/tickets/{ticket.key}/")
    assert response.status_code == 200
    return response.content.decode()


def sla_section(html: str) -> str:
    return between(html, 'id="sla"', "</section>")


def test_staff_see_every_clock_with_its_pieces_in_their_zone(
    as_user, ticket, contact, engineer, frozen
):
    actions.add_comment(engineer, ticket.key, body="Send the logs please.")  # met at 0 min
    frozen.shift(30 * M)
    actions.add_comment(contact, ticket.key, body="Here they are.")  # next update starts
    frozen.shift(10 * M)
    html = sla_section(page(as_user(engineer), ticket))  # Olivia reads Sydney time (AEST)
    assert html.count('<tr id="clock-') == 3
    first = text(between(html, 'id="clock-first_response-1"', "</tr>"))
    assert first == "> First response (L2) 1 met 2 h 00 min 0 min — —"
    update = text(between(html, 'id="clock-next_update-1"', "</tr>"))
    # Due 09:30 + 4 h UTC = 13:30 UTC = 23:30 in Sydney.
    assert "Next update (L2) 1 running 4 h 00 min 10 min 2026-05-04 23:30 —" in update
    assert 'id="clock-resolution-1"' in html
    pieces = text(between(html, 'id="pieces-next_update-1"', "</details>"))
    assert "2026-05-04 19:30 → 2026-05-04 19:40 counted: covered by 24x7" in pieces
    # The engine cuts resolution at both comments; the page shows one stretch.
    resolution = text(between(html, 'id="pieces-resolution-1"', "</details>"))
    assert resolution.count("→") == 1
    assert "2026-05-04 19:00 → 2026-05-04 19:40 counted" in resolution


def test_a_status_pause_is_said_once(as_user, ticket, engineer, frozen):
    actions.add_comment(engineer, ticket.key, body="Please send the logs.")
    actions.transition(engineer, ticket.key, to="waiting_for_customer")
    frozen.shift(30 * M)
    html = sla_section(page(as_user(engineer), ticket))
    resolution = text(between(html, 'id="clock-resolution-1"', "</details>"))
    assert "Resolution (L2) 1 paused (waiting for customer) none 0 min" in resolution
    assert "2026-05-04 19:00 → 2026-05-04 19:30 paused : waiting for customer" in resolution
    assert "paused: paused" not in resolution


def test_a_paused_piece_says_why(as_user, contact, license, engineer, frozen):
    # L3 on Jira Software: not worked over the global weekend (only L1 and L2 are).
    frozen.move_to(datetime(2026, 5, 8, 23, 50, tzinfo=UTC))  # Friday 16:50 in Los Angeles
    friday = open_ticket(contact, license.sen, level="L3")
    frozen.move_to(datetime(2026, 5, 9, 12, tzinfo=UTC))
    html = sla_section(page(as_user(engineer), friday))
    first = text(between(html, 'id="clock-first_response-1"', "</tr>"))
    assert "First response (L3) 1 paused (global weekend) 8 h 00 min 10 min" in first
    pieces = text(between(html, 'id="pieces-first_response-1"', "</details>"))
    assert "2026-05-09 09:50 → 2026-05-09 10:00 counted: covered by Premier 24x5" in pieces
    assert "2026-05-09 10:00 → 2026-05-09 22:00 paused : global weekend" in pieces
    assert html.count('<tr id="clock-') == 2  # first response, resolution


def test_customers_see_only_the_first_response_state(as_user, ticket, contact, frozen):
    html = page(as_user(contact), ticket)
    section = sla_section(html)
    # Opened 09:00 UTC, L2 (2 h): due 11:00 UTC, 07:00 for Grace in New York.
    assert text(section) == 'aria-labelledby="sla-heading"> First response Due by 07:00'
    for absent in ("Resolution", "Next update", "<details", "covered by", "24x7"):
        assert absent not in section


@pytest.mark.parametrize(
    ("minutes", "respond", "words"),
    [(25, True, "Responded in 25 min"), (121, False, "Missed"), (150, True, "Missed")],
)
def test_customer_wording_once_answered_or_missed(
    as_user, ticket, contact, engineer, frozen, minutes, respond, words
):
    frozen.shift(minutes * M)
    if respond:
        actions.add_comment(engineer, ticket.key, body="Looking now.")
    assert text(between(page(as_user(contact), ticket), 'id="first-response-state">', "</p>")) == (
        words
    )


def test_customers_read_a_weekend_pause(as_user, contact, license, frozen):
    frozen.move_to(datetime(2026, 5, 8, 23, 50, tzinfo=UTC))  # Friday 16:50 in Los Angeles
    friday = open_ticket(contact, license.sen, level="L3")
    frozen.move_to(datetime(2026, 5, 9, 12, tzinfo=UTC))
    state = between(page(as_user(contact), friday), 'id="first-response-state">', "</p>")
    # 10 min counted on Friday; 470 more from Monday 10:00 Sydney (Sunday 20:00 in New York).
    assert state == "Paused over the weekend; due by Mon 11 May 03:50"


def ticket_page_queries(client, ticket) -> int:
    with CaptureQueriesContext(connection) as captured:
        page(client, ticket)
    return len(captured)


@pytest.mark.parametrize("viewer", ["contact", "engineer"])
def test_the_page_queries_do_not_grow_with_the_comments(
    as_user, ticket, contact, engineer, frozen, viewer, request
):
    client = as_user(request.getfixturevalue(viewer))
    actions.add_comment(engineer, ticket.key, body="First answer.")
    ticket_page_queries(client, ticket)  # the first view makes the policy rows it reads
    few = ticket_page_queries(client, ticket)
    for n in range(12):
        frozen.shift(M)
        author = contact if n % 2 else engineer
        actions.add_comment(author, ticket.key, body=f"Comment {n}")
    assert ticket_page_queries(client, ticket) == few
