"""The OpenAPI document says what the API does: one schema per name, problem bodies as
application/problem+json, the errors every operation can give, and choice filters that
refuse unknown values."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from ninja.openapi.schema import OpenAPISchema

from premierdesk.api import api

OPENAPI = "/api/v1/openapi.json"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def each_operation(document: dict[str, Any]):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def test_no_two_different_schemas_share_a_name(monkeypatch):
    # ninja keeps the last schema of a name, silently; record every one it is given.
    seen: dict[str, list[dict[str, Any]]] = {}
    original = OpenAPISchema.add_schema_definitions

    def recording(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            if definition not in seen.setdefault(name, []):
                seen[name].append(definition)
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", recording)
    api.get_openapi_schema()
    assert seen, "the recording saw no schema"
    assert {name: len(found) for name, found in seen.items() if len(found) > 1} == {}


def test_the_answer_to_a_developer_request_is_documented_with_its_own_body(document):
    operation = document["paths"]["/api/v1/developer-assistance/{request_id}/answer"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "rating" not in schema["properties"]
    survey = document["paths"]["/api/v1/surveys/{token}"]["post"]
    survey_ref = survey["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert survey_ref != ref


def test_errors_are_documented_as_problem_json(document):
    for method, path, operation in each_operation(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert list(response.get("content", {})) == ["application/problem+json"], (
                    method,
                    path,
                    status,
                )


def test_every_operation_documents_the_errors_any_request_can_get(document):
    for method, path, operation in each_operation(document):
        statuses = {int(s) for s in operation["responses"]}
        expected = {405, 422, 500}
        if "requestBody" in operation:
            expected |= {400, 413}
        if operation.get("security"):
            expected |= {401}
        assert expected <= statuses, (method, path, sorted(statuses))
    token = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "Retry-After" in token[429]["headers"]


def test_the_served_document_is_the_same(client, document):
    served = client.get(OPENAPI).json()
    responses = served["paths"]["/api/v1/auth/me"]["get"]["responses"]
    assert "application/problem+json" in responses["401"]["content"]


# Query parameters that are free text or data (slugs, e-mails, months) rather than a fixed
# set of choices; a new filter over choices must be typed by its enum, not added here.
FREE_TEXT_FILTERS = {
    ("/api/v1/audit", "action"),
    ("/api/v1/audit", "object_type"),
    ("/api/v1/audit", "object_id"),
    ("/api/v1/audit", "actor"),
    ("/api/v1/licenses/{sen}/named-contacts/{window_id}", "reason"),
    ("/api/v1/tickets", "organization"),
    ("/api/v1/tickets", "product"),
    ("/api/v1/tickets", "owner"),
    ("/api/v1/tickets", "office"),
    ("/api/v1/tickets/{key}/attachments", "file_name"),
    ("/api/v1/sla/attainment", "by"),  # checked by sla.reports, naming the allowed ones
    ("/api/v1/developer-assistance", "team"),
    ("/api/v1/reports/{name}", "by"),  # each report lists its own groupings
    ("/api/v1/reports/{name}", "since"),
    ("/api/v1/reports/{name}", "until"),
}


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return _resolve(components[schema["$ref"].rsplit("/", 1)[1]], components)
    for key in ("anyOf", "allOf"):
        for part in schema.get(key, []):
            resolved = _resolve(part, components)
            if resolved.get("type") != "null":
                return resolved
    if schema.get("type") == "array":
        return _resolve(schema["items"], components)
    return schema


def choice_filters(document: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    components = document["components"]["schemas"]
    found = []
    for _method, path, operation in each_operation(document):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query":
                continue
            schema = _resolve(parameter["schema"], components)
            if "enum" in schema:
                found.append((path, parameter["name"], schema["enum"]))
    return found


def test_every_text_query_parameter_is_free_text_or_a_choice(document):
    components = document["components"]["schemas"]
    text = {
        (path, parameter["name"])
        for method, path, operation in each_operation(document)
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
        and (schema := _resolve(parameter["schema"], components)).get("type") == "string"
        and "enum" not in schema
        and "format" not in schema
    }
    assert text == FREE_TEXT_FILTERS


@pytest.mark.django_db
def test_a_choice_filter_refuses_an_unknown_value_naming_the_allowed_ones(
    as_user, administrator, document
):
    filters = choice_filters(document)
    assert {(p, n) for p, n, _ in filters} >= {
        ("/api/v1/tickets", "status"),
        ("/api/v1/tickets", "level"),
        ("/api/v1/named-contact-changes", "status"),
    }
    client = as_user(administrator)
    for path, name, allowed in filters:
        url = path.replace("{name}", "volume")
        response = client.get(f"{url}?{urlencode({name: 'true'})}")
        assert response.status_code == 422, (path, name, response.content)
        messages = [e["message"] for e in response.json()["errors"] if e["field"].startswith(name)]
        assert messages, (path, name, response.json())
        assert all(f"'{value}'" in messages[0] for value in allowed), messages[0]
