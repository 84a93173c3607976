"""The tickets API: opening (and the kept draft), every endpoint's isolation from other
customers, internal material kept from customers on every route, and the list's filters and
query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.tickets import actions
from premierdesk.tickets.models import Draft
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db

NEW_TICKET = {
    "sen": SEN,
    "product": "jira-software",
    "product_version": "10.3.2",
    "environment": "production",
    "level": "L1",
    "summary": "Jira is down",
    "description": "Every node answers 503 since 08:55.",
}


def post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def test_open_a_ticket(as_user, contact):
    response = post(as_user(contact), "/api/v1/tickets", NEW_TICKET)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["key"].startswith("PS-")
    assert (body["status"], body["level"], body["sen"]) == ("waiting_for_support", "L1", SEN)
    assert body["opened_by"]["email"] == contact.email
    got = as_user(contact).get(f"/api/v1/tickets/{body['key']}").json()
    assert got == body


def test_a_refusal_names_the_kept_draft(as_user, contact, participant):
    response = post(as_user(participant), "/api/v1/tickets", NEW_TICKET)
    assert response.status_code == 403
    body = response.json()
    assert "to open Premier tickets, ask your organization's technical contact" in body["detail"]
    draft = Draft.objects.get(author=participant)
    assert body["draft_id"] == draft.pk
    kept = as_user(participant).get(f"/api/v1/drafts/{draft.pk}").json()
    assert kept["fields"]["summary"] == "Jira is down"
    assert as_user(contact).get(f"/api/v1/drafts/{draft.pk}").status_code == 404


def test_level_refusal_is_pinned_to_its_field(as_user, contact):
    response = post(as_user(contact), "/api/v1/tickets", {**NEW_TICKET, "environment": "qa"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["level"]


def ticket_urls(key: str) -> list[str]:
    return [
        f"/api/v1/tickets/{key}",
        f"/api/v1/tickets/{key}/comments",
        f"/api/v1/tickets/{key}/participants",
        f"/api/v1/tickets/{key}/calls",
        f"/api/v1/tickets/{key}/transitions",
        f"/api/v1/tickets/{key}/timeline",
    ]


def test_another_customer_reaches_nothing_of_the_ticket(
    as_user, ticket, other_customer, kestrel_ticket
):
    client = as_user(other_customer)
    for url in ticket_urls(ticket.key):
        response = client.get(url)
        assert response.status_code == 404, url
        assert (
            response.json()["detail"]
            == f"There is no ticket {ticket.key}, or it is not yours to see."
        )
    for url, data in [
        (f"/api/v1/tickets/{ticket.key}/comments", {"body": "hi"}),
        (f"/api/v1/tickets/{ticket.key}/participants", {"email": other_customer.email}),
        (f"/api/v1/tickets/{ticket.key}/transitions", {"to": "resolved"}),
        (f"/api/v1/tickets/{ticket.key}/level", {"level": "L1"}),
    ]:
        assert post(client, url, data).status_code == 404, url
    listed = client.get("/api/v1/tickets").json()["items"]
    assert [t["key"] for t in listed] == [kestrel_ticket.key]


def test_a_participant_sees_only_their_ticket(as_user, ticket, contact, participant):
    second = open_ticket(contact, SEN, summary="Second")
    actions.add_participant(contact, ticket.key, email=participant.email)
    client = as_user(participant)
    assert [t["key"] for t in client.get("/api/v1/tickets").json()["items"]] == [ticket.key]
    assert client.get(f"/api/v1/tickets/{second.key}").status_code == 404
    assert (
        post(client, f"/api/v1/tickets/{ticket.key}/comments", {"body": "From the DBA"}).status_code
        == 201
    )
    assert client.get(f"/api/v1/tickets/{ticket.key}/transitions").json()["allowed"] == []


def test_a_ticket_with_many_participants_is_listed_and_counted_once(
    as_user, ticket, contact, participant, northwind
):
    other = UserFactory.create(full_name="Eve Ng", role=Role.CUSTOMER, organization=northwind)
    for person in (participant, other):
        actions.add_participant(contact, ticket.key, email=person.email)
    for viewer in (contact, participant):
        page = as_user(viewer).get("/api/v1/tickets").json()
        assert ([t["key"] for t in page["items"]], page["count"]) == ([ticket.key], 1)


def test_internal_material_never_reaches_a_customer_by_the_api(as_user, ticket, contact, engineer):
    actions.add_comment(
        engineer, ticket.key, body="SECRET: customer's JVM is unsupported", internal=True
    )
    actions.add_comment(engineer, ticket.key, body="Please send the thread dumps.")
    actions.log_call(
        engineer,
        ticket.key,
        actions.CallInput(
            "outbound", "+1 555 0100", "Grace", NOW - timedelta(minutes=5), 5, "SECRET notes"
        ),
    )
    customer = as_user(contact)
    everything = "".join(customer.get(url).content.decode() for url in ticket_urls(ticket.key))
    everything += customer.get("/api/v1/tickets").content.decode()
    assert "SECRET" not in everything
    assert "Please send the thread dumps." in everything
    comments = customer.get(f"/api/v1/tickets/{ticket.key}/comments").json()
    assert [c["visibility"] for c in comments] == ["public"]
    kinds = [e["kind"] for e in customer.get(f"/api/v1/tickets/{ticket.key}/timeline").json()]
    assert kinds == ["opened", "commented", "call_logged"]
    staff = as_user(engineer)
    assert len(staff.get(f"/api/v1/tickets/{ticket.key}/comments").json()) == 2
    assert staff.get(f"/api/v1/tickets/{ticket.key}/calls").json()[0]["notes"] == "SECRET notes"
    assert customer.get(f"/api/v1/tickets/{ticket.key}/calls").json()[0]["notes"] is None


def test_a_customer_cannot_write_an_internal_comment(as_user, ticket, contact):
    response = post(
        as_user(contact), f"/api/v1/tickets/{ticket.key}/comments", {"body": "x", "internal": True}
    )
    assert response.status_code == 403


def test_edit_a_comment_keeps_its_history(as_user, ticket, contact):
    comment = actions.add_comment(contact, ticket.key, body="first")
    response = as_user(contact).patch(
        f"/api/v1/tickets/{ticket.key}/comments/{comment.pk}",
        {"body": "second"},
        content_type="application/json",
    )
    assert (response.json()["body"], response.json()["revisions"]) == ("second", 1)


def test_transitions_level_owner_and_calls_over_the_api(as_user, ticket, contact, engineer):
    staff = as_user(engineer)
    assert set(staff.get(f"/api/v1/tickets/{ticket.key}/transitions").json()["allowed"]) == {
        "in_progress",
        "waiting_for_customer",
        "resolved",
    }
    assert (
        post(staff, f"/api/v1/tickets/{ticket.key}/owner", {"owner": engineer.email}).json()[
            "owner"
        ]["email"]
        == engineer.email
    )
    assert (
        post(staff, f"/api/v1/tickets/{ticket.key}/transitions", {"to": "in_progress"}).json()[
            "status"
        ]
        == "in_progress"
    )
    refused = post(
        as_user(contact),
        f"/api/v1/tickets/{ticket.key}/transitions",
        {"to": "waiting_for_customer"},
    )
    assert refused.status_code == 403
    assert (
        post(staff, f"/api/v1/tickets/{ticket.key}/level", {"level": "L1"}).json()["level"] == "L1"
    )
    call = {
        "direction": "inbound",
        "phone_number": "+1 555",
        "started_at": "2026-05-04T08:30:00Z",
        "duration_minutes": 10,
    }
    assert post(staff, f"/api/v1/tickets/{ticket.key}/calls", call).status_code == 201
    naive = post(
        staff, f"/api/v1/tickets/{ticket.key}/calls", {**call, "started_at": "2026-05-04T08:30:00"}
    )
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "started_at"


def test_list_filters(as_user, ticket, contact, engineer, second_engineer, kestrel_ticket):
    critical = open_ticket(contact, SEN, level="L1", product="confluence")
    actions.assign_owner(engineer, critical.key, owner_email=second_engineer.email)
    staff = as_user(engineer)

    def keys(query: str) -> list[str]:
        return [t["key"] for t in staff.get(f"/api/v1/tickets?{query}").json()["items"]]

    # Soonest SLA due time first: the L1's first response is due in 30 minutes, the L2s' in 2 h.
    assert keys("") == [critical.key, ticket.key, kestrel_ticket.key]
    assert keys(f"organization={kestrel_ticket.organization.slug}") == [kestrel_ticket.key]
    assert keys("level=L1") == [critical.key]
    assert keys("level=L1&level=L2") == [critical.key, ticket.key, kestrel_ticket.key]
    assert keys("product=confluence") == [critical.key]
    assert keys(f"owner={second_engineer.email}") == [critical.key]
    assert keys("owner=none") == [ticket.key, kestrel_ticket.key]
    assert keys(f"office={second_engineer.engineer.office.slug}") == [critical.key]
    assert keys("status=in_progress") == []


def test_the_list_query_count_does_not_grow_with_tickets(as_user, contact, engineer, frozen):
    staff = as_user(engineer)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get("/api/v1/tickets?page_size=200").status_code == 200
        return len(captured)

    open_ticket(contact, SEN)
    few = count()
    for n in range(12):
        frozen.shift(timedelta(minutes=1))
        ticket = open_ticket(contact, SEN, summary=f"Ticket {n}")
        actions.assign_owner(engineer, ticket.key, owner_email=engineer.email)
    assert count() == few
