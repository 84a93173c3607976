"""The standby API: asking, reading, confirming, declining and withdrawing; refusals as
problem bodies; another customer reaches nothing; the list's query count."""

from __future__ import annotations

from datetime import datetime

import pytest

from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.tests.conftest import SEN

pytestmark = pytest.mark.django_db

NEW_STANDBY = {
    "sen": SEN,
    "product": "jira-software",
    "plan": "Migrate Jira Software to PostgreSQL 16.",
    "starts_at": "2026-06-13T09:00",
    "ends_at": "2026-06-13T17:00",
}


def post(client, url: str, data: dict | None = None):
    return client.post(url, data or {}, content_type="application/json")


@pytest.fixture
def standby_id(as_user, contact):
    response = post(as_user(contact), "/api/v1/standby-requests", NEW_STANDBY)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_ask_for_standby(as_user, contact):
    response = post(as_user(contact), "/api/v1/standby-requests", NEW_STANDBY)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["sen"], body["product"]) == ("requested", SEN, "jira-software")
    assert body["starts_at"] == "2026-06-13T13:00:00Z"
    assert body["starts_local"] == "2026-06-13T09:00-04:00"
    assert body["time_zone"] == "America/New_York"
    assert body["requested_by"]["email"] == contact.email
    assert as_user(contact).get(f"/api/v1/standby-requests/{body['id']}").json() == body


def test_a_refusal_is_a_problem_pinned_to_its_field(as_user, contact):
    response = post(
        as_user(contact), "/api/v1/standby-requests", {**NEW_STANDBY, "ends_at": "2026-06-13T17:01"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("A standby window lasts at most 8 hours")
    assert "The earliest window you can ask for runs from Saturday 13 June 09:00" in body["detail"]
    assert [e["field"] for e in body["errors"]] == ["ends_at"]


def test_confirm_decline_and_withdraw(as_user, standby_id, contact, support_manager, jira_engineer):
    manager = as_user(support_manager)
    url = f"/api/v1/standby-requests/{standby_id}"
    refused = post(as_user(contact), f"{url}/confirm", {"engineer": jira_engineer.user.email})
    assert refused.status_code == 403
    confirmed = post(manager, f"{url}/confirm", {"engineer": jira_engineer.user.email})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["engineer"]["email"] == jira_engineer.user.email
    assert post(manager, f"{url}/confirm", {"engineer": jira_engineer.user.email}).status_code == (
        409
    )
    withdrawn = post(as_user(contact), f"{url}/withdraw", {"reason": "Postponed"})
    assert withdrawn.json()["status"] == "withdrawn"
    assert post(manager, f"{url}/decline", {"reason": "x"}).status_code == 409


def test_decline_needs_a_reason(as_user, standby_id, support_manager):
    url = f"/api/v1/standby-requests/{standby_id}/decline"
    response = post(as_user(support_manager), url, {"reason": ""})
    assert response.status_code == 422
    response = post(as_user(support_manager), url, {"reason": "Nobody free"})
    assert response.json()["status"] == "declined"
    assert response.json()["decision_reason"] == "Nobody free"


def test_another_customer_reaches_nothing(as_user, standby_id, kestrel_contact, jira_engineer):
    client = as_user(kestrel_contact)
    assert client.get("/api/v1/standby-requests").json()["count"] == 0
    url = f"/api/v1/standby-requests/{standby_id}"
    assert client.get(url).status_code == 404
    assert post(client, f"{url}/withdraw").status_code == 404
    # Deciding is for support managers, whatever the request: nothing to learn from a 403.
    assert post(client, f"{url}/confirm", {"engineer": jira_engineer.user.email}).status_code == 403
    assert post(client, f"{url}/decline", {"reason": "x"}).status_code == 403
    other_sen = post(client, "/api/v1/standby-requests", NEW_STANDBY)
    assert other_sen.status_code == 404


def test_customers_list_their_organizations_staff_all(
    as_user, standby_id, second_contact, kestrel_contact, support_manager
):
    assert [
        s["id"] for s in as_user(second_contact).get("/api/v1/standby-requests").json()["items"]
    ] == [standby_id]
    assert as_user(support_manager).get("/api/v1/standby-requests").json()["count"] == 1


def test_the_list_takes_a_fixed_number_of_queries(
    as_user, contact, support_manager, jira_engineer, django_assert_max_num_queries
):
    for day in ("13", "20", "27"):
        standby = standby_actions.request_standby(
            contact,
            standby_actions.StandbyInput(
                sen=SEN,
                product="jira-software",
                plan="Upgrade",
                starts_at=datetime.fromisoformat(f"2026-06-{day}T09:00"),
                ends_at=datetime.fromisoformat(f"2026-06-{day}T12:00"),
            ),
        )
        standby_actions.confirm_standby(
            support_manager, standby.pk, engineer=jira_engineer.user.email
        )
    client = as_user(support_manager)
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/standby-requests").json()
    assert body["count"] == 3
