"""Adding a participant never tells a customer whether an address has an account elsewhere
(another customer's, or staff's): nobody's address, another customer's and a staff member's
get the same answer, and nothing happens that the customer could see."""

from __future__ import annotations

import re

import pytest

from premierdesk.accounts.models import User
from premierdesk.notifications.models import OutboxMessage
from premierdesk.tickets import actions
from premierdesk.tickets.models import Participant, TimelineEvent

pytestmark = pytest.mark.django_db
NOBODY = "nobody@elsewhere.example"


@pytest.fixture
def addresses(other_customer, engineer):
    return {"unknown": NOBODY, "another customer": other_customer.email, "staff": engineer.email}


def api_answer(client, key: str, email: str, full_name: str) -> tuple[int, str, list]:
    response = client.post(
        f"/api/v1/tickets/{key}/participants",
        {"email": email, "full_name": full_name},
        content_type="application/json",
    )
    body = response.json()
    detail = body["detail"].replace(email, "<address>")
    errors = [(e["field"], e["message"].replace(email, "<address>")) for e in body["errors"]]
    return response.status_code, detail, errors


def page_answer(client, key: str, email: str, full_name: str) -> tuple[int, str]:
    response = client.post(
        f"/tickets/{key}/participants/",
        {"email": email, "full_name": full_name},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode().replace(email, "<address>")
    # The only other difference: each answer masks the CSRF token anew.
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)


def nothing_visible_happened(ticket) -> None:
    assert not Participant.objects.filter(ticket=ticket).exists()
    assert not User.objects.filter(email=NOBODY).exists()
    assert not OutboxMessage.objects.filter(event_key__startswith="tickets.participant").exists()
    assert not TimelineEvent.objects.filter(ticket=ticket, kind="participant_added").exists()


@pytest.mark.parametrize("full_name", ["", "Some One"])
def test_the_api_answers_alike_for_every_address_outside_the_organization(
    as_user, ticket, contact, addresses, full_name
):
    client = as_user(contact)
    answers = {who: api_answer(client, ticket.key, a, full_name) for who, a in addresses.items()}
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, detail, errors = answers["unknown"]
    assert status == 422
    assert "is not a person of Northwind Logistics" in detail
    assert [field for field, _ in errors] == ["email"]
    nothing_visible_happened(ticket)


@pytest.mark.parametrize("full_name", ["", "Some One"])
def test_the_page_answers_alike_for_every_address_outside_the_organization(
    as_user, ticket, contact, addresses, full_name
):
    client = as_user(contact)
    answers = {who: page_answer(client, ticket.key, a, full_name) for who, a in addresses.items()}
    assert len(set(answers.values())) == 1
    status, page = answers["unknown"]
    assert status == 422
    assert "is not a person of Northwind Logistics" in page
    nothing_visible_happened(ticket)


def test_a_colleague_with_an_account_is_still_added(ticket, contact, participant):
    added = actions.add_participant(contact, ticket.key, email=participant.email.upper())
    assert added.person == participant


def test_premier_support_still_invites_someone_new(ticket, engineer):
    added = actions.add_participant(
        engineer, ticket.key, email="net.team@northwind.example", full_name="Network Team"
    )
    assert added.person.organization == ticket.organization
    assert not added.person.has_usable_password()
