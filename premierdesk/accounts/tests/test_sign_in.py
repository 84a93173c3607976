"""Signing in through the page: success, refusals, lock-out and its expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from premierdesk.accounts.tests.factories import FACTORY_PASSWORD
from premierdesk.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("accounts:sign-in")


def post_sign_in(client: Client, email: str, password: str, **extra):
    return client.post(SIGN_IN, {"email": email, "password": password, **extra})


def test_named_contact_signs_in_and_lands_on_the_portal(client, named_contact):
    response = post_sign_in(client, named_contact.email.upper(), FACTORY_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert client.get(response.url).url == reverse("web:portal")
    assert AuditEntry.objects.filter(action="accounts.signed_in", actor=named_contact).exists()


def test_staff_land_on_the_console(client, engineer_sydney):
    response = post_sign_in(client, engineer_sydney.email, FACTORY_PASSWORD)
    assert client.get(response.url).url == reverse("web:console")


def test_wrong_password_is_refused_with_a_clear_message(client, named_contact):
    response = post_sign_in(client, named_contact.email, "wrong")
    assert response.status_code == 400
    assert "do not match an active account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deactivated_account_cannot_sign_in(client, named_contact):
    named_contact.is_active = False
    named_contact.save()
    response = post_sign_in(client, named_contact.email, FACTORY_PASSWORD)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_next_url_is_followed_only_on_this_site(client, named_contact):
    response = post_sign_in(client, named_contact.email, FACTORY_PASSWORD, next="/portal/")
    assert response.url == "/portal/"
    client.logout()
    response = post_sign_in(
        client, named_contact.email, FACTORY_PASSWORD, next="https://evil.example/"
    )
    assert response.url == reverse("web:home")


def test_five_failures_lock_the_address_even_for_the_right_password(
    client, named_contact, settings
):
    settings.SIGN_IN_MAX_FAILURES = 5
    for _ in range(4):
        assert "do not match" in post_sign_in(client, named_contact.email, "bad").content.decode()
    locked = post_sign_in(client, named_contact.email, "bad").content.decode()
    assert "Too many failed sign-ins" in locked
    response = post_sign_in(client, named_contact.email, FACTORY_PASSWORD)
    assert response.status_code == 400
    assert "Too many failed sign-ins" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.locked_out")
    assert entry.actor == named_contact
    assert entry.object_repr == named_contact.email


def test_lock_out_ends_after_the_lockout_period(client, named_contact, settings):
    settings.SIGN_IN_LOCKOUT_SECONDS = 900
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(settings.SIGN_IN_MAX_FAILURES):
            post_sign_in(client, named_contact.email, "bad")
        traveller.shift(timedelta(seconds=899))
        assert post_sign_in(client, named_contact.email, FACTORY_PASSWORD).status_code == 400
        traveller.shift(timedelta(seconds=2))
        assert post_sign_in(client, named_contact.email, FACTORY_PASSWORD).status_code == 302


def test_failures_outside_the_window_do_not_add_up(client, named_contact, settings):
    settings.SIGN_IN_FAILURE_WINDOW_SECONDS = 900
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
            post_sign_in(client, named_contact.email, "bad")
        traveller.shift(timedelta(minutes=16))
        post_sign_in(client, named_contact.email, "bad")
        assert post_sign_in(client, named_contact.email, FACTORY_PASSWORD).status_code == 302


def test_unknown_addresses_are_locked_the_same_way(client):
    """A lock-out must not reveal whether an account exists."""
    for _ in range(5):
        response = post_sign_in(client, "nobody@example.com", "bad")
    assert "Too many failed sign-ins" in response.content.decode()


def test_successful_sign_in_clears_earlier_failures(client, named_contact, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        post_sign_in(client, named_contact.email, "bad")
    assert post_sign_in(client, named_contact.email, FACTORY_PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        post_sign_in(client, named_contact.email, "bad")
    assert post_sign_in(client, named_contact.email, FACTORY_PASSWORD).status_code == 302


def test_sign_out_needs_post_and_ends_the_session(as_user, named_contact):
    client = as_user(named_contact)
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))
    assert response.status_code == 302
    assert client.get(reverse("web:portal")).url.startswith(reverse("accounts:sign-in"))
