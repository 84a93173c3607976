"""Page middleware: times in the person's own zone; refusals rendered as a page."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from premierdesk.lib.errors import ActionError


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
        return render(request, "web/refused.html", {"refusal": exception}, status=exception.status)
