"""Response headers that limit what a page may load and who may keep a copy of it: the
Content-Security-Policy, the Permissions-Policy and `Cache-Control: no-store` on anything
personal (signed-in pages, every API answer, the token exchange among them)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Only our own static files run or style a page (htmx included, served from django-htmx's
# static files); no inline script, handler or style attribute. Charts are inline SVG, whose
# presentation attributes (fill=…) are not styles. Swagger UI's icons are data: images.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page of ours uses these browser features; nothing embedded may ask for them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
)


def is_personal(request: HttpRequest) -> bool:
    """A signed-in page, or any API answer (a token, or someone's data): never stored by a
    browser or a proxy, so the back button on a shared computer shows nothing after sign-out."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return request.path.startswith("/api/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_personal(request):
            patch_cache_control(response, no_store=True, private=True)
        return response
