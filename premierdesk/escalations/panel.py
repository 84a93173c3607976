"""The escalations panel of the ticket page: the ticket's escalation, the viewer's callbacks,
staff's developer-assistance requests, and the forms the viewer may use. The ticket page asks
this one function and includes ``escalations/_ticket_panel.html``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.escalations.forms import AssistanceForm, CallbackForm, EscalateForm
from premierdesk.escalations.models import (
    AssistanceRequest,
    CallbackRequest,
    Escalation,
    EscalationPolicy,
)
from premierdesk.escalations.rules import may_ask_developers, may_escalate, may_request_callback
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.rules import is_ticket_staff


@dataclass(frozen=True)
class Panel:
    escalation: Escalation | None  # the open one, else the latest
    callbacks: list[CallbackRequest]  # staff: all of the ticket's; a customer: their own
    requests: list[AssistanceRequest]  # staff only; empty for everyone else
    forms: dict[str, forms.Form | None] = field(default_factory=dict)
    callback_hours: int = 0  # the policy's, said beside the callback form when it is shown

    @property
    def shown(self) -> set[str]:
        """The names of the forms on the page, so a refusal is shown beside its form only."""
        return {name for name, form in self.forms.items() if form is not None}


def ticket_panel(user: User, ticket: Ticket, failed: Mapping[str, forms.Form]) -> Panel:
    staff, now = is_ticket_staff(user), timezone.now()
    escalations = ticket.escalations.select_related("manager", "raised_by", "resolved_by")
    escalation = (
        escalations.filter(resolved_at__isnull=True).first()
        or escalations.order_by("-raised_at", "-id").first()
    )
    callbacks = ticket.callbacks.select_related("assignee", "requested_by", "closed_by")
    if not staff:
        callbacks = callbacks.filter(requested_by=user)
    requests = (
        list(ticket.assistance_requests.select_related("team", "asked_by", "answered_by"))
        if staff
        else []
    )
    wanted: dict[str, Callable[[], forms.Form] | None] = {
        "escalation_form": EscalateForm if may_escalate(user, ticket, now) else None,
        "callback_form": CallbackForm if may_request_callback(user, ticket, now) else None,
        "assistance_form": AssistanceForm if may_ask_developers(user, ticket) else None,
    }
    made = {name: make and (failed.get(name) or make()) for name, make in wanted.items()}
    hours = EscalationPolicy.current().callback_response_hours if made["callback_form"] else 0
    return Panel(escalation, list(callbacks), requests, made, hours)
