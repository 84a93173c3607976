"""API: escalations, manager callbacks and developer assistance. Endpoints parse, call
``escalations.actions`` (changes) or ``escalations.queries`` (reads, which decide who sees
what), and render."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from premierdesk.accounts.access import current_user
from premierdesk.catalog.models import OfferingSlug
from premierdesk.escalations import actions, queries
from premierdesk.escalations.models import (
    AssistanceRequest,
    CallbackRequest,
    Escalation,
    EscalationReason,
    Urgency,
)
from premierdesk.restapi.errors import Problem
from premierdesk.restapi.pagination import Mapped, PagePagination
from premierdesk.restapi.schemas import REFUSALS, Instant, PersonRef

router = Router(tags=["escalations"])

# Escalations ---------------------------------------------------------------------------------


class EscalationOut(Schema):
    id: int
    ticket: str = Field(description="The ticket's key.")
    reason: str
    details: str
    raised_by: PersonRef
    raised_at: datetime
    manager: PersonRef = Field(description="The escalation manager who owns it.")
    open: bool
    resolved_at: datetime | None
    resolved_by: PersonRef | None
    outcome: str


def escalation_out(escalation: Escalation) -> EscalationOut:
    return EscalationOut(
        id=escalation.pk,
        ticket=escalation.ticket.key,
        reason=escalation.reason,
        details=escalation.details,
        raised_by=PersonRef.of(escalation.raised_by),
        raised_at=escalation.raised_at,
        manager=PersonRef.of(escalation.manager),
        open=escalation.is_open,
        resolved_at=escalation.resolved_at,
        resolved_by=PersonRef.of(escalation.resolved_by),
        outcome=escalation.outcome,
    )


class EscalationIn(Schema):
    ticket: str = Field(max_length=20, description="The ticket's key, e.g. PS-1234.")
    reason: str = Field(description=", ".join(EscalationReason.values))
    details: str = Field("", max_length=5000, description="Needed when the reason is other.")


class OpenQuery(Schema):
    open: bool | None = Field(None, description="true: open ones only.")


class ResolveIn(Schema):
    outcome: str = Field(max_length=5000)


@router.get(
    "/escalations",
    response={200: list[EscalationOut], 403: Problem},
    summary="Escalations (staff): open first, an escalation manager's own first",
)
@paginate(PagePagination)
def list_escalations(request: HttpRequest, filters: Query[OpenQuery]) -> Any:
    found = queries.escalation_list(current_user(request), open_only=bool(filters.open))
    return Mapped(found, escalation_out)


@router.post(
    "/escalations",
    response={201: EscalationOut, **REFUSALS},
    summary="Escalate a ticket (its named contacts, its opener, staff)",
)
def escalate(request: HttpRequest, payload: EscalationIn) -> Status[EscalationOut]:
    escalation = actions.escalate(
        current_user(request), payload.ticket, reason=payload.reason, details=payload.details
    )
    return Status(201, escalation_out(escalation))


@router.get(
    "/escalations/{escalation_id}",
    response={200: EscalationOut, **REFUSALS},
    summary="One escalation (staff; customers: of the tickets they see)",
)
def get_escalation(request: HttpRequest, escalation_id: int) -> EscalationOut:
    user = current_user(request)
    return escalation_out(queries.readable_escalation(user, escalation_id, timezone.now()))


@router.post(
    "/escalations/{escalation_id}/resolve",
    response={200: EscalationOut, **REFUSALS},
    summary="Resolve an escalation with its outcome (its manager, or a support manager)",
)
def resolve_escalation(
    request: HttpRequest, escalation_id: int, payload: ResolveIn
) -> EscalationOut:
    escalation = actions.resolve_escalation(
        current_user(request), escalation_id, outcome=payload.outcome
    )
    return escalation_out(escalation)


# Callbacks -----------------------------------------------------------------------------------


class CallbackOut(Schema):
    id: int
    ticket: str
    requested_by: PersonRef
    requested_at: datetime
    wants: str = Field(description="support_manager or escalation_manager")
    complaint: str
    phone: str
    preferred_times: str
    assignee: PersonRef
    due_at: datetime
    overdue: bool = Field(description="Past its due time without a call.")
    open: bool
    called_back_at: datetime | None
    outcome: str
    closed_at: datetime | None


def callback_out(callback: CallbackRequest) -> CallbackOut:
    return CallbackOut(
        id=callback.pk,
        ticket=callback.ticket.key,
        requested_by=PersonRef.of(callback.requested_by),
        requested_at=callback.requested_at,
        wants=callback.wants,
        complaint=callback.complaint,
        phone=callback.phone,
        preferred_times=callback.preferred_times,
        assignee=PersonRef.of(callback.assignee),
        due_at=callback.due_at,
        overdue=callback.is_open and callback.due_at <= timezone.now(),
        open=callback.is_open,
        called_back_at=callback.called_back_at,
        outcome=callback.outcome,
        closed_at=callback.closed_at,
    )


class CallbackIn(Schema):
    ticket: str = Field(max_length=20)
    wants: str = Field(description="support_manager or escalation_manager")
    complaint: str = Field(max_length=5000, description="What is wrong with the service.")
    phone: str = Field(max_length=40)
    preferred_times: str = Field("", max_length=300)


class OutcomeIn(Schema):
    called_back_at: Instant
    outcome: str = Field(max_length=5000)


@router.get(
    "/callbacks",
    response={200: list[CallbackOut], 403: Problem},
    summary="Manager callbacks: staff see all (open first); a customer the ones they asked for",
)
@paginate(PagePagination)
def list_callbacks(request: HttpRequest, filters: Query[OpenQuery]) -> Any:
    found = queries.callback_list(current_user(request), open_only=bool(filters.open))
    return Mapped(found, callback_out)


@router.post(
    "/callbacks",
    response={201: CallbackOut, **REFUSALS},
    summary="Ask a support or escalation manager to call you back about a ticket",
)
def request_callback(request: HttpRequest, payload: CallbackIn) -> Status[CallbackOut]:
    fields = payload.dict()
    key = fields.pop("ticket")
    callback = actions.request_callback(current_user(request), key, actions.CallbackInput(**fields))
    return Status(201, callback_out(callback))


@router.get(
    "/callbacks/{callback_id}", response={200: CallbackOut, **REFUSALS}, summary="One callback"
)
def get_callback(request: HttpRequest, callback_id: int) -> CallbackOut:
    return callback_out(queries.readable_callback(current_user(request), callback_id))


@router.post(
    "/callbacks/{callback_id}/outcome",
    response={200: CallbackOut, **REFUSALS},
    summary="Record the call back (its assignee, or a support manager); this closes it",
)
def record_outcome(request: HttpRequest, callback_id: int, payload: OutcomeIn) -> CallbackOut:
    callback = actions.record_callback_outcome(
        current_user(request),
        callback_id,
        called_back_at=payload.called_back_at,
        outcome=payload.outcome,
    )
    return callback_out(callback)


# Developer assistance ------------------------------------------------------------------------


class AssistanceOut(Schema):
    id: int
    ticket: str
    summary: str
    product: str = Field(description="The product's slug.")
    level: str
    premier: bool = Field(description="A Premier ticket: first in the team's queue.")
    team: str = Field(description="The developer team's slug.")
    asked_by: PersonRef
    asked_at: datetime
    question: str
    evidence: str
    urgency: str
    answer: str
    answered_by: PersonRef | None
    answered_at: datetime | None


def assistance_out(asked: AssistanceRequest) -> AssistanceOut:
    ticket = asked.ticket
    return AssistanceOut(
        id=asked.pk,
        ticket=ticket.key,
        summary=ticket.summary,
        product=ticket.product.slug,
        level=ticket.level,
        premier=ticket.license.offering.slug == OfferingSlug.PREMIER,
        team=asked.team.slug,
        asked_by=PersonRef.of(asked.asked_by),
        asked_at=asked.asked_at,
        question=asked.question,
        evidence=asked.evidence,
        urgency=asked.urgency,
        answer=asked.answer,
        answered_by=PersonRef.of(asked.answered_by),
        answered_at=asked.answered_at,
    )


class AssistanceIn(Schema):
    ticket: str = Field(max_length=20)
    question: str = Field(max_length=10_000)
    evidence: str = Field("", max_length=20_000)
    urgency: str = Field(Urgency.NORMAL, description=", ".join(Urgency.values))


class QueueQuery(Schema):
    team: str | None = Field(None, description="A developer team's slug.")
    open: bool = Field(True, description="false: answered requests too.")


class AssistanceAnswerIn(Schema):
    answer: str = Field(max_length=20_000)


@router.get(
    "/developer-assistance",
    response={200: list[AssistanceOut], 403: Problem, 404: Problem},
    summary="A developer team's queue: Premier first, then level, then the oldest",
)
@paginate(PagePagination)
def assistance_queue(request: HttpRequest, filters: Query[QueueQuery]) -> Any:
    user = current_user(request)
    found = queries.team_queue(user, team=filters.team, open_only=filters.open)
    return Mapped(found, assistance_out)


@router.post(
    "/developer-assistance",
    response={201: AssistanceOut, **REFUSALS},
    summary="Ask the ticket product's developer team for help (staff)",
)
def ask_developers(request: HttpRequest, payload: AssistanceIn) -> Status[AssistanceOut]:
    fields = payload.dict()
    key = fields.pop("ticket")
    asked = actions.ask_developers(current_user(request), key, actions.AssistanceInput(**fields))
    return Status(201, assistance_out(asked))


@router.get(
    "/developer-assistance/{request_id}",
    response={200: AssistanceOut, **REFUSALS},
    summary="One request (staff; developers: their teams')",
)
def get_request(request: HttpRequest, request_id: int) -> AssistanceOut:
    return assistance_out(queries.readable_request(current_user(request), request_id))


@router.post(
    "/developer-assistance/{request_id}/answer",
    response={200: AssistanceOut, **REFUSALS},
    summary="Answer a request (its team's developers); the answer goes on the ticket, internal",
)
def answer_request(
    request: HttpRequest, request_id: int, payload: AssistanceAnswerIn
) -> AssistanceOut:
    asked = actions.answer_request(current_user(request), request_id, answer=payload.answer)
    return assistance_out(asked)
