"""The landing pages: / sends each person to their area; portal and console home pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from premierdesk.accounts.access import current_user, require_staff


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:portal" if current_user(request).is_customer else "web:console")


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.is_customer:
        return redirect("web:console")
    return render(request, "web/portal_home.html", {"organization": user.organization})


@login_required
def console(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_staff(user)
    return render(request, "web/console_home.html", {})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and for `make run` to know the server is up."""
    return HttpResponse("ok", content_type="text/plain")
