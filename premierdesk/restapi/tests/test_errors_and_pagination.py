"""Every API failure has the same problem body; every list paginates the same way."""

from __future__ import annotations

import pytest
from django.test import Client

from premierdesk.accounts import actions

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == status
    assert body["detail"]
    return body


def test_validation_error_names_each_field(client):
    response = client.post("/api/v1/auth/token", {"email": "x"}, content_type="application/json")
    body = assert_problem(response, 422)
    fields = {error["field"] for error in body["errors"]}
    assert {"email", "password"} <= fields


def test_malformed_json_is_a_problem_too(client):
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json()) == PROBLEM_KEYS


def test_missing_authentication_is_401(client):
    body = assert_problem(client.get("/api/v1/auth/me"), 401)
    assert "Bearer" in body["detail"]


def test_unknown_path_is_404(client):
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert "/api/v1/docs" in body["detail"]


def test_staff_only_list_is_403_for_customers(as_user, named_contact):
    assert_problem(as_user(named_contact).get("/api/v1/audit"), 403)


def test_unexpected_failure_is_500_without_internals(as_user, named_contact, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("premierdesk.accounts.api.ApiToken.objects.filter", explode)
    client = as_user(named_contact)
    client.raise_request_exception = False
    body = assert_problem(client.get("/api/v1/auth/tokens"), 500)
    assert "hunter2" not in body["detail"]


def test_pages_link_to_each_other(as_user, named_contact):
    for n in range(5):
        actions.create_api_token(named_contact, f"token {n}")
    client = as_user(named_contact)
    first = client.get("/api/v1/auth/tokens?page_size=2").json()
    assert first["count"] == 5
    assert first["pages"] == 3
    assert len(first["items"]) == 2
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["page"] == 2
    assert {t["id"] for t in second["items"]}.isdisjoint({t["id"] for t in first["items"]})
    last = client.get("/api/v1/auth/tokens?page=3&page_size=2").json()
    assert last["next"] is None
    assert len(last["items"]) == 1


def test_page_past_the_end_is_404(as_user, named_contact):
    body = assert_problem(as_user(named_contact).get("/api/v1/auth/tokens?page=9"), 404)
    assert "last page is 1" in body["detail"]


def test_page_size_is_bounded(as_user, named_contact):
    body = assert_problem(as_user(named_contact).get("/api/v1/auth/tokens?page_size=5000"), 422)
    assert body["errors"][0]["field"] == "page_size"


def test_openapi_document_lists_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Premier Desk API"
    assert "/api/v1/auth/token" in schema["paths"]
    assert "/api/v1/audit" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert {"ApiTokenAuth", "SessionAuth"} <= set(schemes)


def test_docs_page_is_served_without_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn." not in page
    assert "/api/v1/openapi.json" in page


def test_session_api_writes_need_csrf(named_contact):
    client = Client(enforce_csrf_checks=True)
    client.force_login(named_contact)
    token = actions.create_api_token(named_contact, "x")[0]
    response = client.delete(f"/api/v1/auth/tokens/{token.pk}")
    assert response.status_code in (401, 403)
    assert set(response.json()) == PROBLEM_KEYS
