"""The pages the base serves itself: the favicon, and where a stale htmx form is sent
(``expiry.form_expired``)."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control

FAVICON = Path(__file__).resolve().parent / "static" / "premierdesk" / "favicon.ico"


@cache_control(max_age=86400, public=True)
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for without reading the page's icon link."""
    return HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
