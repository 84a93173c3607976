"""The console's SLA attainment page (for report readers, reports.rules): how often targets
were met, by group and month."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from premierdesk.accounts.access import current_user
from premierdesk.reports.rules import report_organizations
from premierdesk.sla.models import CLOCK_KINDS
from premierdesk.sla.reports import DIMENSIONS, attainment
from premierdesk.sla.rules import require_read_attainment


@login_required
def attainment_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_read_attainment(user)
    by = request.GET.get("by", "")
    by = by if by in DIMENSIONS else "office"
    clock = request.GET.get("clock", "")
    clock = clock if clock in {k for k, _ in CLOCK_KINDS} else "first_response"
    context = {
        "rows": attainment(by, clock, organizations=report_organizations(user)),
        "by": by,
        "clock": clock,
        "dimensions": list(DIMENSIONS),
        "clock_kinds": CLOCK_KINDS,
    }
    return render(request, "sla/attainment.html", context)
