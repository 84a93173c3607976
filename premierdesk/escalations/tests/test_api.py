"""The escalations API: each endpoint's happy path, its refusals as problem JSON, and its
isolation: another customer's contact gets 404 on every object, customers never see developer
assistance, and the lists stay at a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from premierdesk.escalations import actions
from premierdesk.tickets.tests.conftest import NOW
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


CALLBACK = {"wants": "support_manager", "complaint": "Slow answers.", "phone": "+1 555 0100"}


@pytest.fixture
def everything(ticket, contact, engineer, escalation_manager, support_manager, jira_team):
    """An escalation, a callback and a developer request on Grace's ticket."""
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    callback = actions.request_callback(contact, ticket.key, actions.CallbackInput(**CALLBACK))
    asked = actions.ask_developers(engineer, ticket.key, actions.AssistanceInput(question="?"))
    return escalation, callback, asked


def test_escalate_and_resolve(as_user, ticket, contact, escalation_manager):
    response = post(
        as_user(contact),
        "/api/v1/escalations",
        {"ticket": ticket.key, "reason": "not_progressing", "details": "Stuck."},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["ticket"], body["open"], body["manager"]["email"]) == (
        ticket.key,
        True,
        escalation_manager.email,
    )
    again = post(as_user(contact), "/api/v1/escalations", {"ticket": ticket.key, "reason": "other"})
    assert again.status_code == 409
    assert "erin@premier.example" in again.json()["detail"]
    assert as_user(contact).get(f"/api/v1/escalations/{body['id']}").json()["open"] is True
    url = f"/api/v1/escalations/{body['id']}/resolve"
    assert post(as_user(contact), url, {"outcome": "x"}).status_code == 403
    resolved = post(as_user(escalation_manager), url, {"outcome": "Hotfix."})
    assert resolved.status_code == 200
    assert (resolved.json()["open"], resolved.json()["outcome"]) == (False, "Hotfix.")


def test_the_escalation_list_is_for_staff(as_user, everything, contact, engineer):
    assert as_user(contact).get("/api/v1/escalations").status_code == 403
    body = as_user(engineer).get("/api/v1/escalations?open=true").json()
    assert [e["id"] for e in body["items"]] == [everything[0].pk]


def test_callbacks_over_the_api(as_user, ticket, contact, support_manager, frozen):
    response = post(as_user(contact), "/api/v1/callbacks", {"ticket": ticket.key, **CALLBACK})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["due_at"].startswith("2026-05-04T13:00")
    assert body["assignee"]["email"] == support_manager.email
    mine = as_user(contact).get("/api/v1/callbacks").json()["items"]
    assert [c["id"] for c in mine] == [body["id"]]
    frozen.move_to(NOW + timedelta(hours=5))
    assert as_user(contact).get(f"/api/v1/callbacks/{body['id']}").json()["overdue"] is True
    outcome = {
        "called_back_at": (NOW + timedelta(hours=4, minutes=30)).isoformat(),
        "outcome": "ok",
    }
    url = f"/api/v1/callbacks/{body['id']}/outcome"
    assert post(as_user(contact), url, outcome).status_code == 403
    closed = post(as_user(support_manager), url, outcome)
    assert closed.status_code == 200, closed.content
    assert closed.json()["open"] is False
    assert as_user(contact).get(f"/api/v1/callbacks/{body['id']}").json()["outcome"] == "ok"


def test_a_customer_sees_only_the_callbacks_they_asked_for(
    as_user, everything, contact, other_customer, kestrel_ticket, support_manager
):
    post(as_user(other_customer), "/api/v1/callbacks", {"ticket": kestrel_ticket.key, **CALLBACK})
    theirs = as_user(other_customer).get("/api/v1/callbacks").json()["items"]
    assert [c["ticket"] for c in theirs] == [kestrel_ticket.key]


def test_developer_assistance_over_the_api(as_user, ticket, engineer, developer, jira_team):
    response = post(
        as_user(engineer),
        "/api/v1/developer-assistance",
        {"ticket": ticket.key, "question": "Known bug?", "urgency": "high"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["team"], body["premier"], body["level"]) == ("jira", True, "L2")
    queue = as_user(developer).get("/api/v1/developer-assistance").json()["items"]
    assert [r["id"] for r in queue] == [body["id"]]
    assert as_user(developer).get("/api/v1/developer-assistance?team=nope").status_code == 404
    url = f"/api/v1/developer-assistance/{body['id']}/answer"
    answered = post(as_user(developer), url, {"answer": "Yes, KB-1."})
    assert answered.status_code == 200
    assert answered.json()["answer"] == "Yes, KB-1."
    # The answer is on the staff timeline.
    timeline = as_user(engineer).get(f"/api/v1/tickets/{ticket.key}/timeline").json()
    assert any(e["kind"] == "developers_answered" for e in timeline)


def test_customers_never_see_developer_assistance(as_user, everything, ticket, contact):
    asked = everything[2]
    actions.answer_request(asked.team.members.get(), asked.pk, answer="Secret internals.")
    client = as_user(contact)
    assert client.get("/api/v1/developer-assistance").status_code == 403
    assert client.get(f"/api/v1/developer-assistance/{asked.pk}").status_code == 404
    url = "/api/v1/developer-assistance"
    assert post(client, url, {"ticket": ticket.key, "question": "?"}).status_code == 403
    timeline = client.get(f"/api/v1/tickets/{ticket.key}/timeline")
    assert timeline.status_code == 200
    assert "developers" not in timeline.content.decode()
    assert "Secret internals." not in timeline.content.decode()


def test_another_customer_gets_404_on_every_object(as_user, everything, ticket, other_customer):
    escalation, callback, asked = everything
    client = as_user(other_customer)
    for url in (
        f"/api/v1/escalations/{escalation.pk}",
        f"/api/v1/callbacks/{callback.pk}",
        f"/api/v1/developer-assistance/{asked.pk}",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        ("/api/v1/escalations", {"ticket": ticket.key, "reason": "critical_bug"}),
        (f"/api/v1/escalations/{escalation.pk}/resolve", {"outcome": "x"}),
        ("/api/v1/callbacks", {"ticket": ticket.key, **CALLBACK}),
        (
            f"/api/v1/callbacks/{callback.pk}/outcome",
            {"called_back_at": NOW.isoformat(), "outcome": "x"},
        ),
        ("/api/v1/developer-assistance", {"ticket": ticket.key, "question": "?"}),
        (f"/api/v1/developer-assistance/{asked.pk}/answer", {"answer": "x"}),
    ):
        response = post(client, url, data)
        assert response.status_code == 404, url
        assert ticket.summary not in response.content.decode()
    assert client.get("/api/v1/callbacks").json()["items"] == []


def test_the_lists_make_a_fixed_number_of_queries(
    as_user,
    contact,
    license,
    engineer,
    escalation_manager,
    support_manager,
    jira_team,
    django_assert_max_num_queries,
):
    for _ in range(5):
        ticket = open_ticket(contact, license.sen)
        actions.escalate(contact, ticket.key, reason="critical_bug")
        actions.request_callback(contact, ticket.key, actions.CallbackInput(**CALLBACK))
        actions.ask_developers(engineer, ticket.key, actions.AssistanceInput(question="?"))
    client = as_user(engineer)
    for url in ("/api/v1/escalations", "/api/v1/callbacks", "/api/v1/developer-assistance"):
        with django_assert_max_num_queries(6):
            assert len(client.get(url).json()["items"]) == 5


def test_the_ticket_api_marks_escalated_tickets(as_user, contact, license, escalation_manager):
    calm, hot = open_ticket(contact, license.sen), open_ticket(contact, license.sen)
    actions.escalate(contact, hot.key, reason="critical_bug")
    client = as_user(contact)
    listed = {t["key"]: t["escalated"] for t in client.get("/api/v1/tickets").json()["items"]}
    assert listed == {calm.key: False, hot.key: True}
    assert client.get(f"/api/v1/tickets/{hot.key}").json()["escalated"] is True
    assert client.get(f"/api/v1/tickets/{calm.key}").json()["escalated"] is False
