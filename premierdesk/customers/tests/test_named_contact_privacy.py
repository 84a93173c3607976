"""Asking to add a named contact by address alone gets the same answer for nobody's address,
another customer's and a staff member's, so it does not tell whether the address has an
account elsewhere."""

from __future__ import annotations

import re

import pytest

from premierdesk.accounts.models import User
from premierdesk.customers.models import NamedContact
from premierdesk.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
SEN = "SEN-1234567"
NOBODY = "nobody@elsewhere.example"


@pytest.fixture
def addresses(other_customer, engineer_sydney):
    return {
        "unknown": NOBODY,
        "another customer": other_customer.email,
        "staff": engineer_sydney.email,
    }


def api_answer(client, email: str) -> tuple[int, str, list]:
    response = client.post(
        f"/api/v1/licenses/{SEN}/named-contacts", {"email": email}, content_type="application/json"
    )
    body = response.json()
    errors = [(e["field"], e["message"].replace(email, "<address>")) for e in body["errors"]]
    return response.status_code, body["detail"].replace(email, "<address>"), errors


def page_answer(client, email: str) -> tuple[int, str]:
    response = client.post(
        f"/portal/licenses/{SEN}/named-contacts/add/",
        {"email": email},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode().replace(email, "<address>")
    # The only other difference: each answer masks the CSRF token anew.
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", page)


def nothing_happened() -> None:
    assert not NamedContact.objects.exists()
    assert not User.objects.filter(email=NOBODY).exists()
    assert not OutboxMessage.objects.exists()


def test_the_api_answers_alike_for_every_address_outside_the_organization(
    as_user, technical, addresses
):
    client = as_user(technical)
    answers = {who: api_answer(client, address) for who, address in addresses.items()}
    assert len(set(map(repr, answers.values()))) == 1, answers
    status, detail, errors = answers["unknown"]
    assert status == 422
    assert detail == (
        "<address> is not a person of Northwind Logistics yet; give their full name to invite them."
    )
    assert [field for field, _ in errors] == ["full_name"]
    nothing_happened()


def test_the_page_answers_alike_for_every_address_outside_the_organization(
    as_user, technical, addresses
):
    client = as_user(technical)
    answers = {who: page_answer(client, address) for who, address in addresses.items()}
    assert len(set(answers.values())) == 1
    status, page = answers["unknown"]
    assert status == 422
    assert "is not a person of Northwind Logistics yet" in page
    nothing_happened()
