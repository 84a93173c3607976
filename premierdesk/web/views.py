"""The landing pages: / sends each person to their area; portal and console home pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from premierdesk.accounts.access import current_user, require_staff
from premierdesk.reports.dashboard import manager_dashboard
from premierdesk.reports.rules import may_read_reports, report_organizations


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
    context: dict[str, object] = {}
    if may_read_reports(user):
        organizations = report_organizations(user)
        context.update(manager_dashboard(timezone.now(), user.time_zone, organizations))
    return render(request, "web/console_home.html", context)


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and for `make run` to know the server is up."""
    return HttpResponse("ok", content_type="text/plain")
