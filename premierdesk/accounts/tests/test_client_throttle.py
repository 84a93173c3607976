"""Sign-in failures are limited per client too, and throttle rows stay bounded whatever
strings are typed."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from premierdesk.accounts import actions, queries
from premierdesk.accounts.models import SignInThrottle
from premierdesk.accounts.tasks import prune_sign_in_throttles
from premierdesk.accounts.tests.factories import FACTORY_PASSWORD
from premierdesk.audit.models import AuditEntry
from premierdesk.lib.errors import ActionError

pytestmark = pytest.mark.django_db
SIGN_IN = reverse("accounts:sign-in")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def policy(settings):
    settings.SIGN_IN_MAX_FAILURES = 5
    settings.SIGN_IN_CLIENT_MAX_FAILURES = 8
    settings.SIGN_IN_CLIENT_WINDOW_SECONDS = 600
    settings.SIGN_IN_CLIENT_LOCKOUT_SECONDS = 1200
    return settings


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def attempt(client: Client, email: str, typed: str = "bad"):
    return client.post(SIGN_IN, {"email": email, "password": typed})


def exchange(client: Client, email: str, password: str):
    return client.post(
        "/api/v1/auth/token",
        {"email": email, "password": password},
        content_type="application/json",
    )


def test_one_client_cannot_guess_across_many_addresses(named_contact, participant):
    attacker = client_at("203.0.113.7")
    for n in range(7):
        assert "do not match" in attempt(attacker, f"guess{n}@example.com").content.decode()
    assert "from your network" in attempt(attacker, "guess7@example.com").content.decode()
    refused = attempt(attacker, named_contact.email, FACTORY_PASSWORD)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "Too many failed sign-ins from your network" in page
    assert "20 minute(s)" in page
    assert "_auth_user_id" not in attacker.session
    # Nobody else is affected: the addresses were not locked by that client.
    assert (
        attempt(client_at("198.51.100.2"), participant.email, FACTORY_PASSWORD).status_code == 302
    )
    entry = AuditEntry.objects.get(action="accounts.client_locked_out")
    assert entry.object_repr == "203.0.113.7"


def test_one_client_cannot_lock_many_addresses(named_contact, participant, other_customer):
    attacker = client_at("203.0.113.7")
    for person in (named_contact, participant):
        for _ in range(4):
            attempt(attacker, person.email)
    # Eight failures: the client is now refused before it can lock a third address.
    for _ in range(5):
        attempt(attacker, other_customer.email)
    response = attempt(client_at("198.51.100.2"), other_customer.email, FACTORY_PASSWORD)
    assert response.status_code == 302


def test_the_api_says_429_with_retry_after_for_a_client(named_contact):
    attacker = client_at("203.0.113.7")
    with time_machine.travel(START, tick=False):
        for n in range(7):
            assert exchange(attacker, f"guess{n}@example.com", "bad").status_code == 401
        assert exchange(attacker, "guess7@example.com", "bad").status_code == 429
        response = exchange(attacker, named_contact.email, FACTORY_PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1200"
    assert "from your network" in response.json()["detail"]


def test_the_client_limit_ends_after_its_lockout(named_contact):
    attacker = client_at("203.0.113.7")
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(8):
            attempt(attacker, f"guess{n}@example.com")
        traveller.shift(timedelta(seconds=1199))
        assert attempt(attacker, named_contact.email, FACTORY_PASSWORD).status_code == 400
        traveller.shift(timedelta(seconds=2))
        assert attempt(attacker, named_contact.email, FACTORY_PASSWORD).status_code == 302


def test_client_failures_outside_the_window_do_not_add_up(named_contact):
    attacker = client_at("203.0.113.7")
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(7):
            attempt(attacker, f"guess{n}@example.com")
        traveller.shift(timedelta(seconds=601))
        attempt(attacker, "another@example.com")
        assert attempt(attacker, named_contact.email, FACTORY_PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_reset_the_client_count(named_contact, participant):
    attacker = client_at("203.0.113.7")
    for n in range(7):
        attempt(attacker, f"guess{n}@example.com")
    assert attempt(attacker, participant.email, FACTORY_PASSWORD).status_code == 302
    attacker.logout()
    attempt(attacker, "one-more@example.com")
    assert attempt(attacker, named_contact.email, FACTORY_PASSWORD).status_code == 400


def test_an_ipv6_client_is_its_network(named_contact):
    for n in range(8):
        attempt(client_at(f"2001:db8:1:2::{n + 1}"), f"guess{n}@example.com")
    refused = attempt(client_at("2001:db8:1:2::ff"), named_contact.email, FACTORY_PASSWORD)
    assert "from your network" in refused.content.decode()


def test_random_strings_do_not_grow_the_throttle_table(settings):
    settings.SIGN_IN_CLIENT_MAX_FAILURES = 10_000
    settings.SIGN_IN_UNKNOWN_ADDRESS_BUCKETS = 16
    for n in range(60):
        with pytest.raises(ActionError):
            actions.sign_in(None, f"{secrets.token_hex(8)}-{n}@example.com", "bad")
    keys = set(SignInThrottle.objects.values_list("key", flat=True))
    assert len(keys) <= 16
    assert not any("@" in key for key in keys)


def test_an_unknown_address_is_locked_like_a_known_one(named_contact):
    """The lock-out must not reveal whether an account exists, from any client."""
    for email in (named_contact.email, "nobody@example.com"):
        for n in range(5):
            attempt(client_at(f"192.0.2.{n + 1}"), email)
        refused = attempt(client_at("192.0.2.99"), email).content.decode()
        assert "Too many failed sign-ins for this address" in refused


def test_old_throttle_rows_are_pruned(named_contact):
    attacker = client_at("203.0.113.7")
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(3):
            attempt(attacker, f"guess{n}@example.com")
        attempt(attacker, named_contact.email)
        assert SignInThrottle.objects.count() > 0
        traveller.shift(timedelta(minutes=10))
        assert prune_sign_in_throttles.call() == 0  # the address's window is still open
        traveller.shift(timedelta(minutes=11))
        assert prune_sign_in_throttles.call() > 0
    assert SignInThrottle.objects.count() == 0


def test_the_client_behind_a_trusted_proxy_is_the_address_the_proxy_saw(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    # The left part is whatever the client claimed; the proxy appended the address it saw.
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7"}
    assert queries.client_network(rf.get("/", REMOTE_ADDR="10.0.0.5", **forwarded)) == (
        "203.0.113.7"
    )
    # From anywhere else the header is not believed.
    assert queries.client_network(rf.get("/", REMOTE_ADDR="198.51.100.2", **forwarded)) == (
        "198.51.100.2"
    )
    assert queries.client_network(rf.get("/", REMOTE_ADDR="2001:db8:1:2::7")) == (
        "2001:db8:1:2::/64"
    )
