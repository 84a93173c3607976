"""Closing an office early from the console's rota (docs/product/follow-the-sun.md#closing-early),
with frozen time: who is offered the form, what closing does, and each refusal shown on the page
with its status. On Monday 4 May 2026 at 09:00 UTC Amsterdam (08-18 CEST) and Bengaluru (08-18 IST)
are on duty, Sydney (08-18 AEST, 22:00-08:00 UTC) is not."""

from __future__ import annotations

import re
from datetime import time

import pytest

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.calendars.models import CalendarException
from premierdesk.offices.models import Office
from premierdesk.offices.rules import may_close_early
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.offices.tests.test_routing import office_with_hours
from premierdesk.tickets.tests.conftest import SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
ROTA = "/console/rota/"
REASON = {"reason": "Power cut in the building"}


def close_url(slug: str) -> str:
    return f"{ROTA}{slug}/close-early/"


@pytest.fixture
def rota(products):
    amsterdam = office_with_hours("Amsterdam", "Europe/Amsterdam", time(8), time(18))
    sydney = office_with_hours("Sydney", "Australia/Sydney", time(8), time(18))
    office_with_hours("Bengaluru", "Asia/Kolkata", time(8), time(18))
    people = {}
    for office, name in ((amsterdam, "sanne"), (amsterdam, "joost"), (sydney, "olivia")):
        engineer = EngineerFactory.create(office=office, user__email=f"{name}@premier.example")
        engineer.skills.set([products["jira-software"]])
        people[name] = engineer.user
    amsterdam.lead = people["sanne"]
    amsterdam.save()
    return people


@pytest.fixture
def support_manager(db):
    return UserFactory.create(role=Role.SUPPORT_MANAGER, full_name="Sam Manager")


@pytest.fixture
def critical(contact, rota):
    ticket = open_ticket(contact, SEN, level="L1")
    assert ticket.owner == rota["sanne"]  # Amsterdam is on duty at 09:00 UTC
    return ticket


def page(client) -> str:
    response = client.get(ROTA)
    assert response.status_code == 200
    return response.content.decode()


def forms_on(html: str) -> list[str]:
    """The offices whose "Close early" form the page offers."""
    return re.findall(r'action="/console/rota/([\w-]+)/close-early/"', html)


def on_duty_row(html: str, slug: str) -> str:
    found = re.search(rf'<div id="on-duty-{slug}">.*?</form>', html, re.S)
    assert found, slug
    return found.group(0)


def nothing_closed() -> bool:
    return not CalendarException.objects.exists()


# Who may (pure: unsaved objects).


def test_managers_and_administrators_close_any_office_a_lead_their_own():
    lead = User(pk=1, role=Role.SUPPORT_ENGINEER)
    amsterdam = Office(name="Amsterdam", lead=lead)
    sydney = Office(name="Sydney")
    for role in (Role.SUPPORT_MANAGER, Role.ADMINISTRATOR):
        assert may_close_early(User(pk=2, role=role), sydney)
    assert may_close_early(lead, amsterdam)
    assert not may_close_early(lead, sydney)
    for role in (Role.SUPPORT_ENGINEER, Role.ESCALATION_MANAGER, Role.CUSTOMER):
        assert not may_close_early(User(pk=3, role=role), amsterdam)


# The page.


def test_a_manager_closes_an_office_early_and_its_l1_ticket_is_handed_over(
    critical, rota, support_manager, as_user
):
    client = as_user(support_manager)
    assert forms_on(page(client)) == ["amsterdam", "bengaluru"]
    response = client.post(close_url("amsterdam"), REASON)
    assert (response.status_code, response.url) == (302, ROTA)
    critical.refresh_from_db()
    assert critical.owner == rota["olivia"]  # Sydney comes on duty first (22:00 UTC)
    html = page(client)
    assert "Amsterdam closed early; 1 critical ticket handed over." in html
    assert forms_on(html) == ["bengaluru"]  # Amsterdam is off duty for the rest of its day
    closed = CalendarException.objects.get()
    assert closed.label == "Closed early: Power cut in the building"


def test_an_administrator_is_offered_every_office_on_duty(rota, administrator, as_user):
    assert forms_on(page(as_user(administrator))) == ["amsterdam", "bengaluru"]


def test_an_engineer_sees_no_form_and_is_refused(critical, rota, as_user):
    client = as_user(rota["joost"])
    html = page(client)
    assert forms_on(html) == []
    assert "Amsterdam" in html  # on duty, without a form
    response = client.post(close_url("amsterdam"), REASON)
    assert response.status_code == 403
    assert "Only a support manager or Amsterdam&#x27;s lead closes it early." in (
        response.content.decode()
    )
    critical.refresh_from_db()
    assert critical.owner == rota["sanne"]
    assert nothing_closed()


def test_a_lead_is_offered_their_own_office_only(critical, rota, as_user):
    client = as_user(rota["sanne"])
    assert forms_on(page(client)) == ["amsterdam"]
    refused = client.post(close_url("bengaluru"), REASON)
    assert refused.status_code == 403
    assert "Only a support manager or Bengaluru&#x27;s lead" in refused.content.decode()
    assert nothing_closed()
    response = client.post(close_url("amsterdam"), REASON)
    assert (response.status_code, response.url) == (302, ROTA)
    critical.refresh_from_db()
    assert critical.owner == rota["olivia"]


def test_an_empty_reason_is_refused_beside_the_field(rota, support_manager, as_user):
    response = as_user(support_manager).post(close_url("amsterdam"), {"reason": "  "})
    assert response.status_code == 422
    row = on_duty_row(response.content.decode(), "amsterdam")
    assert '<details class="tool" open>' in row
    assert re.search(r'id="close-amsterdam-reason".*Say why Amsterdam closes early\.', row, re.S)
    assert "Say why" not in on_duty_row(response.content.decode(), "bengaluru")
    assert nothing_closed()


def test_a_too_long_reason_is_refused_beside_the_field(rota, support_manager, as_user):
    response = as_user(support_manager).post(close_url("amsterdam"), {"reason": "x" * 501})
    assert response.status_code == 400
    row = on_duty_row(response.content.decode(), "amsterdam")
    assert "at most 500 characters" in row
    assert nothing_closed()


def test_an_office_off_duty_has_no_form_and_is_refused(rota, support_manager, as_user):
    client = as_user(support_manager)
    assert "sydney" not in forms_on(page(client))
    response = client.post(close_url("sydney"), REASON)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Sydney is not on duty now; there is nothing to close." in html
    assert forms_on(html) == ["amsterdam", "bengaluru"]
    assert nothing_closed()


def test_an_unknown_office_is_refused(rota, support_manager, as_user):
    response = as_user(support_manager).post(close_url("atlantis"), REASON)
    assert response.status_code == 404
    assert "There is no office &#x27;atlantis&#x27;" in response.content.decode()


def test_customers_are_refused(contact, rota, as_user):
    client = as_user(contact)
    refused = client.get(ROTA)
    assert refused.status_code == 403
    assert "The rota is for Premier Support staff." in refused.content.decode()
    response = client.post(close_url("amsterdam"), REASON)
    assert response.status_code == 403
    assert "Only Premier Support staff can see this." in response.content.decode()
    assert nothing_closed()


def test_closing_is_a_post(rota, support_manager, as_user):
    assert as_user(support_manager).get(close_url("amsterdam")).status_code == 405
