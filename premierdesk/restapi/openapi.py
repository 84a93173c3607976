"""The API's OpenAPI document, told the truth about errors: every problem body is
``application/problem+json``, and each operation lists the errors any request to it can get
(malformed or oversized bodies, a wrong method, invalid input, no sign-in), not only the
refusals its code raises."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from premierdesk.restapi.errors import CONTENT_TYPE

PROBLEM_REF = "#/components/schemas/Problem"
_PROBLEM = {CONTENT_TYPE: {"schema": {"$ref": PROBLEM_REF}}}

# The errors the toolkit itself gives (restapi.errors, pages.middleware.RequestInputMiddleware),
# whatever the endpoint: (status, description, applies to).
_ANY = "any"
_WITH_BODY = "with a body"
_SIGNED_IN = "signed in"
_PAGINATED = "paginated"
COMMON_ERRORS: list[tuple[int, str, str]] = [
    (400, "The body is not well-formed (e.g. broken JSON) or has too many fields.", _WITH_BODY),
    (401, "Not signed in: send a bearer token or sign in to the pages first.", _SIGNED_IN),
    (403, "Not allowed: your account may not do this or see this.", _SIGNED_IN),
    (404, "Not found, or a page past the last one of a list.", _PAGINATED),
    (405, "The method is not allowed on this path; the Allow header lists those that are.", _ANY),
    (413, "The body is larger than the server accepts.", _WITH_BODY),
    (
        422,
        "Invalid input: a field is missing or malformed, a value is not one of the allowed "
        "ones, a date is out of range, or text holds a character that cannot be stored.",
        _ANY,
    ),
    (500, "Something went wrong on our side; nothing was changed by the failed step.", _ANY),
]
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}


class DocumentedAPI(NinjaAPI):
    """``NinjaAPI`` whose document describes the error responses as they are served."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in document["paths"].values():
            for operation in operations.values():
                _document_errors(operation)
        return document


def _document_errors(operation: dict[str, Any]) -> None:
    responses: dict[Any, dict[str, Any]] = operation["responses"]
    for response in responses.values():
        content = response.get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        if schema.get("$ref") == PROBLEM_REF:
            response["content"] = dict(_PROBLEM)
    applying = {
        _ANY: True,
        _WITH_BODY: "requestBody" in operation,
        _SIGNED_IN: bool(operation.get("security")),
        _PAGINATED: any(p["name"] == "page" for p in operation.get("parameters", [])),
    }
    for status, description, applies in COMMON_ERRORS:
        if not applying[applies]:
            continue
        if status not in responses:
            responses[status] = {"description": description, "content": dict(_PROBLEM)}
    if 429 in responses:
        responses[429]["headers"] = RETRY_AFTER
    operation["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
