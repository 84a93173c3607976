"""Escalation pages: the forms posted from the ticket page (escalate, ask for a callback, ask
the developers), the console's escalations and callbacks, and a developer team's queue. Each
view parses its form and calls one action; a refusal comes back beside the form, with its
status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.accounts.rules import may_use_console
from premierdesk.escalations import actions, queries
from premierdesk.escalations.forms import (
    AnswerForm,
    AssistanceForm,
    CallbackForm,
    CallbackOutcomeForm,
    EscalateForm,
    OutcomeForm,
)
from premierdesk.escalations.rules import may_answer_request, require_read_escalations
from premierdesk.pages.forms import Refused, after_change, submit
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.rules import is_ticket_staff
from premierdesk.tickets.views.page import Act, change_ticket

Data = dict[str, Any]

# Ticket page ---------------------------------------------------------------------------------


def _on_ticket(
    request: HttpRequest, key: str, name: str, form: forms.Form, act: Act
) -> HttpResponse:
    return change_ticket(request, key, name, lambda _: form, act, "#escalations")


@login_required
@require_POST
def escalate(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        escalation = actions.escalate(user, key, reason=data["reason"], details=data["details"])
        return f"Escalated: {escalation.manager.full_name} is your escalation manager."

    return _on_ticket(request, key, "escalation_form", EscalateForm(request.POST), act)


@login_required
@require_POST
def request_callback(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        callback = actions.request_callback(user, key, actions.CallbackInput(**data))
        return f"{callback.assignee.full_name} will call you back."

    return _on_ticket(request, key, "callback_form", CallbackForm(request.POST), act)


@login_required
@require_POST
def ask_developers(request: HttpRequest, key: str) -> HttpResponse:
    def act(user: User, ticket: Ticket, data: Data) -> str:
        asked = actions.ask_developers(user, key, actions.AssistanceInput(**data))
        return f"Asked {asked.team.name} for help (internal)."

    return _on_ticket(request, key, "assistance_form", AssistanceForm(request.POST), act)


# Console: escalations and callbacks -----------------------------------------------------------

Failed = tuple[str, forms.Form] | None  # the refused row form: ("escalation-3", form)


def _require_ticket_staff(user: User) -> None:
    require_read_escalations(user)


@login_required
def escalations_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    _require_ticket_staff(user)
    return _escalations(request, user)


def _escalations(
    request: HttpRequest, user: User, *, status: int = 200, failed: Failed = None
) -> HttpResponse:
    zone = ZoneInfo(user.time_zone)
    failed_name, failed_form = failed or ("", None)

    def form_for(name: str, fresh: forms.Form) -> forms.Form:
        return failed_form if failed_form is not None and name == failed_name else fresh

    escalations = [
        (e, form_for(f"escalation-{e.pk}", OutcomeForm(prefix_id=f"resolve-{e.pk}")))
        for e in queries.escalation_list(user, open_only=True)
    ]
    callbacks = [
        (
            c,
            form_for(
                f"callback-{c.pk}", CallbackOutcomeForm(zone=zone, prefix_id=f"outcome-{c.pk}")
            ),
        )
        for c in queries.callback_list(user, open_only=True)
    ]
    names = {f"escalation-{e.pk}" for e, _ in escalations}
    names |= {f"callback-{c.pk}" for c, _ in callbacks}
    context = {
        "escalations": escalations,
        "callbacks": callbacks,
        "zone": zone.key,
        "orphan": None if failed_name in names else failed_form,
    }
    return render(request, "escalations/console.html", context, status=status)


def _row_change(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[Data], str],
    then: str,
    again: Callable[[int], HttpResponse],
) -> HttpResponse:
    """A change posted from one row of a console page: done, back to the page with a notice;
    refused, the page again with the row's form as typed. What the viewer may not see (or a
    page they may not use) is refused by the middleware, like any other page."""

    def refused(why: Refused) -> HttpResponse:
        if why.refusal is not None and (
            why.status == 404 or not may_use_console(current_user(request))
        ):
            raise why.refusal
        return again(why.status)

    return submit(
        form, act, done=lambda notice: after_change(request, notice, then), refused=refused
    )


@login_required
@require_POST
def resolve(request: HttpRequest, escalation_id: int) -> HttpResponse:
    user = current_user(request)
    form = OutcomeForm(request.POST, prefix_id=f"resolve-{escalation_id}")

    def act(data: Data) -> str:
        actions.resolve_escalation(user, escalation_id, outcome=data["outcome"])
        return f"Escalation {escalation_id} resolved."

    def again(status: int) -> HttpResponse:
        failed = (f"escalation-{escalation_id}", form)
        return _escalations(request, user, status=status, failed=failed)

    return _row_change(request, form, act, "escalations:console", again)


@login_required
@require_POST
def callback_outcome(request: HttpRequest, callback_id: int) -> HttpResponse:
    user = current_user(request)
    zone = ZoneInfo(user.time_zone)
    form = CallbackOutcomeForm(request.POST, zone=zone, prefix_id=f"outcome-{callback_id}")

    def act(data: Data) -> str:
        actions.record_callback_outcome(user, callback_id, **data)
        return f"Callback {callback_id} recorded and closed."

    def again(status: int) -> HttpResponse:
        failed = (f"callback-{callback_id}", form)
        return _escalations(request, user, status=status, failed=failed)

    return _row_change(request, form, act, "escalations:console", again)


# Console: developer assistance ---------------------------------------------------------------


@login_required
def assistance_page(request: HttpRequest) -> HttpResponse:
    return _assistance(request, current_user(request))


def _assistance(
    request: HttpRequest, user: User, *, status: int = 200, failed: Failed = None
) -> HttpResponse:
    team = request.GET.get("team") or None
    queue = queries.team_queue(user, team=team)
    failed_name, failed_form = failed or ("", None)
    rows = []
    for asked in queue:
        form = None
        if may_answer_request(user, asked):
            own = failed_form if f"request-{asked.pk}" == failed_name else None
            form = own or AnswerForm(prefix_id=f"answer-{asked.pk}")
        rows.append((asked, form))
    placed = any(f"request-{asked.pk}" == failed_name and form for asked, form in rows)
    context = {
        "rows": rows,
        "team": team,
        "staff": is_ticket_staff(user),
        "orphan": None if placed else failed_form,
    }
    return render(request, "escalations/assistance.html", context, status=status)


@login_required
@require_POST
def answer(request: HttpRequest, request_id: int) -> HttpResponse:
    user = current_user(request)
    form = AnswerForm(request.POST, prefix_id=f"answer-{request_id}")

    def act(data: Data) -> str:
        asked = actions.answer_request(user, request_id, answer=data["answer"])
        return f"Answered request {asked.pk} on {asked.ticket.key}."

    def again(status: int) -> HttpResponse:
        return _assistance(request, user, status=status, failed=(f"request-{request_id}", form))

    return _row_change(request, form, act, "escalations:assistance", again)
