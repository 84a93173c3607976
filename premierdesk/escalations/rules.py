"""Who reads escalations, callbacks and developer-assistance requests (docs/access.md), and who
may raise, ask for, resolve and answer them: written once for the actions, the pages, the API
and the ticket page's "More help" panel."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from premierdesk.accounts.models import TICKET_STAFF_ROLES, Role, User
from premierdesk.escalations.models import AssistanceRequest, CallbackRequest, Escalation
from premierdesk.lib.errors import Conflict, NotAllowed, passes
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.rules import in_charge, is_ticket_staff, reads_all_tickets, visible_tickets


def may_read_escalations(user: User) -> bool:
    """The list of escalations: vendor roles that work tickets (an enterprise manager: those
    of their organizations' tickets). A customer reads one escalation of a ticket they see,
    never the list; developers none."""
    return user.is_active and user.role in TICKET_STAFF_ROLES


def require_read_escalations(user: User) -> None:
    if not may_read_escalations(user):
        raise NotAllowed("Only Premier Support staff who work tickets see escalations.")


def visible_escalations(user: User, at: datetime) -> QuerySet[Escalation]:
    """The escalations of the tickets ``user`` sees; none for a developer."""
    escalations = Escalation.objects.all()
    if not user.is_active or user.role == Role.DEVELOPER:
        return escalations.none()
    if reads_all_tickets(user):
        return escalations
    return escalations.filter(ticket__in=visible_tickets(user, at))


def may_read_callbacks(user: User) -> bool:
    """Vendor roles that work tickets, and the customers who asked for one."""
    return user.is_active and (user.is_customer or may_read_escalations(user))


def require_read_callbacks(user: User) -> None:
    if not may_read_callbacks(user):
        raise NotAllowed("Callbacks are seen by the customers who ask and by support staff.")


def visible_callbacks(user: User, at: datetime) -> QuerySet[CallbackRequest]:
    """Staff: the callbacks of the tickets they see. A customer: those they asked for."""
    callbacks = CallbackRequest.objects.all()
    if not may_read_callbacks(user):
        return callbacks.none()
    if user.is_customer:
        return callbacks.filter(requested_by=user)
    if reads_all_tickets(user):
        return callbacks
    return callbacks.filter(ticket__in=visible_tickets(user, at))


def may_read_assistance(user: User) -> bool:
    """Developer assistance: vendor roles (a developer: their teams'); never a customer."""
    return user.is_active and user.is_support_staff


def require_read_assistance(user: User) -> None:
    if not may_read_assistance(user):
        raise NotAllowed("Developer assistance is seen by the developer teams and support staff.")


def visible_assistance(user: User) -> QuerySet[AssistanceRequest]:
    """All requests for those who read every ticket; an enterprise manager's organizations';
    a developer's teams'."""
    requests = AssistanceRequest.objects.all()
    if not may_read_assistance(user):
        return requests.none()
    if reads_all_tickets(user):
        return requests
    if user.role == Role.ENTERPRISE_MANAGER:
        return requests.filter(ticket__organization__enterprise_manager=user)
    return requests.filter(team__members=user)


# Who may ask for more help on a ticket, and who closes what was asked (docs/product/services.md).
# ----------


def _require_in_charge(user: User, ticket: Ticket, at: datetime, what: str) -> None:
    if not in_charge(user, ticket, at):
        raise NotAllowed(
            f"Only {ticket.key}'s named contacts, the person who opened it and Premier Support "
            f"{what}; participants see and comment."
        )


def may_escalate(user: User, ticket: Ticket, at: datetime) -> bool:
    return passes(lambda: require_escalate(user, ticket, at))


def require_escalate(user: User, ticket: Ticket, at: datetime) -> None:
    """Those in charge of a ticket escalate it while it is not closed, once at a time."""
    _require_in_charge(user, ticket, at, "escalate it")
    if ticket.status == Status.CLOSED:
        raise Conflict(f"{ticket.key} is closed. Open a new ticket and mention {ticket.key}.")
    current = ticket.escalations.filter(resolved_at__isnull=True).select_related("manager").first()
    if current is not None:
        raise already_escalated(ticket, current)


def already_escalated(ticket: Ticket, current: Escalation) -> Conflict:
    return Conflict(
        f"{ticket.key} is already escalated (escalation {current.pk}, raised "
        f"{current.raised_at:%Y-%m-%d %H:%M} UTC); {current.manager.full_name} "
        f"<{current.manager.email}> owns it. Talk to them, or ask for a manager callback."
    )


def may_request_callback(user: User, ticket: Ticket, at: datetime) -> bool:
    return passes(lambda: require_request_callback(user, ticket, at))


def require_request_callback(user: User, ticket: Ticket, at: datetime) -> None:
    """Those in charge of a ticket ask for a manager callback, one open at a time each."""
    _require_in_charge(user, ticket, at, "ask for a manager callback")
    current = (
        ticket.callbacks.filter(requested_by=user, closed_at__isnull=True)
        .select_related("assignee")
        .first()
    )
    if current is not None:
        raise Conflict(
            f"You already asked for a callback on {ticket.key}: "
            f"{current.assignee.full_name} calls you back by "
            f"{current.due_at:%Y-%m-%d %H:%M} UTC."
        )


def may_ask_developers(user: User, ticket: Ticket) -> bool:
    return passes(lambda: require_ask_developers(user, ticket))


def require_ask_developers(user: User, ticket: Ticket) -> None:
    """Staff who work tickets ask the developers about an open ticket."""
    if not is_ticket_staff(user):
        raise NotAllowed(f"Only Premier Support staff ask the developers for help on {ticket.key}.")
    if not ticket.is_open:
        raise Conflict(f"{ticket.key} is {ticket.get_status_display().lower()}; reopen it first.")


def may_resolve_escalation(user: User, escalation: Escalation) -> bool:
    """Its escalation manager, or a support manager."""
    return user.pk == escalation.manager_id or user.role == Role.SUPPORT_MANAGER


def require_resolve_escalation(user: User, escalation: Escalation) -> None:
    if not may_resolve_escalation(user, escalation):
        raise NotAllowed(
            f"Escalation {escalation.pk} is resolved by its escalation manager, "
            f"{escalation.manager.full_name}, or a support manager."
        )


def may_close_callback(user: User, callback: CallbackRequest) -> bool:
    """The manager asked to call, or a support manager, records the call and closes it."""
    return user.pk == callback.assignee_id or user.role == Role.SUPPORT_MANAGER


def require_close_callback(user: User, callback: CallbackRequest) -> None:
    if not may_close_callback(user, callback):
        raise NotAllowed(
            f"Callback {callback.pk} is closed by {callback.assignee.full_name}, who was asked "
            "to call, or a support manager."
        )


def may_answer_request(user: User, asked: AssistanceRequest) -> bool:
    """A member of the team asked answers."""
    return asked.team.members.filter(pk=user.pk).exists()


def require_answer_request(user: User, asked: AssistanceRequest) -> None:
    if not may_answer_request(user, asked):
        raise NotAllowed(f"Only members of {asked.team.name} answer request {asked.pk}.")
