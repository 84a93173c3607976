"""Request middleware: input the database cannot store and bodies over the size limit are
refused before anything reads them; times in the person's own zone; a page read as one
reading; refusals rendered as a page."""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from ninja.operation import PathView

from premierdesk.lib import readings
from premierdesk.lib.errors import ActionError, FieldError, InvalidInput
from premierdesk.lib.text import unstorable
from premierdesk.restapi.errors import problem_response, too_large_detail

# Methods whose body is read here; a GET's body is never looked at (nor by the views).
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class RequestInputMiddleware:
    """Refuse, for every page and every API endpoint alike, a request whose path, query
    string, cookies, form fields or JSON text hold a character the database cannot store
    (U+0000, lone surrogates): 422, naming the field. A body over DATA_UPLOAD_MAX_MEMORY_SIZE
    is 413. The API answers with its problem body, pages with the refusal page.

    Multipart bodies (uploads) are left to the view and its upload handlers; their text
    fields go through Django form fields, which refuse U+0000 beside the field. An API
    endpoint that takes its body as bytes (attachments) is left alone too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Path, query and cookies before anything (the session is looked up by its cookie);
        # a page's body here too, an API body once the endpoint is known (process_view).
        refusal = _check(request, _addressing(request))
        if refusal is None and not _is_api(request):
            refusal = _check(request, _body(request))
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        if response.status_code == 405 and _is_api(request) and "Allow" in response:
            allowed = response["Allow"]
            response = problem_response(
                405,
                "Method not allowed",
                f"{request.method} is not allowed on {request.path}; use {allowed}.",
                slug="method-not-allowed",
                headers={"Allow": allowed},
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if _is_api(request) and _parses_body(view, request.method or ""):
            return _check(request, _body(request))
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A view reading a multipart body over the limit (the API's handlers catch their own).
        if isinstance(exception, RequestDataTooBig):
            return _too_big(request)
        return None


def _check(request: HttpRequest, found: Iterator[tuple[str, str]]) -> HttpResponse | None:
    """The refusal of the first piece of input ``found`` that cannot be stored, if any."""
    try:
        bad = next(found, None)
    except RequestDataTooBig:
        return _too_big(request)
    except TooManyFieldsSent as exc:
        return _refuse(request, 400, InvalidInput(f"{exc} Send fewer fields."))
    if bad is None:
        return None
    field, problem = bad
    detail = f"{field}: {problem}"
    return _refuse(request, 422, InvalidInput(detail, errors=[FieldError(field, detail)]))


def _parses_body(view: Callable[..., Any], method: str) -> bool:
    """Whether the API endpoint ``view`` serves for ``method`` reads its body as JSON or form
    fields. An endpoint that streams its body (an attachment's bytes, of any content type,
    perhaps large) is left alone. ninja's view is a closure over its PathView."""
    for cell in getattr(view, "__closure__", None) or ():
        path_view = cell.cell_contents
        if isinstance(path_view, PathView):
            return any(
                model.__ninja_param_source__ in ("body", "form")
                for operation in path_view.operations
                if method in operation.methods
                for model in operation.models
            )
    return False


def _addressing(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """(field, why) for each part of the path, query or cookies that cannot be stored."""
    if problem := unstorable(request.path_info):
        yield "path", problem
    yield from _unstorable_fields(request.GET.lists(), "query")
    for name, value in request.COOKIES.items():
        if problem := unstorable(name + value):
            yield "cookie", f"{name!r} {problem}"


def _body(request: HttpRequest) -> Iterator[tuple[str, str]]:
    """(field, why) for each form field or JSON text of the body that cannot be stored;
    reading the body raises RequestDataTooBig when it is over the limit."""
    if request.method not in _BODY_METHODS:
        return
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        yield from _unstorable_fields(request.POST.lists(), "body")
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body)
        except ValueError:
            return  # not JSON: the endpoint says so
        yield from _unstorable_json(document, "")


def _unstorable_fields(
    fields: Iterable[tuple[str, list[str]]], part: str
) -> Iterator[tuple[str, str]]:
    for name, values in fields:
        if problem := unstorable(name):
            yield part, f"has a field name that {problem}"
        for value in values:
            if problem := unstorable(value):
                yield name, problem


def _unstorable_json(value: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        if problem := unstorable(value):
            yield where or "body", problem
    elif isinstance(value, dict):
        for key, item in value.items():
            if problem := unstorable(key):
                yield where or "body", f"has a key that {problem}"
            yield from _unstorable_json(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _unstorable_json(item, f"{where}.{index}" if where else str(index))


def _too_big(request: HttpRequest) -> HttpResponse:
    refusal = InvalidInput(too_large_detail())
    return _refuse(request, 413, refusal, title="Request too large", slug="too-large")


def _refuse(
    request: HttpRequest,
    status: int,
    refusal: ActionError,
    *,
    title: str | None = None,
    slug: str | None = None,
) -> HttpResponse:
    title = title or refusal.title
    if _is_api(request):
        return problem_response(
            status, title, refusal.detail, slug=slug or refusal.slug, errors=refusal.errors
        )
    refusal.title = title
    return render(request, "pages/refused.html", {"refusal": refusal}, status=status)


class UserTimeZoneMiddleware:
    """Show times in the signed-in person's own time zone (they are stored in UTC)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone_name = getattr(request.user, "time_zone", None) if hasattr(request, "user") else None
        if zone_name:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class OneReadingMiddleware:
    """A GET or HEAD (a page, an API read) is one reading (``lib.readings``): the rules it asks
    many times about the same person (is she a named contact, of which licenses) read the
    database once; a customer's ticket page asked six times. A change (POST and the rest) is
    not: the page it renders after its action must read what the action wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with readings.one_reading():
            return self.get_response(request)


class ActionErrorMiddleware:
    """A refusal raised by an action while serving a page becomes a page that says why,
    with the refusal's HTTP status (the API renders the same refusals as problem bodies)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ActionError):
            return None
        return render(
            request, "pages/refused.html", {"refusal": exception}, status=exception.status
        )
