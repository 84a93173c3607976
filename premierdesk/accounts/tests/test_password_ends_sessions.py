"""A new password (by reset link or by changing it) ends every session and every API token of
the account, says so on the next page and in the audit trail."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from premierdesk.accounts import actions, queries
from premierdesk.accounts.models import ApiToken, User
from premierdesk.accounts.tests.factories import FACTORY_PASSWORD
from premierdesk.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-much-better-passphrase-2026"
CHANGE = "/accounts/password/"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def signed_in_elsewhere(user: User) -> Client:
    """A browser that signed in with the password, before it changed."""
    other = Client()
    response = other.post(
        reverse("accounts:sign-in"), {"email": user.email, "password": FACTORY_PASSWORD}
    )
    assert response.status_code == 302
    assert other.get("/api/v1/auth/me").status_code == 200
    return other


def reset_password(client: Client, user: User, password: str = NEW_PASSWORD):
    # The link is made from the account as stored (signing in elsewhere moved last_login).
    link = urlsplit(queries.set_password_url(User.objects.get(pk=user.pk))).path
    form_page = client.get(link, follow=True)
    return client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def test_a_reset_revokes_every_token_and_ends_every_session(client, named_contact):
    browser = signed_in_elsewhere(named_contact)
    _, first = actions.create_api_token(named_contact, "monitoring")
    _, second = actions.create_api_token(named_contact, "sync")
    old, _ = actions.create_api_token(named_contact, "old")
    actions.revoke_api_token(named_contact, old.pk)

    page = reset_password(client, named_contact).content.decode()

    assert "signed out everywhere" in page
    assert "2 API tokens were revoked" in page
    for secret in (first, second):
        assert Client().get("/api/v1/auth/me", headers=bearer(secret)).status_code == 401
    assert not ApiToken.objects.filter(user=named_contact, revoked_at__isnull=True).exists()
    assert browser.get("/api/v1/auth/me").status_code == 401
    assert browser.get(reverse("web:portal"))["Location"].startswith(reverse("accounts:sign-in"))
    entry = AuditEntry.objects.get(action="accounts.password_set")
    assert "signed out everywhere" in entry.reason
    assert "2 API token(s) revoked" in entry.reason
    revoked = AuditEntry.objects.filter(action="accounts.api_token_revoked")
    assert revoked.count() == 3  # the one revoked by hand, and the two by the reset


def test_the_password_page_needs_the_current_password(as_user, named_contact):
    client = as_user(named_contact)
    response = client.post(
        CHANGE,
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "That is not your current password" in page
    assert User.objects.get(pk=named_contact.pk).check_password(FACTORY_PASSWORD)


def test_guessing_the_current_password_is_locked_like_a_sign_in(as_user, named_contact, settings):
    """A stolen session must not guess the password without limit."""
    client = as_user(named_contact)
    guess = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for n in range(settings.SIGN_IN_MAX_FAILURES):
        client.post(CHANGE, {"old_password": f"guess {n}", **guess})
    response = client.post(CHANGE, {"old_password": FACTORY_PASSWORD, **guess})
    assert response.status_code == 400
    assert "Too many failed sign-ins for this address" in response.content.decode()
    assert User.objects.get(pk=named_contact.pk).check_password(FACTORY_PASSWORD)
    assert not AuditEntry.objects.filter(action="accounts.signed_in").exists()


def test_changing_the_password_ends_other_sessions_and_tokens(as_user, named_contact):
    browser = signed_in_elsewhere(named_contact)
    _, secret = actions.create_api_token(named_contact, "monitoring")
    client = as_user(named_contact)
    assert client.get(CHANGE).status_code == 200

    response = client.post(
        CHANGE,
        {
            "old_password": FACTORY_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )

    page = response.content.decode()
    assert "signed out everywhere else" in page
    assert "1 API token was revoked" in page
    assert User.objects.get(pk=named_contact.pk).check_password(NEW_PASSWORD)
    assert Client().get("/api/v1/auth/me", headers=bearer(secret)).status_code == 401
    assert browser.get("/api/v1/auth/me").status_code == 401
    # The person who just changed it stays signed in here.
    assert client.get("/api/v1/auth/me").status_code == 200
    entry = AuditEntry.objects.get(action="accounts.password_set")
    assert entry.actor == named_contact
    assert "1 API token(s) revoked" in entry.reason


def test_the_user_menu_links_to_the_password_page(as_user, named_contact):
    page = as_user(named_contact).get(reverse("web:portal")).content.decode()
    assert f'href="{CHANGE}"' in page


def test_the_password_page_needs_sign_in(client):
    assert client.get(CHANGE).url.startswith(reverse("accounts:sign-in"))
