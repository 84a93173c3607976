"""Health-check pages: the portal's list and request form, the console's list, and one check's
page, where each person finds the step that is theirs (schedule, start, findings, deliver,
mark a finding done, cancel)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from premierdesk.accounts.access import current_user, require_staff
from premierdesk.accounts.models import SUPPORT_MANAGER_ROLES, User
from premierdesk.services import actions
from premierdesk.services.forms import (
    DeliverForm,
    FindingForm,
    HealthCheckForm,
    ReasonForm,
    ScheduleForm,
)
from premierdesk.services.models import HealthCheck, HealthCheckStatus
from premierdesk.services.queries import visible_health_checks
from premierdesk.services.rules import (
    may_read_findings,
    require_read_health_checks,
    require_request_health_check,
)
from premierdesk.services.views.common import (
    PortalList,
    attempt,
    own_licenses,
    portal_list_page,
    skilled_engineers,
)


@login_required
def portal_health_checks(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if not user.is_customer:
        require_read_health_checks(user)  # vendor roles who read none get the refusal page
    sens, products = own_licenses(user)
    form = HealthCheckForm(request.POST or None, sens=sens, products=products)
    page = PortalList(
        template="services/health_checks.html",
        rows="checks",
        require_read=require_read_health_checks,
        require_request=require_request_health_check,
        visible=visible_health_checks,
        act=lambda data: _request(user, data),
        done="Health check asked for.",
        made_url="services:health-check",
    )
    return portal_list_page(request, user, form, page)


def _request(user: User, data: dict[str, Any]) -> HealthCheck:
    return actions.request_health_check(user, actions.HealthCheckInput(**data))


@login_required
def console_health_checks(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require_staff(user)  # the console is for vendor roles; the portal lists a customer's
    require_read_health_checks(user)
    checks = visible_health_checks(user)
    return render(request, "services/health_checks.html", {"checks": checks, "form": None})


@login_required
def health_check(request: HttpRequest, check_id: int) -> HttpResponse:
    user = current_user(request)
    return _page(request, user, actions.readable_health_check(user, check_id))


def _page(
    request: HttpRequest,
    user: User,
    check: HealthCheck,
    failed: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    check = visible_health_checks(user).prefetch_related("findings").get(pk=check.pk)
    steps = _step_forms(user, check, failed)
    shown = may_read_findings(user, check)
    context = {
        "check": check,
        "findings": list(check.findings.all()) if shown else [],
        # A refusal of a step without a form of its own (start, mark done) shows on top.
        "refused": [] if failed in steps.values() else _messages(failed),
        **steps,
    }
    return render(request, "services/health_check.html", context, status=status)


def _messages(form: forms.Form | None) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors] if form else []


def _step_forms(user: User, check: HealthCheck, failed: forms.Form | None) -> dict[str, Any]:
    """The forms of the steps open to ``user`` now, keyed for the template."""
    status = HealthCheckStatus(check.status)
    assessor = actions.may_assess(user, check)
    steps: dict[str, Any] = {}
    if user.role in SUPPORT_MANAGER_ROLES and status in (
        HealthCheckStatus.REQUESTED,
        HealthCheckStatus.SCHEDULED,
    ):
        steps["schedule_form"] = ScheduleForm(engineers=skilled_engineers(check.product_id))
    if assessor and status == HealthCheckStatus.SCHEDULED:
        steps["may_start"] = True
    if assessor and status == HealthCheckStatus.IN_ASSESSMENT:
        steps["finding_form"], steps["deliver_form"] = FindingForm(), DeliverForm()
    if status not in (HealthCheckStatus.DELIVERED, HealthCheckStatus.CANCELLED):
        steps["cancel_form"] = ReasonForm()
    steps["may_finish"] = may_read_findings(user, check)
    for key, form in steps.items():
        if failed is not None and type(form) is type(failed):
            steps[key] = failed
    return steps


def _step(
    request: HttpRequest, check_id: int, form: forms.Form, act: Callable[[dict[str, Any]], Any]
) -> HttpResponse:
    user = current_user(request)
    check = actions.readable_health_check(user, check_id)
    outcome = attempt(request, form, act, "Saved.")
    if outcome.result is None:
        return _page(request, user, check, failed=form, status=outcome.status)
    return redirect("services:health-check", check_id)


@login_required
@require_POST
def schedule(request: HttpRequest, check_id: int) -> HttpResponse:
    user = current_user(request)
    check = actions.readable_health_check(user, check_id)
    form = ScheduleForm(request.POST, engineers=skilled_engineers(check.product_id))
    return _step(
        request,
        check_id,
        form,
        lambda data: actions.schedule_health_check(user, check_id, **data),
    )


@login_required
@require_POST
def start(request: HttpRequest, check_id: int) -> HttpResponse:
    user = current_user(request)
    return _step(
        request, check_id, forms.Form({}), lambda _: actions.start_assessment(user, check_id)
    )


@login_required
@require_POST
def add_finding(request: HttpRequest, check_id: int) -> HttpResponse:
    user = current_user(request)
    return _step(
        request,
        check_id,
        FindingForm(request.POST),
        lambda data: actions.add_finding(user, check_id, actions.FindingInput(**data)),
    )


@login_required
@require_POST
def finish_finding(request: HttpRequest, check_id: int, finding_id: int) -> HttpResponse:
    user = current_user(request)
    return _step(
        request,
        check_id,
        forms.Form({}),
        lambda _: actions.finish_finding(user, check_id, finding_id),
    )


@login_required
@require_POST
def deliver(request: HttpRequest, check_id: int) -> HttpResponse:
    user = current_user(request)
    return _step(
        request,
        check_id,
        DeliverForm(request.POST),
        lambda data: actions.deliver_health_check(user, check_id, summary=data["summary"]),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, check_id: int) -> HttpResponse:
    user = current_user(request)
    return _step(
        request,
        check_id,
        ReasonForm(request.POST),
        lambda data: actions.cancel_health_check(user, check_id, reason=data["reason"]),
    )
