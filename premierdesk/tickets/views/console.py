"""The console's ticket queue: every ticket staff work, filtered, 50 a page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from premierdesk.accounts.access import current_user
from premierdesk.catalog.models import Product
from premierdesk.customers.models import Organization
from premierdesk.tickets import hooks
from premierdesk.tickets.forms import OPEN, Choices, QueueFilterForm
from premierdesk.tickets.queries import TicketFilter, ticket_list
from premierdesk.tickets.rules import require_work_tickets
from premierdesk.tickets.views.common import page_of, query_without_page


def _filter_options() -> dict[str, Choices]:
    return {
        "product": list(Product.objects.filter(covered=True).values_list("slug", "name")),
        "owner": [("none", "Unassigned"), *hooks.engineer_choices()],
        "office": hooks.office_choices(),
        "organization": list(Organization.objects.values_list("slug", "name")),
    }


def _filters(form: QueueFilterForm) -> TicketFilter:
    data = form.cleaned_data
    return TicketFilter(
        status=form.statuses(),
        level=form.levels(),
        product=data.get("product") or None,
        owner=data.get("owner") or None,
        office=data.get("office") or None,
        organization=data.get("organization") or None,
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_work_tickets(user)
    query = request.GET.copy()
    query.setdefault("status", OPEN)  # the queue is open work unless asked otherwise
    form = QueueFilterForm(query, options=_filter_options())
    form.is_valid()  # unknown values are dropped, not refused
    # ticket_list's order: soonest SLA due time first.
    page = page_of(request, ticket_list(user, timezone.now(), _filters(form)))
    context = {"page": page, "form": form, "query": query_without_page(request)}
    return render(request, "tickets/queue.html", context)
