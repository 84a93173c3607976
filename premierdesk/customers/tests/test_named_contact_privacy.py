"""Asking to add a named contact (or a cover) gets the same answer, and sends the same e-mails,
for nobody's address, another customer's and a staff member's, with or without a full name,
so it never tells whether the address has an account elsewhere. Such an address is found out
when an approver decides: the approval is refused to them, saying why, and the requester only
ever learns that the request was declined."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from premierdesk.accounts.actions import create_account
from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.customers import actions, queries
from premierdesk.customers.models import ChangeStatus, NamedContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.lib.errors import Conflict
from premierdesk.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
SEN = "SEN-1234567"
URL = f"/api/v1/licenses/{SEN}/named-contacts"
PAGE = f"/portal/licenses/{SEN}/named-contacts/"
QUEUE = "/console/named-contacts/"
NOBODY = "nobody@elsewhere.example"
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def addresses(other_customer, engineer_sydney):
    return {
        "unknown": NOBODY,
        "another customer": other_customer.email,
        "staff": engineer_sydney.email,
    }


@contextmanager
def undone() -> Iterator[None]:
    """Each address is asked about on the same license as it stands, then undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def masked(text: str, email: str) -> str:
    """``text`` without what may differ between two answers: the address asked about, the
    ids of what was made, and the CSRF token each page masks anew."""
    text = text.replace(email, "<address>")
    text = re.sub(r'"id": \d+', '"id": 0', text)
    text = re.sub(r"(window-|named-contacts/)\d+", r"\1<id>", text)
    text = re.sub(r'"X-CSRFToken": "\w+"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", text)


def mail_sent(email: str) -> list[tuple[str, str, str]]:
    return sorted(
        (m.recipient, masked(m.subject, email), masked(m.body, email))
        for m in OutboxMessage.objects.all()
    )


def api_answer(client, email: str, data: dict, url: str = URL) -> tuple[int, str, list]:
    with undone():
        response = client.post(url, {"email": email, **data}, content_type="application/json")
        answer = (response.status_code, masked(response.content.decode(), email))
        return (*answer, mail_sent(email))


def page_answer(client, email: str, data: dict, path: str = "add/") -> tuple[int, str, list]:
    with undone():
        response = client.post(
            f"{PAGE}{path}", {"email": email, **data}, headers={"HX-Request": "true"}
        )
        answer = (response.status_code, masked(response.content.decode(), email))
        return (*answer, mail_sent(email))


def all_alike(answers: dict[str, tuple]) -> tuple:
    assert len({repr(answer) for answer in answers.values()}) == 1, answers
    return answers["unknown"]


def nothing_happened() -> None:
    assert not NamedContact.objects.exists()
    assert not User.objects.filter(email=NOBODY).exists()
    assert not OutboxMessage.objects.exists()


# Asking: by address alone ---------------------------------------------------------------


def test_the_api_answers_alike_for_every_address_outside_the_organization(
    as_user, technical, addresses
):
    client = as_user(technical)
    answers = {who: api_answer(client, address, {}) for who, address in addresses.items()}
    status, body, sent = all_alike(answers)
    assert status == 422
    problem = json.loads(body)
    assert problem["detail"] == (
        "<address> is not a person of Northwind Logistics yet; give their full name to invite them."
    )
    assert [e["field"] for e in problem["errors"]] == ["full_name"]
    assert sent == []
    nothing_happened()


def test_the_page_answers_alike_for_every_address_outside_the_organization(
    as_user, technical, addresses
):
    client = as_user(technical)
    answers = {who: page_answer(client, address, {}) for who, address in addresses.items()}
    status, page, sent = all_alike(answers)
    assert status == 422
    assert "is not a person of Northwind Logistics yet" in page
    assert sent == []
    nothing_happened()


# Asking: with a full name (an invitation) ----------------------------------------------


def test_the_api_invites_every_address_outside_the_organization_alike(
    as_user, technical, manager, addresses
):
    client = as_user(technical)
    data = {"full_name": "Kim Lee", "reason": "new DBA"}
    answers = {who: api_answer(client, address, data) for who, address in addresses.items()}
    status, body, sent = all_alike(answers)
    assert status == 201
    window = json.loads(body)
    assert window["person"] == {"email": "<address>", "full_name": "Kim Lee", "has_account": False}
    assert window["invited"] is True
    assert window["status"] == window["state"] == "pending"
    # The approver is told; the requester, the address and nobody else hear anything yet.
    assert [recipient for recipient, _, _ in sent] == [manager.email]
    assert "Kim Lee is not a person of Northwind Logistics yet" in sent[0][2]


def test_the_page_invites_every_address_outside_the_organization_alike(
    as_user, technical, addresses
):
    client = as_user(technical)
    data = {"full_name": "Kim Lee", "reason": "new DBA"}
    answers = {who: page_answer(client, address, data) for who, address in addresses.items()}
    status, page, _ = all_alike(answers)
    assert status == 200
    assert "Asked for <address> to become a named contact of SEN-1234567." in page


def test_a_plain_post_of_the_page_is_redirected_alike(as_user, technical, addresses):
    client = as_user(technical)

    def answer(email: str) -> tuple[int, str, str]:
        with undone():
            response = client.post(f"{PAGE}add/", {"email": email, "full_name": "Kim Lee"})
            follow = client.get(response["Location"])
            return (
                response.status_code,
                response["Location"],
                masked(follow.content.decode(), email),
            )

    answers = {who: answer(address) for who, address in addresses.items()}
    assert len(set(answers.values())) == 1, answers
    assert answers["unknown"][0] == 302


def test_a_cover_is_asked_for_alike(as_user, license, technical, manager, named_contact, addresses):
    on_leave = add_approved(license, technical, manager, named_contact.email).pk
    OutboxMessage.objects.all().delete()
    client = as_user(technical)
    data = {
        "full_name": "Kim Lee",
        "starts_at": "2026-05-10T00:00:00Z",
        "ends_at": "2026-05-17T00:00:00Z",
    }
    url = f"{URL}/{on_leave}/cover"
    answers = {who: api_answer(client, address, data, url) for who, address in addresses.items()}
    status, body, _ = all_alike(answers)
    assert status == 201
    assert json.loads(body)["covers"]["email"] == named_contact.email
    page_data = {**data, "covered_id": on_leave, "starts_at": "2026-05-10T00:00"}
    page_data["ends_at"] = "2026-05-17T00:00"
    pages = {
        who: page_answer(client, address, page_data, "cover/") for who, address in addresses.items()
    }
    assert all_alike(pages)[0] == 200


def test_an_invited_address_has_no_account_until_approval(technical, license, addresses):
    for address in addresses.values():
        change = actions.request_named_contact(
            technical, license.sen, email=address.upper(), full_name=" Kim Lee "
        )
        assert change.person is None
        assert (change.invited_email, change.invited_name) == (address, "Kim Lee")
        assert str(change) == f"Kim Lee <{address}> on {SEN}"  # as the audit trail names it
    assert not User.objects.filter(email=NOBODY).exists()
    entry = (
        AuditEntry.objects.filter(action="customers.named_contact_requested").order_by("id").first()
    )
    assert entry is not None
    assert entry.changes["person"] == [None, NOBODY]
    assert entry.changes["invited_name"] == [None, "Kim Lee"]


def test_an_address_of_the_organization_is_its_person_at_once(technical, license, named_contact):
    change = actions.request_named_contact(
        technical, license.sen, email=named_contact.email, full_name="Whatever Typed"
    )
    assert change.person == named_contact
    assert (change.invited_email, change.invited_name) == ("", "")


def test_windows_of_one_invited_address_must_not_overlap(technical, license, other_customer):
    actions.request_named_contact(technical, license.sen, email=other_customer.email, full_name="A")
    with pytest.raises(Conflict, match="windows of one person must not overlap"):
        actions.request_named_contact(
            technical, license.sen, email=other_customer.email, full_name="A"
        )


# Deciding -------------------------------------------------------------------------------


def invite(technical, email: str) -> NamedContact:
    return actions.request_named_contact(technical, SEN, email=email, full_name="Kim Lee")


def test_approving_an_unknown_address_makes_a_customer_account_of_the_organization(
    license, technical, manager
):
    change = invite(technical, NOBODY)
    approved = actions.approve_change(manager, change.pk)
    person = User.objects.get(email=NOBODY)
    assert approved.person == person
    assert approved.status == ChangeStatus.APPROVED
    assert approved.invited_email == NOBODY  # the record of whom the request asked for
    assert (person.role, person.organization, person.full_name) == (
        Role.CUSTOMER,
        license.organization,
        "Kim Lee",
    )
    assert person.time_zone == license.organization.time_zone
    assert not person.has_usable_password()
    assert [c.person_id for c in queries.active_contacts(license, NOW)] == [person.pk]
    created = AuditEntry.objects.get(action="accounts.account_created")
    assert created.actor == manager
    entry = AuditEntry.objects.get(action="customers.named_contact_approved")
    assert entry.changes["person"] == [None, NOBODY]
    invitation = OutboxMessage.objects.get(recipient=NOBODY)
    assert "you do not have a Premier Desk account yet" in invitation.body


@pytest.mark.parametrize(
    ("who", "whose"),
    [("another customer", "another organization's customer"), ("staff", "Premier Support staff")],
)
def test_approving_an_address_with_an_account_elsewhere_is_refused_to_the_approver(
    technical, manager, addresses, who, whose
):
    change = invite(technical, addresses[who])
    before = User.objects.get(email=addresses[who])
    with pytest.raises(Conflict) as refused:
        actions.approve_change(manager, change.pk)
    assert refused.value.detail.startswith(
        f"{addresses[who]} already has a Premier Desk account, of {whose}, so it cannot "
        "become a named contact of Northwind Logistics"
    )
    assert "Decline the request." in refused.value.detail
    change.refresh_from_db()
    assert (change.status, change.person) == (ChangeStatus.PENDING, None)
    after = User.objects.get(email=addresses[who])
    assert (after.organization_id, after.role) == (before.organization_id, before.role)
    assert not AuditEntry.objects.filter(action="customers.named_contact_approved").exists()


def test_the_approver_reads_the_refusal_in_the_api_and_the_queue(
    as_user, technical, manager, other_customer
):
    change = invite(technical, other_customer.email)
    response = as_user(manager).post(
        f"/api/v1/named-contact-changes/{change.pk}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "another organization's customer" in response.json()["detail"]
    page = as_user(manager).post(f"{QUEUE}{change.pk}/approve/", {}, headers={"HX-Request": "true"})
    assert page.status_code == 409
    assert "already has a Premier Desk account" in page.content.decode()
    assert f'id="change-{change.pk}"' in page.content.decode()  # still there to decline


def test_the_requester_learns_only_that_the_request_was_declined(
    as_user, technical, manager, addresses
):
    """An approver who tries to approve and then declines: whatever the address, the
    requester gets the same e-mail and reads the same change."""
    tried: dict[str, int] = {}

    def declined(who: str, email: str) -> tuple:
        with undone():
            change = invite(technical, email)
            OutboxMessage.objects.all().delete()
            tried[who] = attempted_approval(as_user(manager), change.pk)
            decided = actions.decline_change(manager, change.pk, "Ask Premier Support.")
            answer = as_user(technical).get(f"/api/v1/named-contact-changes/{change.pk}")
            return decided.status, mail_sent(email), masked(answer.content.decode(), email)

    answers = {who: declined(who, address) for who, address in addresses.items()}
    assert tried == {"unknown": 200, "another customer": 409, "staff": 409}
    status, sent, answer = all_alike(answers)
    assert status == ChangeStatus.DECLINED
    assert [recipient for recipient, _, _ in sent] == [technical.email]
    assert "declined the request for Kim Lee <<address>>" in sent[0][2]
    assert "Why: Ask Premier Support." in sent[0][2]
    assert "account" not in sent[0][2]
    assert json.loads(answer)["status"] == "declined"


def attempted_approval(client, change_id: int) -> int:
    """The status of an approval through the API, undone whatever it did."""
    with undone():
        response = client.post(
            f"/api/v1/named-contact-changes/{change_id}/approve",
            {},
            content_type="application/json",
        )
        return response.status_code


def test_a_withdrawn_invitation_tells_the_requester_not_the_address(
    technical, manager, other_customer
):
    change = invite(technical, other_customer.email)
    OutboxMessage.objects.all().delete()
    withdrawn = actions.remove_named_contact(technical, change.pk, "not needed")
    assert withdrawn.status == ChangeStatus.WITHDRAWN
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == [technical.email]


def test_an_address_that_became_a_person_of_the_organization_is_linked_on_approval(
    license, technical, manager
):
    change = invite(technical, NOBODY)
    meanwhile = UserFactory.create(
        email=NOBODY, role=Role.CUSTOMER, organization=license.organization
    )
    approved = actions.approve_change(manager, change.pk)
    assert approved.person == meanwhile
    assert User.objects.filter(email=NOBODY).count() == 1
    assert not AuditEntry.objects.filter(action="accounts.account_created").exists()


def test_one_address_invited_to_two_licenses_gets_one_account(license, technical, manager):
    second = LicenseFactory.create(organization=license.organization)
    actions.request_named_contact(manager, second.sen, email=NOBODY, full_name="Kim Lee")
    first = invite(technical, NOBODY)
    other = NamedContact.objects.get(license=second)
    actions.approve_change(manager, first.pk)
    actions.approve_change(manager, other.pk)
    person = User.objects.get(email=NOBODY)
    assert set(NamedContact.objects.values_list("person", flat=True)) == {person.pk}


def test_approving_twice_makes_one_account(technical, manager):
    change = invite(technical, NOBODY)
    actions.approve_change(manager, change.pk)
    with pytest.raises(Conflict, match="already approved"):
        actions.approve_change(manager, change.pk)
    assert User.objects.filter(email=NOBODY).count() == 1


def test_a_double_click_on_approve_in_the_queue_makes_one_account(as_user, technical, manager):
    change = invite(technical, NOBODY)
    client = as_user(manager)
    first = client.post(f"{QUEUE}{change.pk}/approve/", {})
    second = client.post(f"{QUEUE}{change.pk}/approve/", {})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "This change was already approved." in second.content.decode()
    assert User.objects.filter(email=NOBODY).count() == 1


def test_an_invited_approval_that_does_not_fit_makes_no_account(
    license, technical, manager, frozen
):
    for n in range(license.named_contact_slots):
        add_approved(license, technical, manager, f"p{n}@northwind.example")
    change = invite(technical, NOBODY)
    with pytest.raises(Conflict, match="all are taken"):
        actions.approve_change(manager, change.pk)
    assert not User.objects.filter(email=NOBODY).exists()


def test_two_invitations_of_one_address_at_different_times_are_one_person(
    license, technical, manager
):
    later = NOW + timedelta(days=10)
    first = actions.request_named_contact(
        technical, SEN, email=NOBODY, full_name="Kim Lee", ends_at=NOW + timedelta(days=5)
    )
    second = actions.request_named_contact(
        technical, SEN, email=NOBODY, full_name="Kim Lee", starts_at=later
    )
    actions.approve_change(manager, first.pk)
    person = User.objects.get(email=NOBODY)
    actions.approve_change(manager, second.pk)
    assert set(NamedContact.objects.values_list("person", flat=True)) == {person.pk}
    assert NamedContact.objects.filter(status=ChangeStatus.APPROVED, person=person).count() == 2


def test_an_account_made_at_the_same_moment_elsewhere_is_found_not_made_twice(
    technical, manager, monkeypatch
):
    """Another approval (or an administrator) commits the address's account between our look
    and our insert: the approval takes that account instead of failing."""
    change = invite(technical, NOBODY)

    def made_meanwhile(actor, **fields):
        create_account(None, **fields)
        return create_account(actor, **fields)

    monkeypatch.setattr(actions, "create_account", made_meanwhile)
    approved = actions.approve_change(manager, change.pk)
    assert approved.person == User.objects.get(email=NOBODY)
    assert approved.status == ChangeStatus.APPROVED
