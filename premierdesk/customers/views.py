"""Named-contact pages: the portal's license pages (self-service) and the console's approval
queue. Every form posts plainly and redirects; with htmx it swaps the page's main section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.customers import actions, rules
from premierdesk.customers.forms import (
    ApproveForm,
    CoverForm,
    DeclineForm,
    NamedContactForm,
    RemoveForm,
)
from premierdesk.customers.models import ChangeStatus, License, NamedContact
from premierdesk.customers.queries import (
    RosterEntry,
    WindowState,
    changes_for,
    license_contacts,
    managed_licenses,
    readable_license,
    roster,
    slot_timeline,
)
from premierdesk.customers.rules import may_read_approval_queue, require_read_approval_queue
from premierdesk.lib.errors import ActionError, NotFound, refusal_of
from premierdesk.pages.forms import after_change, submit

# Windows a colleague can cover for: approved, not a cover themselves, not over.
COVERABLE = {WindowState.ACTIVE, WindowState.UPCOMING, WindowState.SUSPENDED}


def _zone(user: User) -> ZoneInfo:
    return ZoneInfo(user.time_zone)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]


@login_required
def licenses(request: HttpRequest) -> HttpResponse:
    user, now = current_user(request), timezone.now()
    found = managed_licenses(user, now)
    not_offered = refusal_of(lambda: rules.require_manage_named_contacts(user, now))
    context = {"licenses": found, "not_offered": not_offered}
    return render(request, "customers/licenses.html", context)


def _coverable(entries: list[RosterEntry]) -> list[tuple[int, str]]:
    return [
        (e.window.pk, f"{e.window.person_name} <{e.window.person_email}>")
        for e in entries
        if e.state in COVERABLE and e.window.covers_id is None
    ]


def _license_page(
    request: HttpRequest,
    license: License,
    *,
    status: int = 200,
    **shown: object,
) -> HttpResponse:
    """The license page (or, for htmx, its main section). ``shown``: a notice, a refusal,
    or the bound form that failed, kept with what the person typed."""
    user, now = current_user(request), timezone.now()
    entries = roster(license, now, zone=_zone(user))
    context = {
        "license": license,
        "products": list(license.products.all()),
        "current": [e for e in entries if e.state != WindowState.PENDING],
        "pending": [e for e in entries if e.state == WindowState.PENDING],
        "timeline": slot_timeline(license, now),
        "contacts": list(license_contacts(license)),
        "can_manage": rules.may_manage(user, license, now),
        "may_read_approval_queue": may_read_approval_queue(user),
        "add_form": NamedContactForm(zone=_zone(user)),
        "cover_form": CoverForm(zone=_zone(user), covered=_coverable(entries)),
        **shown,
    }
    template = "customers/_license.html" if _is_htmx(request) else "customers/license.html"
    return render(request, template, context, status=status)


def _done(request: HttpRequest, license: License, notice: str) -> HttpResponse:
    """After a change: htmx gets the fresh section; a plain POST is redirected (and the
    notice travels as a message), so reloading the page never repeats the change."""
    return after_change(
        request,
        notice,
        reverse("customers:named-contacts", kwargs={"sen": license.sen}),
        fresh=lambda notice: _license_page(request, license, notice=notice),
    )


@login_required
def named_contacts(request: HttpRequest, sen: str) -> HttpResponse:
    license = readable_license(current_user(request), sen, timezone.now())
    if license.sen != sen:
        return redirect("customers:named-contacts", sen=license.sen)
    return _license_page(request, license)


@login_required
@require_POST
def add(request: HttpRequest, sen: str) -> HttpResponse:
    user = current_user(request)
    license = readable_license(user, sen, timezone.now())
    form = NamedContactForm(request.POST, zone=_zone(user))

    def asked(change: NamedContact) -> str:
        return (
            f"Asked for {change.person_email} to become a named contact of {license.sen}. "
            f"It takes effect when {license.organization}'s enterprise manager approves it."
        )

    return submit(
        form,
        lambda data: actions.request_named_contact(user, license.sen, **data),
        done=lambda change: _done(request, license, asked(change)),
        refused=lambda why: _license_page(request, license, status=why.status, add_form=form),
    )


@login_required
@require_POST
def cover(request: HttpRequest, sen: str) -> HttpResponse:
    user, now = current_user(request), timezone.now()
    license = readable_license(user, sen, now)
    covered = _coverable(roster(license, now, zone=_zone(user)))
    form = CoverForm(request.POST, zone=_zone(user), covered=covered)

    def asked(change: NamedContact) -> str:
        on_leave = change.covers.person_email if change.covers else ""
        return (
            f"Asked for {change.person_email} to cover for {on_leave}. "
            "It takes effect when the enterprise manager approves it."
        )

    return submit(
        form,
        lambda data: actions.request_cover(user, license.sen, **data),
        done=lambda change: _done(request, license, asked(change)),
        refused=lambda why: _license_page(request, license, status=why.status, cover_form=form),
    )


def _removed_notice(window: NamedContact, license: License) -> str:
    if window.status == ChangeStatus.WITHDRAWN:
        return f"Withdrew {window.person_email}'s window on {license.sen}; it never started."
    return f"{window.person_email} is no longer a named contact of {license.sen}."


def _confirm_removal(
    request: HttpRequest, license: License, window_id: int, form: RemoveForm
) -> HttpResponse:
    """Without JavaScript there is no confirm dialog: this page asks instead."""
    entries = roster(license, timezone.now(), zone=_zone(current_user(request)))
    entry = next((e for e in entries if e.window.pk == window_id), None)
    if entry is None:
        raise NotFound(f"{license.sen} has no current named contact {window_id} to remove.")
    context = {"license": license, "entry": entry, "form": form}
    return render(request, "customers/confirm_remove.html", context)


@login_required
def remove(request: HttpRequest, sen: str, window_id: int) -> HttpResponse:
    user = current_user(request)
    license = readable_license(user, sen, timezone.now())
    form = RemoveForm(request.POST or None)
    if request.method != "POST" or not request.POST.get("confirmed") or not form.is_valid():
        return _confirm_removal(request, license, window_id, form)
    try:
        window = actions.remove_named_contact(
            user, window_id, form.cleaned_data["reason"], sen=license.sen
        )
    except ActionError as refusal:
        return _license_page(request, license, status=refusal.status, refusal=refusal.detail)
    return _done(request, license, _removed_notice(window, license))


@dataclass(frozen=True)
class QueueRow:
    change: NamedContact
    can_decide: bool
    approve_form: ApproveForm
    decline_form: DeclineForm


def _queue_row(user: User, change: NamedContact, failed: forms.Form | None) -> QueueRow:
    # Unique element ids per row, the same field names for every row.
    approve = ApproveForm(auto_id=f"approve-{change.pk}-%s")
    decline = DeclineForm(auto_id=f"decline-{change.pk}-%s")
    if isinstance(failed, ApproveForm):
        approve = failed
    if isinstance(failed, DeclineForm):
        decline = failed
    return QueueRow(change, rules.may_approve(user, change.license), approve, decline)


def _queue_page(
    request: HttpRequest,
    *,
    status: int = 200,
    failed: tuple[int, forms.Form] | None = None,
    notice: str = "",
) -> HttpResponse:
    user = current_user(request)
    failed_id, failed_form = failed or (None, None)
    rows = [
        _queue_row(user, change, failed_form if change.pk == failed_id else None)
        for change in changes_for(user, timezone.now())
    ]
    # A refusal for a change no longer in the queue (decided meanwhile) shows above it.
    orphan = failed_form if failed_id not in {row.change.pk for row in rows} else None
    context = {"rows": rows, "notice": notice, "orphan": orphan}
    template = "customers/_approvals.html" if _is_htmx(request) else "customers/approvals.html"
    return render(request, template, context, status=status)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    require_read_approval_queue(current_user(request))
    return _queue_page(request)


Decide = Callable[[User, int, str], NamedContact]


def _decide(
    request: HttpRequest, change_id: int, form: forms.Form, decide: Decide, verb: str
) -> HttpResponse:
    user = current_user(request)
    require_read_approval_queue(user)

    def decided(change: NamedContact) -> HttpResponse:
        notice = f"{verb} {change.person_email} as a named contact of {change.license.sen}."
        return after_change(
            request,
            notice,
            "customers:approvals",
            fresh=lambda notice: _queue_page(request, notice=notice),
        )

    return submit(
        form,
        lambda data: decide(user, change_id, data["reason"]),
        done=decided,
        refused=lambda why: _queue_page(request, status=why.status, failed=(change_id, form)),
    )


@login_required
@require_POST
def approve(request: HttpRequest, change_id: int) -> HttpResponse:
    form = ApproveForm(request.POST, auto_id=f"approve-{change_id}-%s")
    return _decide(request, change_id, form, actions.approve_change, "Approved")


@login_required
@require_POST
def decline(request: HttpRequest, change_id: int) -> HttpResponse:
    form = DeclineForm(request.POST, auto_id=f"decline-{change_id}-%s")
    return _decide(request, change_id, form, actions.decline_change, "Declined")
