"""Password reset by e-mailed link; the new password is set through the audited action."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse

from premierdesk.accounts.models import User
from premierdesk.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def reset_link(message: EmailMessage) -> str:
    found = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", str(message.body))
    assert found, message.body
    return found.group(1)


def test_reset_link_sets_a_new_password(client, named_contact, deliver_mail):
    response = client.post(reverse("accounts:password-reset"), {"email": named_contact.email})
    assert response.url == reverse("accounts:password-reset-sent")
    assert mail.outbox == []  # queued in the outbox, sent by the worker
    assert deliver_mail().sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [named_contact.email]
    link = reset_link(message)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "a-much-better-passphrase-2026"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.url == reverse("accounts:password-reset-complete")
    assert User.objects.get(pk=named_contact.pk).check_password(new_password)
    assert (
        AuditEntry.objects.filter(
            action="accounts.password_set", object_id=str(named_contact.pk)
        ).count()
        == 1
    )


def test_reset_for_unknown_address_sends_nothing_but_looks_the_same(client, deliver_mail):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("accounts:password-reset-sent")
    assert deliver_mail().sent == 0
    assert mail.outbox == []


def test_used_link_no_longer_works(client, named_contact, deliver_mail):
    client.post(reverse("accounts:password-reset"), {"email": named_contact.email})
    deliver_mail()
    link = reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    new_password = "a-much-better-passphrase-2026"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    again = client.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_invited_person_without_password_can_ask_for_a_new_link(client, northwind, deliver_mail):
    invited = User.objects.create(
        email="invited@northwind.example", full_name="In Vited", organization=northwind
    )
    invited.set_unusable_password()
    invited.save()
    client.post(reverse("accounts:password-reset"), {"email": "Invited@Northwind.example"})
    deliver_mail()
    assert [m.to for m in mail.outbox] == [[invited.email]]
    assert reset_link(mail.outbox[0])
