"""Every API input that takes an instant or a date refuses one out of range (422 naming it),
and no input takes a bare ``datetime`` or ``date`` that would overflow the calendar code."""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from pydantic import AwareDatetime, BaseModel, NaiveDatetime

from premierdesk.api import api
from premierdesk.restapi.schemas import _in_range

DATE_TYPES = (datetime, date, AwareDatetime, NaiveDatetime)


def operations() -> Iterator[tuple[str, Any]]:
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                yield f"{'/'.join(operation.methods)} {prefix}{path}", operation


def bare_dates(annotation: Any, where: str) -> Iterator[str]:
    """Where ``annotation`` holds a datetime or date without the range check."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        checked = any(getattr(m, "func", None) is _in_range for m in metadata)
        if inner in DATE_TYPES and checked:
            return
        yield from bare_dates(inner, where)
    elif origin in (typing.Union, types.UnionType, list, tuple, set, dict):
        for arg in typing.get_args(annotation):
            yield from bare_dates(arg, where)
    elif annotation in DATE_TYPES:
        yield where
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        for name, field in annotation.model_fields.items():
            yield from bare_dates(_with_metadata(field), f"{where}.{name}")


def _with_metadata(field: Any) -> Any:
    # pydantic moves Annotated's metadata onto the field; put it back to look at it.
    if field.metadata:
        return typing.Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def test_no_input_takes_an_unchecked_instant_or_date():
    found = [
        spot
        for name, operation in operations()
        for model in operation.models
        for spot in bare_dates(model, f"{name} {model.__ninja_param_source__}")
    ]
    assert found == []


def _formats(schema: dict[str, Any], components: dict[str, Any]) -> set[str]:
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    found = {schema["format"]} if "format" in schema else set()
    for key in ("anyOf", "allOf", "oneOf"):
        for part in schema.get(key, []):
            found |= _formats(part, components)
    return found & {"date", "date-time"}


def date_inputs() -> Iterator[tuple[str, str, str, str, str]]:
    """(method, path, where, name, format) for every date or date-time input in the document."""
    document = api.get_openapi_schema()
    components = document["components"]["schemas"]
    for path, operations_at in document["paths"].items():
        for method, operation in operations_at.items():
            url = path.replace("{", "").replace("}", "")  # any value passes to validation
            for parameter in operation.get("parameters", []):
                for kind in _formats(parameter["schema"], components):
                    yield method, url, "query", parameter["name"], kind
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = body["schema"]
                if "$ref" in schema:
                    schema = components[schema["$ref"].rsplit("/", 1)[1]]
                for name, field in schema.get("properties", {}).items():
                    for kind in _formats(field, components):
                        yield method, url, "body", name, kind


FAR_OFF = {"date": ["9999-12-31", "0001-01-01"], "date-time": ["9999-12-31T23:00:00+00:00"]}


def test_the_document_has_date_inputs_to_check():
    names = {(path, name) for _, path, _, name, _ in date_inputs()}
    assert ("/api/v1/on-duty", "at") in names
    assert ("/api/v1/sla/attainment", "since") in names
    assert ("/api/v1/standby-requests", "starts_at") in names


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "where", "name", "kind"), list(date_inputs()), ids=lambda v: str(v)
)
def test_a_far_off_date_is_refused_naming_the_input(
    as_user, administrator, method, path, where, name, kind
):
    client = as_user(administrator)
    for value in FAR_OFF[kind]:
        if where == "query":
            response = client.generic(method.upper(), f"{path}?{urlencode({name: value})}")
        else:
            response = client.generic(
                method.upper(), path, json.dumps({name: value}), content_type="application/json"
            )
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == "application/problem+json"
        messages = [e["message"] for e in response.json()["errors"] if e["field"] == name]
        assert messages, response.json()
        assert "between the years 2000 and 2100" in messages[0]


@pytest.mark.django_db
def test_a_report_month_out_of_range_is_refused(as_user):
    from premierdesk.accounts.models import Role
    from premierdesk.accounts.tests.factories import UserFactory

    client = as_user(UserFactory.create(role=Role.SUPPORT_MANAGER))
    response = client.get("/api/v1/reports/volume?since=0001-01")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "since"
    assert "between the years 2000 and 2100" in error["message"]
