"""Follow the sun on request (docs/product/follow-the-sun.md#handover): staff mark an L2 ticket to
be handed over at each office's end of day, or unmark it, by action, API and ticket page; the
refusals; a level change away from L2 clearing the mark; the customer never seeing any of it; and
the end-of-day handover picking the marked ticket up."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from html import unescape

import pytest

from premierdesk.audit.models import AuditEntry
from premierdesk.lib.errors import Conflict, NotAllowed, NotFound
from premierdesk.offices import actions as office_actions
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.offices.tests.test_routing import office_with_hours
from premierdesk.tickets import actions
from premierdesk.tickets.models import EventKind, Ticket
from premierdesk.tickets.tests.conftest import SEN
from premierdesk.tickets.tests.factories import open_ticket
from premierdesk.tickets.tests.test_pages import HTMX, QUEUE, between, text

pytestmark = pytest.mark.django_db
MARKED = "Marked to follow the sun: handed over at each office's end of day."
CONTROL = "Follow the sun: hand over at each office's end of day"


def url(ticket: Ticket, rest: str = "") -> str:
    return f"/tickets/{ticket.key}/{rest}"


def api(ticket: Ticket) -> str:
    return f"/api/v1/tickets/{ticket.key}/follow-the-sun"


def post_json(client, path: str, data: dict):
    return client.post(path, data, content_type="application/json")


def page_of(client, ticket: Ticket) -> str:
    return unescape(client.get(url(ticket)).content.decode())


def section(html: str, element_id: str) -> str:
    return between(html, f'id="{element_id}"', "</section>")


def sun_events(ticket: Ticket) -> list[dict]:
    return [e.data for e in ticket.events.filter(kind=EventKind.FOLLOW_THE_SUN)]


# The action -----------------------------------------------------------------------------------


def test_staff_mark_and_unmark_with_an_internal_event_and_an_audit_entry(ticket, engineer):
    marked = actions.set_follow_the_sun(engineer, ticket.key, on=True, reason=" Customer asked ")
    assert marked.follow_the_sun
    event = ticket.events.get(kind=EventKind.FOLLOW_THE_SUN)
    assert (event.actor, event.visibility, event.data) == (
        engineer,
        "internal",
        {"on": True, "reason": "Customer asked"},
    )
    entry = AuditEntry.objects.get(action="tickets.follow_the_sun_changed")
    assert (entry.actor, entry.changes, entry.reason) == (
        engineer,
        {"follow_the_sun": [False, True]},
        "Customer asked",
    )
    actions.set_follow_the_sun(engineer, ticket.key, on=False)
    ticket.refresh_from_db()
    assert not ticket.follow_the_sun
    assert [d["on"] for d in sun_events(ticket)] == [True, False]
    changes = AuditEntry.objects.filter(action="tickets.follow_the_sun_changed")
    assert [e.changes for e in changes.order_by("id")][-1] == {"follow_the_sun": [True, False]}


def test_a_customer_is_refused_like_any_staff_only_change(ticket, contact):
    with pytest.raises(NotAllowed, match="Only Premier Support staff mark or unmark follow"):
        actions.set_follow_the_sun(contact, ticket.key, on=True)
    assert not sun_events(ticket)


def test_only_l2_can_be_marked(contact, engineer):
    l1 = open_ticket(contact, SEN, level="L1")
    with pytest.raises(Conflict, match="L1 tickets always follow the sun"):
        actions.set_follow_the_sun(engineer, l1.key, on=True)
    for level, label in (("L3", "L3 medium"), ("L4", "L4 low")):
        other = open_ticket(contact, SEN, level=level)
        with pytest.raises(Conflict, match=f"is {label}; only critical tickets are handed over"):
            actions.set_follow_the_sun(engineer, other.key, on=True)
    assert not Ticket.objects.filter(follow_the_sun=True).exists()


def test_marking_twice_or_unmarking_an_unmarked_ticket_is_a_conflict(ticket, engineer):
    with pytest.raises(Conflict, match="is already unmarked: it does not follow the sun"):
        actions.set_follow_the_sun(engineer, ticket.key, on=False)
    actions.set_follow_the_sun(engineer, ticket.key, on=True)
    with pytest.raises(Conflict, match="is already marked to follow the sun") as refused:
        actions.set_follow_the_sun(engineer, ticket.key, on=True)
    assert [e.field for e in refused.value.errors] == ["on"]
    assert len(sun_events(ticket)) == 1


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_resolved_and_closed_tickets_are_refused_like_a_level_change(ticket, engineer, status):
    actions.transition(engineer, ticket.key, to="resolved")
    if status == "closed":
        actions.transition(engineer, ticket.key, to="closed")
    with pytest.raises(Conflict, match=f"is {status}; reopen it first"):
        actions.set_follow_the_sun(engineer, ticket.key, on=True)


def test_another_organizations_ticket_is_not_found(ticket, other_customer, engineer):
    with pytest.raises(NotFound):
        actions.set_follow_the_sun(other_customer, ticket.key, on=True)


@pytest.mark.parametrize("level", ["L1", "L3"])
def test_leaving_l2_clears_the_mark_for_good(ticket, engineer, level):
    actions.set_follow_the_sun(engineer, ticket.key, on=True)
    actions.change_level(engineer, ticket.key, level=level, reason="Re-assessed")
    ticket.refresh_from_db()
    assert not ticket.follow_the_sun
    cleared = ticket.events.filter(kind=EventKind.FOLLOW_THE_SUN).last()
    assert (cleared.visibility, cleared.data["on"]) == ("internal", False)
    assert "only L2 tickets are marked" in cleared.data["reason"]
    entry = AuditEntry.objects.get(action="tickets.level_changed")
    assert entry.changes == {"level": ["L2", level], "follow_the_sun": [True, False]}
    actions.change_level(engineer, ticket.key, level="L2")
    ticket.refresh_from_db()
    assert not ticket.follow_the_sun  # back at L2, it is marked again only on request


def test_a_level_change_of_an_unmarked_ticket_says_nothing_of_the_sun(ticket, engineer):
    actions.change_level(engineer, ticket.key, level="L3")
    assert not sun_events(ticket)
    entry = AuditEntry.objects.get(action="tickets.level_changed")
    assert entry.changes == {"level": ["L2", "L3"]}


# The API --------------------------------------------------------------------------------------


def test_staff_mark_by_the_api_and_see_the_mark(as_user, ticket, engineer, contact):
    client = as_user(engineer)
    response = post_json(client, api(ticket), {"on": True, "reason": "Customer asked"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["key"], body["level"], body["follow_the_sun"]) == (ticket.key, "L2", True)
    assert client.get(f"/api/v1/tickets/{ticket.key}").json()["follow_the_sun"] is True
    listed = client.get("/api/v1/tickets").json()["items"]
    assert [t["follow_the_sun"] for t in listed] == [True]
    customer = as_user(contact)
    assert customer.get(f"/api/v1/tickets/{ticket.key}").json()["follow_the_sun"] is None
    timeline = customer.get(f"/api/v1/tickets/{ticket.key}/timeline").json()
    assert "follow_the_sun" not in [e["kind"] for e in timeline]
    staff_timeline = client.get(f"/api/v1/tickets/{ticket.key}/timeline").json()
    assert staff_timeline[-1]["kind"] == "follow_the_sun"


def test_api_refusals_are_problem_bodies(as_user, ticket, engineer, contact, other_customer):
    client = as_user(engineer)
    post_json(client, api(ticket), {"on": True})
    again = post_json(client, api(ticket), {"on": True})
    assert again.status_code == 409
    assert again.json()["detail"] == f"{ticket.key} is already marked to follow the sun."
    assert [e["field"] for e in again.json()["errors"]] == ["on"]
    l3 = open_ticket(contact, SEN, level="L3")
    assert post_json(client, api(l3), {"on": True}).status_code == 409
    refused = post_json(as_user(contact), api(ticket), {"on": False})
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Only Premier Support staff")
    hidden = post_json(as_user(other_customer), api(ticket), {"on": False})
    assert hidden.status_code == 404
    assert hidden.json()["detail"] == f"There is no ticket {ticket.key}, or it is not yours to see."
    assert Ticket.objects.get(pk=ticket.pk).follow_the_sun


# The ticket page ------------------------------------------------------------------------------


def test_staff_mark_with_a_plain_post_and_unmark_with_htmx(as_user, ticket, engineer):
    client = as_user(engineer)
    assert CONTROL in section(page_of(client, ticket), "follow-the-sun")
    response = client.post(url(ticket, "follow-the-sun/"), {"on": "true", "reason": "Asked"})
    assert response.status_code == 302
    assert response.url == url(ticket, "#follow-the-sun")
    html = page_of(client, ticket)
    assert "follows the sun: handed over at each office's end of day." in html
    assert "Stop following the sun" in section(html, "follow-the-sun")
    assert "Follows the sun" in between(html, '<header class="ticket-head">', "</header>")
    assert f"{MARKED} Reason: Asked" in text(section(html, "timeline"))
    unmarked = client.post(url(ticket, "follow-the-sun/"), {"on": "false"}, **HTMX)
    assert unmarked.status_code == 200
    fragment = unescape(unmarked.content.decode())
    assert "<html" not in fragment
    assert "no longer follows the sun" in fragment
    assert CONTROL in section(fragment, "follow-the-sun")
    assert not Ticket.objects.get(pk=ticket.pk).follow_the_sun


def test_a_refusal_is_shown_in_the_form(as_user, ticket, engineer):
    client = as_user(engineer)
    client.post(url(ticket, "follow-the-sun/"), {"on": "true"})
    stale = client.post(url(ticket, "follow-the-sun/"), {"on": "true"}, **HTMX)
    assert stale.status_code == 409
    form = section(unescape(stale.content.decode()), "follow-the-sun")
    assert "is already marked to follow the sun." in form
    missing = client.post(url(ticket, "follow-the-sun/"), {}, **HTMX)
    assert missing.status_code == 400
    assert "Choose to mark or to unmark" in section(missing.content.decode(), "follow-the-sun")


def test_l1_says_it_follows_the_sun_and_l3_offers_nothing(as_user, contact, engineer):
    client = as_user(engineer)
    l1 = open_ticket(contact, SEN, level="L1")
    shown = section(page_of(client, l1), "follow-the-sun")
    assert "L1 tickets follow the sun" in shown
    assert "<form" not in shown
    l3 = open_ticket(contact, SEN, level="L3")
    assert 'id="follow-the-sun"' not in page_of(client, l3)


def test_the_customer_never_sees_the_control_the_badge_or_the_event(
    as_user, ticket, engineer, contact
):
    actions.set_follow_the_sun(engineer, ticket.key, on=True, reason="Night shift needed")
    client = as_user(contact)
    page = page_of(client, ticket)
    listed = unescape(client.get("/portal/tickets/").content.decode())
    refused = client.post(url(ticket, "follow-the-sun/"), {"on": "false"}, **HTMX)
    assert refused.status_code == 403
    for html in (page, listed, unescape(refused.content.decode())):
        assert 'id="follow-the-sun"' not in html
        assert "Follows the sun" not in html
        assert "Marked to follow the sun" not in html
        assert "Night shift needed" not in html
    assert "Only Premier Support staff" in refused.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).follow_the_sun


def test_the_console_queue_badges_marked_tickets(as_user, ticket, engineer, contact):
    other = open_ticket(contact, SEN, summary="Not marked")
    actions.set_follow_the_sun(engineer, ticket.key, on=True)
    html = as_user(engineer).get(QUEUE).content.decode()
    assert "Follows the sun" in between(html, f'<tr id="row-{ticket.key}">', "</tr>")
    assert "Follows the sun" not in between(html, f'<tr id="row-{other.key}">', "</tr>")


# The handover ---------------------------------------------------------------------------------

AMSTERDAM_CLOSES = datetime(2026, 5, 4, 16, 0, tzinfo=UTC)  # 18:00 CEST; Sydney opens 22:00 UTC


def test_the_end_of_day_handover_takes_the_marked_l2_ticket(contact, products, frozen):
    people = {}
    for city, zone in (("Amsterdam", "Europe/Amsterdam"), ("Sydney", "Australia/Sydney")):
        office = office_with_hours(city, zone, time(8), time(18))
        engineer = EngineerFactory.create(
            office=office, user__email=f"{city.lower()}@premier.example"
        )
        engineer.skills.set([products["jira-software"]])
        people[city] = engineer.user
    marked = open_ticket(contact, SEN, level="L2", summary="Marked")
    unmarked = open_ticket(contact, SEN, level="L2", summary="Not marked")
    assert marked.owner == unmarked.owner == people["Amsterdam"]  # on duty at 09:00 UTC
    actions.set_follow_the_sun(people["Amsterdam"], marked.key, on=True)
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    assert office_actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1)) == 1
    owners = dict(Ticket.objects.values_list("summary", "owner"))
    assert owners == {"Marked": people["Sydney"].pk, "Not marked": people["Amsterdam"].pk}
