"""One error body for every API failure, in the style of RFC 9457 (problem details):

{"type": ..., "title": ..., "status": ..., "detail": ..., "errors": [{"field", "message"}]}
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from premierdesk.lib.errors import ActionError, FieldError, TooManyAttempts

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://premierdesk.invalid/problems/"
CONTENT_TYPE = "application/problem+json"


class FieldErrorOut(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldErrorOut]


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, object] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "errors": [{"field": e.field, "message": e.message} for e in errors or []],
        **(extra or {}),
    }
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(location: list[Any] | tuple[Any, ...]) -> str:
    # ninja reports ("body", "payload", "email") or ("query", "page"); keep the part a
    # client wrote.
    parts = [str(p) for p in location if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "body"


def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [FieldError(_field_name(e.get("loc", [])), str(e.get("msg", ""))) for e in exc.errors]
    summary = "; ".join(f"{e.field}: {e.message}" for e in errors)
    return problem_response(
        422,
        "Invalid input",
        f"The request has invalid fields: {summary}.",
        slug="invalid-input",
        errors=errors,
    )


def _on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    headers = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after_seconds)
    return problem_response(
        exc.status,
        exc.title,
        exc.detail,
        slug=exc.slug,
        errors=exc.errors,
        headers=headers,
        extra=exc.extra,
    )


def _on_authentication_error(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem_response(
        401,
        "Not signed in",
        "Send 'Authorization: Bearer <token>' with a personal API token (POST /api/v1/auth/token "
        "makes one), or sign in to the web pages first.",
        slug="not-signed-in",
        headers={"WWW-Authenticate": 'Bearer realm="premierdesk"'},
    )


def _on_forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
    detail = str(exc) or "Your account is not allowed to do this."
    return problem_response(403, "Not allowed", detail, slug="not-allowed")


def _on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
    return problem_response(
        404,
        "Not found",
        f"Nothing is at {request.path}. The API's endpoints are listed at /api/v1/docs.",
        slug="not-found",
    )


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, "Request refused", str(exc), slug="refused")


def _on_unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
    logger.exception("Unexpected error in %s %s", request.method, request.path)
    return problem_response(
        500,
        "Server error",
        # We cannot know whether a write committed before the failure (a connection lost
        # after COMMIT looks the same as one lost before it), so never say it did not.
        "Something went wrong on our side; your request may or may not have been carried "
        "out. Check before you repeat it (read the ticket, its comments or attachments), or "
        "retry it with the same Idempotency-Key header: a write already made is then answered "
        "with its result instead of being made twice. If it persists, tell Premier Support "
        "the time of the request.",
        slug="server-error",
    )


def install_error_handlers(api: NinjaAPI) -> None:
    # ninja's stubs type each handler's exception as "X | type[X]"; ours take the instance.
    api.add_exception_handler(ValidationError, _on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(ActionError, _on_action_error)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, _on_authentication_error)
    api.add_exception_handler(AuthorizationError, _on_forbidden)
    api.add_exception_handler(PermissionDenied, _on_forbidden)
    api.add_exception_handler(Http404, _on_not_found)
    api.add_exception_handler(HttpError, _on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, _on_unexpected)


def not_found_view(request: HttpRequest, rest: str = "") -> HttpResponse:
    """For paths under /api/v1/ that match no endpoint."""
    return _on_not_found(request, Http404())
