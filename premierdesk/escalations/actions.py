"""Getting more help on a ticket (docs/product/services.md): escalate it to an escalation manager,
ask a manager to call back, ask the product's developers. Each change is one transaction that locks
the row it changes, writes its audit entry, and queues its e-mail in the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from premierdesk.accounts.models import Role, User
from premierdesk.audit.actions import record
from premierdesk.escalations.models import (
    AssistanceRequest,
    CallbackRequest,
    CallbackRole,
    DeveloperTeam,
    Escalation,
    EscalationPolicy,
    EscalationReason,
    Urgency,
)
from premierdesk.escalations.queries import (
    callback_assignee_for_new,
    escalation_manager_for_new,
    readable_callback,
    readable_escalation,
    readable_request,
)
from premierdesk.escalations.rules import (
    already_escalated,
    require_answer_request,
    require_ask_developers,
    require_close_callback,
    require_escalate,
    require_request_callback,
    require_resolve_escalation,
)
from premierdesk.lib.errors import Conflict, InvalidInput
from premierdesk.notifications.actions import notify, notify_of
from premierdesk.tickets.actions import note_on_timeline
from premierdesk.tickets.models import EventKind, Ticket, Visibility
from premierdesk.tickets.rules import readable_ticket


def _locked_ticket(actor: User, key: str) -> tuple[Ticket, datetime]:
    """The ticket, visible to ``actor`` (or NotFound), locked for this transaction: two people
    acting on it at once take turns."""
    now = timezone.now()
    ticket = readable_ticket(actor, key, now)
    return Ticket.objects.select_for_update().get(pk=ticket.pk), now


def _text(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise InvalidInput.on_field(field, message)
    return value.strip()


# Escalations ---------------------------------------------------------------------------------


@transaction.atomic
def escalate(actor: User, key: str, *, reason: str, details: str = "") -> Escalation:
    """Escalate a ticket to the least loaded escalation manager, who owns it until resolved."""
    ticket, now = _locked_ticket(actor, key)
    require_escalate(actor, ticket, now)
    grounds = _grounds(reason, details)
    manager = escalation_manager_for_new()
    if manager is None:
        raise Conflict(
            "No escalation manager is available right now. Call the phone line given at "
            "onboarding and ask for one."
        )
    escalation = _create_escalation(ticket, actor, grounds, details.strip(), manager, now)
    data = {"escalation": escalation.pk, "grounds": grounds.label, "manager": manager.full_name}
    note_on_timeline(ticket, actor, EventKind.ESCALATED, data, now)
    raised = record(
        actor,
        "escalations.raised",
        escalation,
        changes={"ticket": [None, ticket.key], "manager": [None, manager.email]},
        reason=f"{grounds.label}. {details.strip()}".strip(),
    )
    owner = [ticket.owner.email] if ticket.owner else []
    notify_of(
        raised,
        [manager.email, *owner],
        {"escalation": escalation, "ticket": ticket},
        template="escalation_assigned",
    )
    return escalation


def _grounds(reason: str, details: str) -> EscalationReason:
    if reason not in EscalationReason.values:
        choices = ", ".join(EscalationReason.values)
        raise InvalidInput.on_field("reason", f"Choose why you escalate: {choices}.")
    if reason == EscalationReason.OTHER and not details.strip():
        raise InvalidInput.on_field("details", "Say why you escalate the ticket.")
    return EscalationReason(reason)


def _create_escalation(
    ticket: Ticket,
    actor: User,
    grounds: EscalationReason,
    details: str,
    manager: User,
    now: datetime,
) -> Escalation:
    try:
        with transaction.atomic():  # a savepoint: the unique constraint is the last guard
            return Escalation.objects.create(
                ticket=ticket,
                reason=grounds,
                details=details,
                raised_by=actor,
                raised_at=now,
                manager=manager,
            )
    except IntegrityError:
        open_ = ticket.escalations.filter(resolved_at__isnull=True).select_related("manager")
        current = open_.first()
        if current is not None:
            raise already_escalated(ticket, current) from None
        raise


@transaction.atomic
def resolve_escalation(actor: User, escalation_id: int, *, outcome: str) -> Escalation:
    """Its escalation manager, or a support manager, ends an escalation with its outcome."""
    now = timezone.now()
    found = readable_escalation(actor, escalation_id, now)
    escalation = Escalation.objects.select_for_update().get(pk=found.pk)
    require_resolve_escalation(actor, escalation)
    if not escalation.is_open:
        raise Conflict(
            f"Escalation {escalation.pk} was resolved at {escalation.resolved_at:%Y-%m-%d %H:%M}"
            " UTC."
        )
    escalation.outcome = _text(outcome, "outcome", "Say how the escalation ended.")
    escalation.resolved_at, escalation.resolved_by = now, actor
    escalation.save(update_fields=["outcome", "resolved_at", "resolved_by"])
    data = {"escalation": escalation.pk, "outcome": escalation.outcome}
    note_on_timeline(found.ticket, actor, EventKind.ESCALATION_RESOLVED, data, now)
    resolved = record(
        actor,
        "escalations.resolved",
        escalation,
        changes={"resolved_at": [None, now.isoformat()]},
        reason=escalation.outcome,
    )
    notify_of(
        resolved,
        {found.raised_by.email, found.manager.email} - {actor.email},
        {"escalation": escalation, "ticket": found.ticket},
        template="escalation_resolved",
    )
    return escalation


# Manager callbacks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CallbackInput:
    wants: str
    complaint: str
    phone: str
    preferred_times: str = ""


@transaction.atomic
def request_callback(actor: User, key: str, fields: CallbackInput) -> CallbackRequest:
    """A customer in charge of a ticket asks a support or escalation manager to call them
    back; it goes to the least loaded one of that role, due within the policy's hours."""
    ticket, now = _locked_ticket(actor, key)
    require_request_callback(actor, ticket, now)
    wants = _wanted_role(fields.wants)
    complaint = _text(fields.complaint, "complaint", "Say what is wrong with the service.")
    phone = _text(fields.phone, "phone", "Give the number the manager should call.")
    assignee = callback_assignee_for_new(wants)
    if assignee is None:
        raise Conflict(
            f"Nobody is available as {wants.label.lower()} right now; ask for the other kind "
            "of manager, or call the phone line given at onboarding."
        )
    hours = EscalationPolicy.current().callback_response_hours
    callback = CallbackRequest.objects.create(
        ticket=ticket,
        requested_by=actor,
        requested_at=now,
        wants=wants,
        complaint=complaint,
        phone=phone,
        preferred_times=fields.preferred_times.strip(),
        assignee=assignee,
        due_at=now + timedelta(hours=hours),
    )
    record(
        actor,
        "escalations.callback_requested",
        callback,
        changes={"ticket": [None, ticket.key], "assignee": [None, assignee.email]},
    )
    notify(
        f"escalations.callback:{callback.pk}",
        [assignee.email],
        "callback_assigned",
        {"callback": callback, "ticket": ticket},
    )
    return callback


def _wanted_role(wants: str) -> CallbackRole:
    if wants not in CallbackRole.values:
        raise InvalidInput.on_field(
            "wants", "Choose who should call you back: a support manager or an escalation manager."
        )
    return CallbackRole(wants)


@transaction.atomic
def record_callback_outcome(
    actor: User, callback_id: int, *, called_back_at: datetime, outcome: str
) -> CallbackRequest:
    """The assignee (or a support manager) says when they called and how it went; that
    closes the callback."""
    now = timezone.now()
    found = readable_callback(actor, callback_id)
    callback = CallbackRequest.objects.select_for_update().get(pk=found.pk)
    require_close_callback(actor, callback)
    if not callback.is_open:
        raise Conflict(f"Callback {callback.pk} was closed at {callback.closed_at:%Y-%m-%d %H:%M}.")
    if not callback.requested_at <= called_back_at <= now:
        raise InvalidInput.on_field(
            "called_back_at", "The call happened after the request and before now."
        )
    callback.outcome = _text(outcome, "outcome", "Say how the call went.")
    callback.called_back_at, callback.closed_at, callback.closed_by = called_back_at, now, actor
    callback.save(update_fields=["outcome", "called_back_at", "closed_at", "closed_by"])
    closed = record(
        actor,
        "escalations.callback_closed",
        callback,
        changes={"called_back_at": [None, called_back_at.isoformat()]},
        reason=callback.outcome,
    )
    notify_of(closed, [found.requested_by.email], {"callback": callback, "ticket": found.ticket})
    return callback


def alert_overdue_callbacks(now: datetime, limit: int = 500) -> int:
    """Tell the support managers, once, of each callback past its due time unanswered. Each is
    claimed with a conditional update, so concurrent runs alert once. Returns how many."""
    due = CallbackRequest.objects.filter(
        due_at__lte=now, closed_at__isnull=True, overdue_alerted_at__isnull=True
    ).order_by("due_at", "pk")
    return sum(_alert_overdue(pk, now) for pk in list(due.values_list("pk", flat=True)[:limit]))


@transaction.atomic
def _alert_overdue(pk: int, now: datetime) -> int:
    claimed = CallbackRequest.objects.filter(
        pk=pk, closed_at__isnull=True, overdue_alerted_at__isnull=True
    ).update(overdue_alerted_at=now)
    if claimed != 1:
        return 0  # answered meanwhile, or another run got there first
    callback = CallbackRequest.objects.select_related("ticket", "assignee", "requested_by").get(
        pk=pk
    )
    overdue = record(None, "escalations.callback_overdue", callback, system="callback alerts")
    managers = User.objects.filter(role=Role.SUPPORT_MANAGER, is_active=True)
    notify_of(
        overdue,
        managers.values_list("email", flat=True),
        {"callback": callback, "ticket": callback.ticket},
    )
    return 1


# Priority developer assistance --------------------------------------------------------------


@dataclass(frozen=True)
class AssistanceInput:
    question: str
    evidence: str = ""
    urgency: str = Urgency.NORMAL


@transaction.atomic
def ask_developers(actor: User, key: str, fields: AssistanceInput) -> AssistanceRequest:
    """Staff ask the developer team of the ticket's product for help. Internal throughout:
    the customer sees nothing of it."""
    ticket, now = _locked_ticket(actor, key)
    require_ask_developers(actor, ticket)
    if fields.urgency not in Urgency.values:
        raise InvalidInput.on_field("urgency", f"Choose an urgency: {', '.join(Urgency.values)}.")
    question = _text(fields.question, "question", "Write the question for the developers.")
    team = DeveloperTeam.objects.filter(products=ticket.product_id).order_by("pk").first()
    if team is None:
        raise Conflict(
            f"No developer team looks after {ticket.product.name} yet; an administrator sets "
            "up the teams."
        )
    asked = AssistanceRequest.objects.create(
        ticket=ticket,
        team=team,
        asked_by=actor,
        asked_at=now,
        question=question,
        evidence=fields.evidence.strip(),
        urgency=fields.urgency,
    )
    data = {"request": asked.pk, "team": team.name, "urgency": fields.urgency}
    note_on_timeline(ticket, actor, EventKind.DEVELOPERS_ASKED, data, now, Visibility.INTERNAL)
    record(actor, "escalations.developers_asked", asked, changes={"team": [None, team.slug]})
    notify(
        f"escalations.assistance:{asked.pk}",
        team.members.filter(is_active=True).values_list("email", flat=True),
        "assistance_asked",
        {"request": asked, "ticket": ticket},
    )
    return asked


@transaction.atomic
def answer_request(actor: User, request_id: int, *, answer: str) -> AssistanceRequest:
    """A member of the team answers; the answer goes on the ticket's timeline, internal."""
    now = timezone.now()
    found = readable_request(actor, request_id)
    asked = AssistanceRequest.objects.select_for_update().get(pk=found.pk)
    require_answer_request(actor, found)
    if not asked.is_open:
        raise Conflict(
            f"Request {asked.pk} was answered at {asked.answered_at:%Y-%m-%d %H:%M} UTC."
        )
    asked.answer = _text(answer, "answer", "Write the answer first.")
    asked.answered_at, asked.answered_by = now, actor
    asked.save(update_fields=["answer", "answered_at", "answered_by"])
    data = {"request": asked.pk, "team": found.team.name, "answer": asked.answer}
    note_on_timeline(
        found.ticket, actor, EventKind.DEVELOPERS_ANSWERED, data, now, Visibility.INTERNAL
    )
    record(
        actor,
        "escalations.developers_answered",
        asked,
        changes={"answered_at": [None, now.isoformat()]},
    )
    notify(
        f"escalations.answered:{asked.pk}",
        [found.asked_by.email],
        "assistance_answered",
        {"request": asked, "ticket": found.ticket},
    )
    return asked
