"""Weekend standby pages: the portal's list and request form, one request's page (withdraw
there), and the console's list where support managers confirm or decline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from premierdesk.accounts.access import current_user, require_staff
from premierdesk.accounts.models import SUPPORT_MANAGER_ROLES, User
from premierdesk.services import actions
from premierdesk.services.forms import EngineerForm, ReasonForm, StandbyForm
from premierdesk.services.models import ServicePolicy, StandbyRequest
from premierdesk.services.queries import visible_standby
from premierdesk.services.rules import require_read_standby, require_request_standby
from premierdesk.services.views.common import (
    PortalList,
    attempt,
    own_licenses,
    portal_list_page,
    skilled_engineers,
)

Failed = tuple[int, forms.Form, int]  # the request, its refused form, the page's status


def _standby_form(user: User, policy: ServicePolicy, data: Any = None) -> StandbyForm:
    sens, products = own_licenses(user)
    zone = user.organization.time_zone if user.organization else "UTC"
    max_hours = policy.standby_max_hours
    return StandbyForm(data, sens=sens, products=products, zone=zone, max_hours=max_hours)


@login_required
def portal_standby(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.is_customer:
        require_read_standby(user)  # vendor roles who read none get the refusal page
    policy = ServicePolicy.current()  # the figures the page states are today's policy
    form = _standby_form(user, policy, request.POST or None)
    page = PortalList(
        template="services/standby_list.html",
        rows="requests",
        require_read=require_read_standby,
        require_request=require_request_standby,
        visible=visible_standby,
        act=lambda data: _ask(user, data),
        done="Standby asked for.",
        made_url="services:standby-detail",
    )
    return portal_list_page(request, user, form, page, {"policy": policy})


def _ask(user: User, data: dict[str, Any]) -> StandbyRequest:
    return actions.request_standby(user, actions.StandbyInput(**data))


@login_required
def standby_detail(request: HttpRequest, standby_id: int) -> HttpResponse:
    user = current_user(request)
    return _detail(request, user, actions.readable_standby(user, standby_id))


def _detail(
    request: HttpRequest,
    user: User,
    standby: StandbyRequest,
    failed: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    standby = visible_standby(user).get(pk=standby.pk)
    context = {
        "standby": standby,
        "can_withdraw": standby.status in actions.OPEN_STANDBY
        and standby.requested_by_id == user.pk,
        "withdraw_form": failed or ReasonForm(),
    }
    return render(request, "services/standby_detail.html", context, status=status)


@login_required
@require_POST
def withdraw(request: HttpRequest, standby_id: int) -> HttpResponse:
    user = current_user(request)
    standby = actions.readable_standby(user, standby_id)
    form = ReasonForm(request.POST)
    outcome = attempt(
        request,
        form,
        lambda data: actions.withdraw_standby(user, standby_id, reason=data["reason"]),
        "Standby withdrawn.",
    )
    if outcome.result is None:
        return _detail(request, user, standby, failed=form, status=outcome.status)
    return redirect("services:standby-detail", standby_id)


# Console ------------------------------------------------------------------------------------


@login_required
def console_standby(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_staff(user)  # the console is for vendor roles; the portal lists a customer's
    require_read_standby(user)
    return _console(request, user)


def _console(request: HttpRequest, user: User, failed: Failed | None = None) -> HttpResponse:
    rows = []
    skilled: dict[int, list[tuple[str, str]]] = {}  # per product, not per row
    for standby in visible_standby(user).filter(status__in=actions.OPEN_STANDBY):
        if standby.product_id not in skilled:
            skilled[standby.product_id] = skilled_engineers(standby.product_id)
        confirm, decline = _decision_forms(standby, skilled[standby.product_id], failed)
        rows.append({"standby": standby, "confirm": confirm, "decline": decline})
    context = {"rows": rows, "may_decide": user.role in SUPPORT_MANAGER_ROLES}
    return render(
        request, "services/console_standby.html", context, status=failed[2] if failed else 200
    )


def _decision_forms(
    standby: StandbyRequest, engineers: list[tuple[str, str]], failed: Failed | None
) -> tuple[forms.Form, forms.Form]:
    confirm: forms.Form = EngineerForm(engineers=engineers, auto_id=f"confirm-{standby.pk}-%s")
    decline: forms.Form = ReasonForm(auto_id=f"decline-{standby.pk}-%s")
    if failed and failed[0] == standby.pk:
        if isinstance(failed[1], EngineerForm):
            confirm = failed[1]
        else:
            decline = failed[1]
    return confirm, decline


@login_required
@require_POST
def confirm(request: HttpRequest, standby_id: int) -> HttpResponse:
    user = current_user(request)
    actions.require_service_manager(user, "confirm weekend standby")
    standby = actions.readable_standby(user, standby_id)
    form = EngineerForm(request.POST, engineers=skilled_engineers(standby.product_id))
    outcome = attempt(
        request,
        form,
        lambda data: actions.confirm_standby(user, standby_id, engineer=data["engineer"]),
        f"{standby.key} confirmed.",
    )
    if outcome.result is None:
        return _console(request, user, failed=(standby_id, form, outcome.status))
    return redirect("services:console-standby")


@login_required
@require_POST
def decline(request: HttpRequest, standby_id: int) -> HttpResponse:
    user = current_user(request)
    actions.require_service_manager(user, "decline weekend standby")
    standby = actions.readable_standby(user, standby_id)
    form = ReasonForm(request.POST)
    outcome = attempt(
        request,
        form,
        lambda data: actions.decline_standby(user, standby_id, reason=data["reason"]),
        f"{standby.key} declined.",
    )
    if outcome.result is None:
        return _console(request, user, failed=(standby_id, form, outcome.status))
    return redirect("services:console-standby")
