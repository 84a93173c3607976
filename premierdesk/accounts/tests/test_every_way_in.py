"""Every way in (the sign-in page, the admin's login, the API token exchange, a bare
``authenticate()``) goes through the one sign-in action: lock-out and audit included."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from premierdesk.accounts.models import User
from premierdesk.accounts.tests.factories import FACTORY_PASSWORD
from premierdesk.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
ADMIN_LOGIN = "/admin/login/"


def lock_out(client, email: str, settings) -> None:
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        client.post(reverse("accounts:sign-in"), {"email": email, "password": "bad"})


def test_the_admin_login_is_our_sign_in_page_with_next(client):
    response = client.get(ADMIN_LOGIN, {"next": "/admin/accounts/user/"})
    assert response.status_code == 302
    target = urlsplit(response.url)
    assert target.path == reverse("accounts:sign-in")
    assert parse_qs(target.query)["next"] == ["/admin/accounts/user/"]


def test_the_admin_sends_visitors_to_our_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:sign-in"))
    assert "Sign in" in response.content.decode()


def test_a_locked_address_does_not_sign_in_through_the_admin_login(client, administrator, settings):
    lock_out(client, administrator.email, settings)
    response = client.post(
        ADMIN_LOGIN,
        {"username": administrator.email, "password": FACTORY_PASSWORD, "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert not AuditEntry.objects.filter(action="accounts.signed_in").exists()
    assert response.status_code in (302, 400, 429)


def test_signing_in_for_the_admin_is_audited_and_lands_on_the_admin(client, administrator):
    response = client.post(
        reverse("accounts:sign-in"),
        {"email": administrator.email, "password": FACTORY_PASSWORD, "next": "/admin/"},
    )
    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.signed_in", actor=administrator).exists()


def test_a_bare_authenticate_respects_the_lock_out(client, named_contact, settings):
    lock_out(client, named_contact.email, settings)
    assert authenticate(None, email=named_contact.email, password=FACTORY_PASSWORD) is None
    assert authenticate(None, username=named_contact.email, password=FACTORY_PASSWORD) is None


def test_a_bare_authenticate_counts_failures_and_audits_success(named_contact, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        assert authenticate(None, email=named_contact.email, password="bad") is None
    assert AuditEntry.objects.filter(action="accounts.locked_out").count() == 1
    assert authenticate(None, email=named_contact.email, password=FACTORY_PASSWORD) is None


def test_a_bare_authenticate_that_succeeds_is_audited(named_contact):
    user = authenticate(None, email=named_contact.email.upper(), password=FACTORY_PASSWORD)
    assert user == named_contact
    assert AuditEntry.objects.filter(action="accounts.signed_in", actor=named_contact).count() == 1


def test_the_api_token_exchange_is_audited(client, engineer_sydney):
    response = client.post(
        "/api/v1/auth/token",
        {"email": engineer_sydney.email, "password": FACTORY_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert AuditEntry.objects.filter(action="accounts.signed_in", actor=engineer_sydney).exists()


def test_a_password_reset_does_not_sign_in(client, named_contact):
    from premierdesk.accounts.queries import set_password_url

    link = urlsplit(set_password_url(named_contact)).path
    form_page = client.get(link, follow=True)
    new_password = "a-much-better-passphrase-2026"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.url == reverse("accounts:password-reset-complete")
    assert "_auth_user_id" not in client.session
    assert not AuditEntry.objects.filter(action="accounts.signed_in").exists()
    assert User.objects.get(pk=named_contact.pk).check_password(new_password)
