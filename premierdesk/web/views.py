"""The landing pages: / sends each person to their area; portal and console home pages."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from premierdesk.accounts.access import current_user, require_staff
from premierdesk.accounts.rules import may_administer
from premierdesk.audit.rules import may_read_trail
from premierdesk.catalog.models import Level, OfferingSlug, ResponseTarget
from premierdesk.customers.rules import may_read_approval_queue
from premierdesk.lib.errors import refusal_of
from premierdesk.offices.rules import may_read_handovers
from premierdesk.reports.dashboard import manager_dashboard
from premierdesk.reports.rules import may_read_reports, report_organizations
from premierdesk.sla.display import duration
from premierdesk.tickets.rules import require_open_ticket


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("web:portal" if current_user(request).is_customer else "web:console")


@login_required
def portal(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.is_customer:
        return redirect("web:console")
    # Why "Open a ticket" is not offered, when it is not: the refusal the action would give.
    why_not_open = refusal_of(lambda: require_open_ticket(user, timezone.now()))
    # The critical level's first-response target, as the policy data says today.
    l1 = ResponseTarget.objects.filter(offering__slug=OfferingSlug.PREMIER, level=Level.L1).first()
    context = {
        "organization": user.organization,
        "why_not_open": why_not_open,
        "l1_response": duration(timedelta(minutes=l1.initial_response_minutes)) if l1 else "",
    }
    return render(request, "web/portal_home.html", context)


@login_required
def console(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_staff(user)
    # The cards follow the rules the pages refuse with, as the menu does.
    offers = {
        "audit_trail": may_read_trail(user),
        "approvals": may_read_approval_queue(user),
        "handovers": may_read_handovers(user),
        "administration": may_administer(user),
    }
    context: dict[str, object] = {"offers": offers}
    if may_read_reports(user):
        organizations = report_organizations(user)
        context.update(manager_dashboard(timezone.now(), user.time_zone, organizations))
    return render(request, "web/console_home.html", context)


def health(request: HttpRequest) -> HttpResponse:
    """For load balancers and for `make run` to know the server is up."""
    return HttpResponse("ok", content_type="text/plain")
