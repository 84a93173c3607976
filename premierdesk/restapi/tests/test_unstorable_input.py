"""Input the database cannot store (U+0000, lone surrogates) is refused as bad input (422,
naming the field) wherever it comes in: path, query, form or JSON text, with or without
sign-in, for the API and the pages. A body over the size limit is 413, a wrong method 405."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from premierdesk.accounts.models import User
from premierdesk.api import api
from premierdesk.restapi.tests.conftest import SEN
from premierdesk.tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db

NUL = "\x00"
FORM = "application/x-www-form-urlencoded"


def post_json(client: Client, url: str, data: Any, method: str = "post"):
    return client.generic(method.upper(), url, json.dumps(data), content_type="application/json")


def assert_refused(response, field: str, status: int = 422) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert "cannot be stored" in body["detail"]
    return body


def test_a_nul_in_a_comment_is_refused_and_nothing_is_stored(as_user, contact, ticket):
    url = f"/api/v1/tickets/{ticket.key}/comments"
    body = assert_refused(post_json(as_user(contact), url, {"body": f"Hello{NUL}there"}), "body")
    assert "U+0000" in body["detail"]
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_a_nul_in_a_new_ticket_summary_is_refused(as_user, contact):
    fields = {
        "sen": SEN,
        "product": "jira-software",
        "product_version": "10.3.2",
        "environment": "production",
        "level": "L2",
        "summary": f"Boards{NUL}",
        "description": "Slow.",
    }
    assert_refused(post_json(as_user(contact), "/api/v1/tickets", fields), "summary")
    assert not Ticket.objects.filter(summary__startswith="Boards").exists()


def test_a_lone_surrogate_is_refused_too(as_user, contact, ticket):
    url = f"/api/v1/tickets/{ticket.key}/comments"
    raw = '{"body": "half a pair \\ud800"}'
    response = as_user(contact).post(url, raw, content_type="application/json")
    body = assert_refused(response, "body")
    assert "U+D800" in body["detail"]


def test_the_token_exchange_refuses_a_nul_without_sign_in(client):
    response = post_json(
        client, "/api/v1/auth/token", {"email": f"a{NUL}@x.example", "password": "p"}
    )
    assert_refused(response, "email")


def test_a_nul_in_a_query_filter_or_a_path_parameter_is_refused(as_user, contact, ticket):
    client = as_user(contact)
    assert_refused(client.get("/api/v1/tickets?product=jira%00"), "product")
    assert_refused(client.get(f"/api/v1/tickets/{ticket.key}%00"), "path")
    assert_refused(client.get("/api/v1/audit?actor=a%00b"), "actor")


def test_a_nul_in_a_cookie_is_refused_not_looked_up(client):
    client.cookies["sessionid"] = f"abcdefgh{NUL}"
    assert_refused(client.get("/api/v1/auth/me"), "cookie")


def _string_fields(schema: dict[str, Any], components: dict[str, Any]) -> list[str]:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    names = []
    for name, field in schema.get("properties", {}).items():
        kinds = {field.get("type")} | {part.get("type") for part in field.get("anyOf", [])}
        if "string" in kinds:
            names.append(name)
    return names


def json_string_fields() -> list[tuple[str, str, str]]:
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                for name in _string_fields(content["application/json"]["schema"], components):
                    found.append((method, path.replace("{", "").replace("}", ""), name))
    return found


def test_every_text_field_of_every_json_body_refuses_a_nul(client, administrator):
    fields = json_string_fields()
    assert len(fields) > 40  # the walk found the API's bodies
    client.force_login(administrator)
    for method, path, name in fields:
        response = post_json(client, path, {name: f"x{NUL}"}, method=method)
        assert_refused(response, name)


def test_a_page_refuses_a_nul_in_a_form_field(client, named_contact: User):
    form = urlencode({"email": f"a{NUL}@x.example", "password": "p"})
    response = client.post("/accounts/sign-in/", form, content_type=FORM)
    assert response.status_code == 422
    text = response.content.decode()
    assert "email: contains the character U+0000 (NUL)" in text


def test_a_page_refuses_a_nul_in_the_query(as_user, administrator):
    response = as_user(administrator).get("/console/rota/coverage/?from=%00")
    assert response.status_code == 422
    assert "from: contains the character U+0000" in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_json_body_over_the_limit_is_413(as_user, contact, ticket):
    url = f"/api/v1/tickets/{ticket.key}/comments"
    response = post_json(as_user(contact), url, {"body": "x" * 2000})
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert "1,000 bytes" in response.json()["detail"]
    assert not Comment.objects.filter(ticket=ticket).exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_form_over_the_limit_is_a_413_page(client):
    response = client.post("/accounts/sign-in/", {"email": "a@x.example", "password": "p" * 2000})
    assert response.status_code == 413
    assert "1,000 bytes" in response.content.decode()


def test_a_wrong_method_is_405_with_the_problem_body(as_user, contact):
    response = as_user(contact).put("/api/v1/auth/me")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response["Allow"] == "GET"
    assert response.json()["status"] == 405


@pytest.mark.parametrize("content_type", [FORM, "application/json"])
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_attachment_is_bytes_whatever_its_content_type(as_user, contact, ticket, content_type):
    # curl --data-binary sends application/x-www-form-urlencoded unless told otherwise; an
    # attachment's body is the file, never read as form fields or JSON, and may be large.
    data = b'{"note": "a\\u0000b"}' + b" " * 5000
    url = f"/api/v1/tickets/{ticket.key}/attachments?file_name=dump.json"
    response = as_user(contact).generic("POST", url, data, content_type)
    assert response.status_code == 201, response.content
    assert response.json()["size"] == len(data)
