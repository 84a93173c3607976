"""Standby pages: asking in the portal (times in the organization's zone, refusals beside
their field), withdrawing, the console's confirm and decline forms, and isolation."""

from __future__ import annotations

import pytest

from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.models import StandbyRequest, StandbyStatus
from premierdesk.services.tests.conftest import SEN

pytestmark = pytest.mark.django_db

FORM = {
    "sen": SEN,
    "product": "jira-software",
    "starts_at": "2026-06-13T09:00",
    "ends_at": "2026-06-13T17:00",
    "plan": "Upgrade both nodes.",
}


@pytest.fixture
def standby(as_user, contact):
    response = as_user(contact).post("/standby/", FORM)
    assert response.status_code == 302, response.content.decode()
    return StandbyRequest.objects.get()


def test_ask_in_the_portal_in_the_organizations_zone(as_user, contact, standby):
    assert standby.starts_at.isoformat() == "2026-06-13T13:00:00+00:00"
    page = as_user(contact).get(f"/standby/{standby.pk}/").content.decode()
    assert "Sat 13 Jun 2026 09:00" in page
    assert "(America/New_York)" in page
    assert "Withdraw" in page


def test_a_refusal_is_shown_beside_its_field(as_user, contact):
    response = as_user(contact).post("/standby/", {**FORM, "ends_at": "2026-06-13T17:01"})
    assert response.status_code == 422  # the refusal's status
    html = response.content.decode()
    assert "this one lasts 8 h 01 min" in html
    assert not StandbyRequest.objects.exists()


def test_withdraw_from_the_page(as_user, contact, standby):
    response = as_user(contact).post(f"/standby/{standby.pk}/withdraw/", {"reason": "Later"})
    assert response.status_code == 302
    standby.refresh_from_db()
    assert standby.status == StandbyStatus.WITHDRAWN


def test_the_console_confirms_and_declines(as_user, standby, support_manager, jira_engineer):
    client = as_user(support_manager)
    page = client.get("/console/standby/").content.decode()
    assert standby.key in page
    assert "Sanne de Vries (Amsterdam)" in page
    response = client.post(
        f"/console/standby/{standby.pk}/confirm/", {"engineer": jira_engineer.user.email}
    )
    assert response.status_code == 302
    standby.refresh_from_db()
    assert standby.status == StandbyStatus.CONFIRMED
    refused = client.post(f"/console/standby/{standby.pk}/decline/", {"reason": ""})
    assert refused.status_code == 422  # the refusal's status
    assert "Say why standby is declined" in refused.content.decode()
    client.post(f"/console/standby/{standby.pk}/decline/", {"reason": "Engineer ill"})
    standby.refresh_from_db()
    assert standby.status == StandbyStatus.DECLINED


def test_an_engineer_sees_the_console_but_cannot_decide(as_user, standby, jira_engineer):
    client = as_user(jira_engineer.user)
    page = client.get("/console/standby/").content.decode()
    assert standby.key in page
    assert "Confirm</button>" not in page
    response = client.post(f"/console/standby/{standby.pk}/decline/", {"reason": "No"})
    assert response.status_code == 403
    assert "Only a support manager can decline weekend standby." in response.content.decode()


def test_another_customer_sees_nothing(as_user, standby, kestrel_contact):
    client = as_user(kestrel_contact)
    assert standby.key not in client.get("/standby/").content.decode()
    assert client.get(f"/standby/{standby.pk}/").status_code == 404
    assert client.post(f"/standby/{standby.pk}/withdraw/").status_code == 404
    assert client.get("/console/standby/").status_code == 403


def test_the_lists_take_a_fixed_number_of_queries(
    as_user, contact, support_manager, jira_engineer, django_assert_max_num_queries
):
    for day in ("13", "20", "27"):
        as_user(contact).post(
            "/standby/",
            {**FORM, "starts_at": f"2026-06-{day}T09:00", "ends_at": f"2026-06-{day}T12:00"},
        )
    standby = StandbyRequest.objects.first()
    assert standby is not None
    standby_actions.confirm_standby(support_manager, standby.pk, engineer=jira_engineer.user.email)
    customer, manager = as_user(contact), as_user(support_manager)
    # A fixed number whatever the rows: 7, the check that the reader is one of the
    # organization's contacts (services.rules: participants read no services), and the
    # service policy whose figures the page states.
    with django_assert_max_num_queries(14):
        customer.get("/standby/")
    with django_assert_max_num_queries(8):
        manager.get("/console/standby/")


def test_the_page_states_the_policy_an_administrator_set(as_user, contact, administrator):
    from premierdesk.audit.actions import save_configuration
    from premierdesk.services.models import ServicePolicy

    policy = ServicePolicy.current()
    policy.standby_notice_days, policy.standby_max_hours = 14, 6
    save_configuration(
        administrator, policy, ["standby_notice_days", "standby_max_hours"], creating=False
    )
    page = as_user(contact).get("/standby/").content.decode()
    assert "a window of at most 6 hours between Saturday" in page
    assert "asked for at least 14 days ahead" in page
    assert "At most 6 hours, within one weekend." in page
    assert "21 days" not in page
    assert "8 hours" not in page
