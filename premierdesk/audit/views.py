"""The console's audit-trail page (support managers and administrators), filterable, paged."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
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
    context = {
        "page": page,
        "filters": filters,
        "newer": _page_link(filters, page.previous_page_number()) if page.has_previous() else "",
        "older": _page_link(filters, page.next_page_number()) if page.has_next() else "",
    }
    return render(request, "audit/trail.html", context)


def _page_link(filters: AuditFilter, number: int) -> str:
    """The trail at page ``number`` with the same filters: only those filled in, so the
    address reads ``?action=…&page=2`` or ``?page=2``."""
    query = QueryDict(mutable=True)
    query.update({name: value for name, value in asdict(filters).items() if value})
    query["page"] = str(number)
    return f"?{query.urlencode()}"
