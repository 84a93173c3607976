"""Reading escalations, callbacks and developer-assistance requests as a given person may: one
place for the pages and the API. What someone may not see answers like what does not exist.
Also who a new escalation or callback goes to (the least loaded manager of the role)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from premierdesk.accounts.models import Role, User
from premierdesk.catalog.models import OfferingSlug
from premierdesk.escalations.models import (
    AssistanceRequest,
    CallbackRequest,
    CallbackRole,
    Escalation,
)
from premierdesk.escalations.rules import (
    require_read_assistance,
    require_read_callbacks,
    require_read_escalations,
    visible_assistance,
    visible_callbacks,
    visible_escalations,
)
from premierdesk.lib.errors import NotFound
from premierdesk.tickets.models import Ticket


def escalated() -> Exists:
    """True for a ticket with an open escalation: annotate a list with it (one query for the
    whole list, not one per row)."""
    return Exists(Escalation.objects.filter(ticket=OuterRef("pk"), resolved_at__isnull=True))


def is_escalated(ticket: Ticket) -> bool:
    """From the list's annotation when there is one (see ``escalated``); else one query."""
    flag = getattr(ticket, "escalated", None)
    if flag is None:
        flag = ticket.escalations.filter(resolved_at__isnull=True).exists()
    return bool(flag)


# Escalations ---------------------------------------------------------------------------------


def readable_escalation(user: User, escalation_id: int, at: datetime) -> Escalation:
    """Those of the tickets ``user`` sees (escalations.rules)."""
    escalations = visible_escalations(user, at).select_related(
        "ticket", "manager", "raised_by", "resolved_by"
    )
    found = escalations.filter(pk=escalation_id).first()
    if found is None:
        raise NotFound(f"There is no escalation {escalation_id}, or it is not yours to see.")
    return found


def escalation_list(user: User, *, open_only: bool = False) -> QuerySet[Escalation]:
    """Staff only. Open ones first; an escalation manager's own first among those."""
    require_read_escalations(user)
    escalations = visible_escalations(user, timezone.now()).select_related(
        "ticket__organization", "manager", "raised_by", "resolved_by"
    )
    if open_only:
        escalations = escalations.filter(resolved_at__isnull=True)
    return escalations.annotate(
        closed=Case(When(resolved_at__isnull=True, then=Value(0)), default=Value(1)),
        mine=_mine("manager_id", user),
    ).order_by("closed", "mine", "raised_at", "id")


def _mine(field: str, user: User) -> Case:
    """0 for rows that are ``user``'s, 1 otherwise: "mine first" in an ordering."""
    return Case(When(**{field: user.pk}, then=Value(0)), default=Value(1))


# Callbacks -----------------------------------------------------------------------------------


def readable_callback(user: User, callback_id: int) -> CallbackRequest:
    """Staff see the callbacks of the tickets they see; a customer only those they asked for."""
    callbacks = visible_callbacks(user, timezone.now()).select_related(
        "ticket", "assignee", "requested_by", "closed_by"
    )
    found = callbacks.filter(pk=callback_id).first()
    if found is None:
        raise NotFound(f"There is no callback {callback_id}, or it is not yours to see.")
    return found


def callback_list(user: User, *, open_only: bool = False) -> QuerySet[CallbackRequest]:
    """Staff: all, open ones first, the viewer's own first, soonest due first. A customer:
    the ones they asked for. Anyone else: none."""
    require_read_callbacks(user)
    callbacks = visible_callbacks(user, timezone.now()).select_related(
        "ticket__organization", "assignee", "requested_by", "closed_by"
    )
    if open_only:
        callbacks = callbacks.filter(closed_at__isnull=True)
    if user.is_customer:
        return callbacks.order_by("-requested_at", "-id")
    return callbacks.annotate(
        closed=Case(When(closed_at__isnull=True, then=Value(0)), default=Value(1)),
        mine=_mine("assignee_id", user),
    ).order_by("closed", "mine", "due_at", "id")


# Developer assistance ------------------------------------------------------------------------


def _assistance_for(user: User) -> QuerySet[AssistanceRequest]:
    """What ``user`` reads (escalations.rules.visible_assistance), with its rows."""
    return visible_assistance(user).select_related(
        "ticket__product",
        "ticket__license__offering",
        "ticket__organization",
        "team",
        "asked_by",
        "answered_by",
    )


def readable_request(user: User, request_id: int) -> AssistanceRequest:
    found = _assistance_for(user).filter(pk=request_id).first()
    if found is None:
        raise NotFound(f"There is no assistance request {request_id}, or it is not yours to see.")
    return found


def team_queue(
    user: User, *, team: str | None = None, open_only: bool = True
) -> QuerySet[AssistanceRequest]:
    """A developer team's queue: Premier tickets first, then by level (L1 first), then the
    oldest request first. Developers see their own teams' queues only."""
    require_read_assistance(user)
    requests = _assistance_for(user)
    if team:
        requests = requests.filter(team__slug=team)
        if user.role == Role.DEVELOPER and not user.developer_teams.filter(slug=team).exists():
            raise NotFound(f"There is no developer team {team}, or it is not yours.")
    if open_only:
        requests = requests.filter(answered_at__isnull=True)
    return in_queue_order(requests)


def in_queue_order(requests: QuerySet[AssistanceRequest]) -> QuerySet[AssistanceRequest]:
    # Premier's requests go first in a developer team's queue.
    not_premier = Case(
        When(ticket__license__offering__slug=OfferingSlug.PREMIER, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    # Levels sort as text: L1 < L2 < L3 < L4.
    return requests.annotate(not_premier=not_premier).order_by(
        "not_premier", "ticket__level", "asked_at", "id"
    )


# Who new escalations and callbacks go to ------------------------------------------------------


def _least_loaded(role: Role, owned: str, open_: Q) -> User | None:
    """The active person of ``role`` with the fewest open items in ``owned``; ties go to the
    oldest account, so the choice is the same whoever asks."""
    people = User.objects.filter(role=role, is_active=True)
    return people.annotate(load=Count(owned, filter=open_)).order_by("load", "pk").first()


def escalation_manager_for_new() -> User | None:
    return _least_loaded(
        Role.ESCALATION_MANAGER,
        "escalations_owned",
        Q(escalations_owned__resolved_at__isnull=True),
    )


def callback_assignee_for_new(role: CallbackRole) -> User | None:
    return _least_loaded(
        Role(role), "callbacks_assigned", Q(callbacks_assigned__closed_at__isnull=True)
    )
