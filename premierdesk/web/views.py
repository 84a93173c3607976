"""The landing pages: / sends each person to their area; portal and console home pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from premierdesk.accounts.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:portal" if _user(request).is_customer else "web:console")


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_customer:
        return redirect("web:console")
    return render(request, "web/portal_home.html", {"organization": user.organization})


@login_required
def console(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_support_staff:
        raise PermissionDenied("The staff console is for Premier Support staff.")
    return render(request, "web/console_home.html", {})


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and for `make run` to know the server is up."""
    return HttpResponse("ok", content_type="text/plain")
