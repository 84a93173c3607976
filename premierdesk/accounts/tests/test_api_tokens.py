"""Personal API tokens: exchanged for credentials, stored hashed, shown once, revocable."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from premierdesk.accounts import actions
from premierdesk.accounts.models import ApiToken
from premierdesk.accounts.tests.factories import FACTORY_PASSWORD
from premierdesk.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def exchange(client: Client, email: str, password: str, name: str = "ci"):
    return client.post(
        "/api/v1/auth/token",
        {"email": email, "password": password, "name": name},
        content_type="application/json",
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_exchange_credentials_for_a_token_and_use_it(client, engineer_sydney):
    response = exchange(client, engineer_sydney.email, FACTORY_PASSWORD)
    assert response.status_code == 201
    secret = response.json()["token"]
    assert secret.startswith("pd_")

    me = Client().get("/api/v1/auth/me", headers=bearer(secret))
    assert me.status_code == 200
    assert me.json()["email"] == engineer_sydney.email
    assert me.json()["role"] == "support_engineer"


def test_only_a_digest_of_the_token_is_stored(client, engineer_sydney):
    secret = exchange(client, engineer_sydney.email, FACTORY_PASSWORD).json()["token"]
    token = ApiToken.objects.get(user=engineer_sydney)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored_values = {str(v) for v in ApiToken.objects.values().get().values()}
    assert secret not in stored_values
    listed = Client().get("/api/v1/auth/tokens", headers=bearer(secret)).json()
    assert "token" not in listed["items"][0]
    assert listed["items"][0]["prefix"] == token.prefix


def test_wrong_credentials_get_401_problem(client, engineer_sydney):
    response = exchange(client, engineer_sydney.email, "nope")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Not signed in"
    assert ApiToken.objects.count() == 0


def test_token_exchange_shares_the_sign_in_lock_out(client, engineer_sydney, settings):
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        exchange(client, engineer_sydney.email, "nope")
    response = exchange(client, engineer_sydney.email, FACTORY_PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many failed sign-ins" in response.json()["detail"]


def test_revoked_token_stops_working(client, engineer_sydney):
    body = exchange(client, engineer_sydney.email, FACTORY_PASSWORD).json()
    revoke = Client().delete(f"/api/v1/auth/tokens/{body['id']}", headers=bearer(body["token"]))
    assert revoke.status_code == 200
    assert revoke.json()["revoked_at"] is not None
    assert Client().get("/api/v1/auth/me", headers=bearer(body["token"])).status_code == 401
    assert AuditEntry.objects.filter(action="accounts.api_token_revoked").count() == 1


def test_nobody_revokes_someone_elses_token(client, engineer_sydney, engineer_amsterdam):
    theirs = exchange(client, engineer_sydney.email, FACTORY_PASSWORD).json()
    mine = exchange(client, engineer_amsterdam.email, FACTORY_PASSWORD).json()
    response = Client().delete(f"/api/v1/auth/tokens/{theirs['id']}", headers=bearer(mine["token"]))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=theirs["id"]).revoked_at is None


def test_token_of_a_deactivated_account_is_refused(client, engineer_sydney):
    secret = exchange(client, engineer_sydney.email, FACTORY_PASSWORD).json()["token"]
    engineer_sydney.is_active = False
    engineer_sydney.save()
    assert Client().get("/api/v1/auth/me", headers=bearer(secret)).status_code == 401


def test_session_authenticates_the_api_too(as_user, named_contact):
    response = as_user(named_contact).get("/api/v1/auth/me")
    assert response.status_code == 200
    assert response.json()["organization"] == named_contact.organization.name


def test_tokens_page_shows_a_new_secret_once(as_user, named_contact):
    client = as_user(named_contact)
    created = client.post(
        reverse("accounts:tokens"), {"name": "monitoring"}, headers={"HX-Request": "true"}
    )
    assert created.status_code == 200
    token = ApiToken.objects.get(user=named_contact)
    page = created.content.decode()
    assert 'id="new-token"' in page
    assert "<html" not in page  # htmx gets the fragment, not a whole page
    assert "monitoring" in page
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert 'id="new-token"' not in again
    assert f"pd_{token.prefix}_" in again


def test_tokens_page_revokes(as_user, named_contact):
    client = as_user(named_contact)
    client.post(reverse("accounts:tokens"), {"name": "monitoring"})
    token = ApiToken.objects.get(user=named_contact)
    client.post(reverse("accounts:revoke-token", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_token_name_is_required(as_user, named_contact):
    response = as_user(named_contact).post(reverse("accounts:tokens"), {"name": ""})
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_revoking_someone_elses_token_on_the_page_is_a_404_page(
    as_user, named_contact, participant
):
    token, _ = actions.create_api_token(named_contact, "mine")
    response = as_user(participant).post(reverse("accounts:revoke-token", args=[token.pk]))
    assert response.status_code == 404
    assert f"You have no API token with id {token.pk}." in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
