"""`premierdesk changepassword` is our password change: it ends the account's sessions and
revokes its API tokens, audited, instead of Django's command that only set the password."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from premierdesk.accounts import actions
from premierdesk.accounts.models import ApiToken, User
from premierdesk.accounts.tests.test_password_ends_sessions import NEW_PASSWORD, signed_in_elsewhere
from premierdesk.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def typed(monkeypatch):
    """``typed(*answers)``: what the operator types at each password prompt, in turn."""

    def answers(*texts: str) -> None:
        queue = list(texts)
        monkeypatch.setattr("getpass.getpass", lambda prompt: queue.pop(0))

    return answers


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("changepassword", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_ends_every_session_and_revokes_every_token(typed, named_contact):
    browser = signed_in_elsewhere(named_contact)
    _, secret = actions.create_api_token(named_contact, "monitoring")
    typed(NEW_PASSWORD, NEW_PASSWORD)

    out, _ = run(named_contact.email.upper())

    assert f"Password changed for {named_contact.email}" in out
    assert "1 API token(s) revoked" in out
    assert User.objects.get(pk=named_contact.pk).check_password(NEW_PASSWORD)
    assert not ApiToken.objects.filter(user=named_contact, revoked_at__isnull=True).exists()
    assert browser.get("/api/v1/auth/me").status_code == 401
    assert AuditEntry.objects.filter(action="accounts.password_set").count() == 1
    assert (
        browser.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_a_mismatch_or_a_weak_password_asks_again(typed, named_contact):
    typed("one-passphrase-2026", "another-passphrase", "short", "short", NEW_PASSWORD, NEW_PASSWORD)
    out, err = run(named_contact.email)
    assert "do not match" in err
    assert "too short" in err
    assert "Password changed" in out


def test_three_failed_attempts_change_nothing(typed, named_contact):
    typed(*["short"] * 6)
    with pytest.raises(CommandError, match="Too many attempts"):
        run(named_contact.email)
    assert not AuditEntry.objects.filter(action="accounts.password_set").exists()


def test_an_unknown_address_is_refused():
    with pytest.raises(CommandError, match=r"No account has the e-mail address x@example\.com"):
        run("X@example.com")
