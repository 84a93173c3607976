"""Who reads escalations, callbacks and developer-assistance requests (docs/access.md):
written once for the pages, the API and the ticket page's "More help" panel."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from premierdesk.accounts.models import TICKET_STAFF_ROLES, Role, User
from premierdesk.escalations.models import AssistanceRequest, CallbackRequest, Escalation
from premierdesk.lib.errors import NotAllowed
from premierdesk.tickets.rules import reads_all_tickets, visible_tickets


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
