"""The console's audit-trail page (support managers and administrators), filterable, paged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from premierdesk.accounts.access import current_user
from premierdesk.audit.queries import AuditFilter, filtered_entries
from premierdesk.audit.rules import require_read_trail

PAGE_SIZE = 50


@login_required
def trail(request: HttpRequest) -> HttpResponse:
    require_read_trail(current_user(request))
    filters = AuditFilter(
        action=request.GET.get("action") or None,
        object_type=request.GET.get("object_type") or None,
        object_id=request.GET.get("object_id") or None,
        actor=request.GET.get("actor") or None,
    )
    page = Paginator(filtered_entries(filters).select_related(None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {"page": page, "filters": filters, "query": query.urlencode()},
    )
