"""Portal pages: open a ticket (a refusal keeps what was typed as a draft), the drafts kept,
and the organization's tickets the person may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.catalog.models import Level, Product
from premierdesk.customers.models import License
from premierdesk.customers.rules import named_contact_licenses
from premierdesk.lib.errors import refusal_of
from premierdesk.pages.forms import Refused, submit
from premierdesk.tickets import actions
from premierdesk.tickets.forms import Choices, OpenTicketForm, TicketFilterForm, request_key
from premierdesk.tickets.models import Draft, Environment, Ticket
from premierdesk.tickets.queries import TicketFilter, ticket_list
from premierdesk.tickets.rules import require_open_ticket
from premierdesk.tickets.views.common import is_htmx, page_of, query_without_page

LABELS = {  # a draft's fields, in the order of the form
    "sen": "License",
    "product": "Product",
    "product_version": "Version",
    "environment": "Environment",
    "level": "Level",
    "summary": "Summary",
    "description": "Description",
}


@dataclass(frozen=True)
class LicenseOption:
    license: License
    products: list[Product]  # the covered products the license lists
    named: bool  # the person is one of its active named contacts


def _license_options(user: User, now: datetime) -> list[LicenseOption]:
    covered = Prefetch("products", queryset=Product.objects.filter(covered=True))
    licenses = (
        License.objects.filter(organization_id=user.organization_id or 0)
        .select_related("offering")
        .prefetch_related(covered)
    )
    named = set(named_contact_licenses(user, now))
    options = [LicenseOption(lic, list(lic.products.all()), lic.pk in named) for lic in licenses]
    # The licenses the person may open tickets under come first, the first one chosen.
    return sorted(options, key=lambda o: (not o.named, o.license.sen))


def _license_choices(options: list[LicenseOption]) -> Choices:
    return [
        (
            o.license.sen,
            f"{o.license.sen} · {o.license.offering.name}"
            + (" · you are a named contact" if o.named else ""),
        )
        for o in options
    ]


def _product_choices(options: list[LicenseOption], sen: str | None) -> Choices:
    """One license's products once it is chosen (htmx asks again on each choice); without
    that, every license's products grouped under its SEN, so the form works without JS."""
    chosen = [o for o in options if o.license.sen == sen] if sen else []
    if chosen or len(options) == 1:
        return [(p.slug, p.name) for p in (chosen or options)[0].products]
    return [(o.license.sen, [(p.slug, p.name) for p in o.products]) for o in options]


def _initial(request: HttpRequest, user: User, options: list[LicenseOption]) -> dict[str, str]:
    """A new form: the first license, or the one asked for; or a draft's text again."""
    draft = Draft.objects.filter(author=user, pk=_int(request.GET.get("draft"))).first()
    initial = {k: str(v) for k, v in draft.fields.items()} if draft else {}
    sen = request.GET.get("sen") or initial.get("sen")
    if not sen and options:
        sen = options[0].license.sen
    return {**initial, "sen": sen or ""}


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _open_page(
    request: HttpRequest, form: OpenTicketForm, *, status: int = 200, **shown: object
) -> HttpResponse:
    context = {"form": form, **shown}
    return render(request, "tickets/open.html", context, status=status)


@login_required
def open_ticket(request: HttpRequest) -> HttpResponse:
    user, now = current_user(request), timezone.now()
    if not user.is_customer:
        require_open_ticket(user, now)
    options = _license_options(user, now)
    licenses = _license_choices(options)
    if request.method != "POST":
        initial = _initial(request, user, options)
        products = _product_choices(options, request.GET.get("sen"))
        form = OpenTicketForm(initial=initial, licenses=licenses, products=products)
        # Say why first rather than offer a form the action would refuse.
        not_offered = refusal_of(lambda: require_open_ticket(user, now))
        return _open_page(request, form, has_licenses=bool(options), not_offered=not_offered)
    form = OpenTicketForm(request.POST, licenses=licenses, products=_product_choices(options, None))

    def opened(data: dict[str, Any]) -> Ticket:
        fields = {name: data[name] for name in LABELS}
        return actions.open_ticket(user, actions.TicketInput(**fields), key=request_key(data))

    def refused(why: Refused) -> HttpResponse:
        draft_id = why.refusal.extra.get("draft_id") if why.refusal else None
        return _open_page(
            request, form, status=why.status, has_licenses=bool(options), draft_id=draft_id
        )

    return submit(form, opened, done=lambda ticket: _opened(request, ticket), refused=refused)


def _opened(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    notice = f"{ticket.key} is open; Premier Support answers it here."
    if ticket.level == Level.L1:
        notice += " Now call the Premier Support phone line given at onboarding."
    messages.success(request, notice)
    url = reverse("tickets:ticket", args=[ticket.key])
    # htmx would swap the ticket page into the form; have the browser go there instead.
    return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)


@dataclass(frozen=True)
class DraftRow:
    draft: Draft
    fields: list[tuple[str, str]]
    mailto: str  # forward it: an e-mail with the draft's text, addressed by the person


def _draft_row(draft: Draft, products: dict[str, str]) -> DraftRow:
    fields = [
        (label, _readable(name, draft.fields.get(name), products)) for name, label in LABELS.items()
    ]
    body = "\n".join(f"{label}: {value}" for label, value in fields)
    body += f"\n\nRefused: {draft.refusal}"
    subject = f"Premier ticket to open: {draft.fields.get('summary', '')}"
    return DraftRow(draft, fields, f"mailto:?subject={quote(subject)}&body={quote(body)}")


def _readable(name: str, value: object, products: dict[str, str]) -> str:
    text = "" if value is None else str(value)
    if name == "product":
        return products.get(text, text)
    labels = {"environment": Environment, "level": Level}.get(name)
    if labels is not None and text in labels.values:
        return str(labels(text).label)
    return text


@login_required
def drafts(request: HttpRequest) -> HttpResponse:
    mine = Draft.objects.filter(author=current_user(request)).select_related("submitted_as")
    page = page_of(request, mine)
    products = dict(Product.objects.values_list("slug", "name"))
    rows = [_draft_row(draft, products) for draft in page]
    return render(request, "tickets/drafts.html", {"rows": rows, "page": page, "query": ""})


@login_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.is_customer:
        return redirect("tickets:queue")
    form = TicketFilterForm(request.GET)
    form.is_valid()  # unknown values are dropped, not refused
    filters = TicketFilter(status=form.statuses(), level=form.levels())
    page = page_of(request, ticket_list(user, timezone.now(), filters))
    context = {"page": page, "form": form, "query": query_without_page(request)}
    return render(request, "tickets/list.html", context)
