"""When a session expires or a form goes stale while someone types: send them to sign in (or
to a page that says what happened) and back to the page they were on, where
static/premierdesk/drafts.js puts back what they typed. Never a sign-in page swapped into a
ticket by htmx, never Django's bare CSRF page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def page_of(request: HttpRequest) -> str:
    """The page (path and query) the person is looking at: for htmx the address in the
    browser's bar, for a plain POST the page whose form was sent, else the request itself;
    only ever an address of this site."""
    if getattr(request, "htmx", False):
        candidate = request.headers.get("HX-Current-URL", "")
    elif request.method != "GET":
        candidate = request.headers.get("Referer", "")
    else:
        candidate = ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(candidate)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _is_sign_in_redirect(response: HttpResponse) -> bool:
    if not isinstance(response, HttpResponseRedirect):
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


class SignInAgainMiddleware:
    """Rewrites the sign-in redirect of ``login_required`` for a person whose session is gone:
    an htmx request gets 401 with ``HX-Redirect`` (htmx then loads the sign-in page as the
    whole page, not into the fragment's target), and either way ``next`` is the page the
    person was on, not the address the form posted to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/") or not _is_sign_in_redirect(response):
            return response
        if request.user.is_authenticated:
            return response  # a redirect to the sign-in page for another reason
        if request.method == "GET" and not getattr(request, "htmx", False):
            return response  # a plain page visit already names itself (or its own next)
        sign_in = redirect_to_login(page_of(request), settings.LOGIN_URL)
        if not getattr(request, "htmx", False):
            return sign_in
        answer = HttpResponse(
            "Your session has ended: sign in again.", status=401, content_type="text/plain"
        )
        answer["HX-Redirect"] = sign_in["Location"]
        return answer


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent with a security token that no longer matches (it stayed
    open across a sign-in elsewhere, or cookies were cleared). htmx is sent to the page that
    explains it, so nothing is swapped into the form; a plain POST gets that page at once."""
    back = page_of(request)
    if getattr(request, "htmx", False):
        answer = HttpResponse("This form had expired.", status=403, content_type="text/plain")
        answer["HX-Redirect"] = f"{reverse('pages:form-expired')}?{urlencode({'next': back})}"
        return answer
    return _form_expired_page(request, back, status=403)


def form_expired(request: HttpRequest) -> HttpResponse:
    """Where an htmx request refused by the CSRF check is sent."""
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("web:home")
    return _form_expired_page(request, back, status=200)


def _form_expired_page(request: HttpRequest, back: str, *, status: int) -> HttpResponse:
    return render(request, "pages/form_expired.html", {"back": back}, status=status)
