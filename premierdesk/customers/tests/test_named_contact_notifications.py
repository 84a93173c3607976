"""Who hears of each named-contact change, and the invitation of a person without account."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core import mail

from premierdesk.accounts.models import User
from premierdesk.customers import actions
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

frozen = frozen_at(NOW)


def sent(deliver_mail) -> dict[str, list[str]]:
    deliver_mail()
    delivered: dict[str, list[str]] = {}
    for message in mail.outbox:
        for to in message.to:
            delivered.setdefault(to, []).append(str(message.subject))
    mail.outbox.clear()
    return delivered


def test_the_enterprise_manager_hears_of_each_request(license, technical, deliver_mail):
    actions.request_named_contact(technical, license.sen, email=technical.email)
    delivered = sent(deliver_mail)
    assert delivered == {
        "em@premier.example": [f"[SEN-1234567] Approve {technical.full_name} as named contact?"]
    }


def test_without_an_enterprise_manager_the_administrators_hear_of_it(
    license, technical, administrator, deliver_mail
):
    organization = license.organization
    organization.enterprise_manager = None
    organization.save()
    actions.request_named_contact(technical, license.sen, email=technical.email)
    assert list(sent(deliver_mail)) == [administrator.email]


def test_an_approved_person_without_account_is_invited_and_can_then_sign_in(
    client, license, technical, manager, deliver_mail
):
    change = actions.request_named_contact(
        technical, license.sen, email="new@northwind.example", full_name="New Person"
    )
    assert not User.objects.filter(email="new@northwind.example").exists()  # made on approval
    assert list(sent(deliver_mail)) == [manager.email]  # nothing reaches the invitee yet
    actions.approve_change(manager, change.pk)
    invited = User.objects.get(email="new@northwind.example")
    assert not invited.has_usable_password()  # cannot sign in until they choose a password
    deliver_mail()
    (invitation,) = [m for m in mail.outbox if m.to == [invited.email]]
    assert "you do not have a Premier Desk account yet" in invitation.body
    link = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", str(invitation.body))
    assert link, invitation.body
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    password = "a-long-enough-passphrase-2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert client.login(username=invited.email, password=password)
    assert [m.to for m in mail.outbox if m.to != [invited.email]] == [[technical.email]]


def test_a_person_with_an_account_is_told_without_an_invitation(
    license, technical, manager, named_contact, deliver_mail
):
    change = actions.request_named_contact(technical, license.sen, email=named_contact.email)
    sent(deliver_mail)
    actions.approve_change(manager, change.pk)
    deliver_mail()
    (told,) = [m for m in mail.outbox if m.to == [named_contact.email]]
    assert "account yet" not in told.body
    assert f"{named_contact.full_name} is a named contact" in told.subject


def test_the_requester_hears_why_a_request_was_declined(license, technical, manager, deliver_mail):
    change = actions.request_named_contact(technical, license.sen, email=technical.email)
    sent(deliver_mail)
    actions.decline_change(manager, change.pk, "Use the shared DBA account's owner instead")
    deliver_mail()
    (declined,) = mail.outbox
    assert declined.to == [technical.email]
    assert "Why: Use the shared DBA account's owner instead" in declined.body


def test_a_removed_named_contact_is_told(license, technical, manager, named_contact, deliver_mail):
    change = actions.request_named_contact(technical, license.sen, email=named_contact.email)
    actions.approve_change(manager, change.pk)
    sent(deliver_mail)
    actions.remove_named_contact(technical, change.pk, "moved to another team")
    delivered = sent(deliver_mail)
    assert set(delivered) == {named_contact.email, technical.email}
    assert delivered[named_contact.email] == [
        f"[SEN-1234567] {named_contact.full_name} is no longer a named contact"
    ]
