"""Who may change an office's day, who writes a ticket's handover note, and who reads the rota
and the handovers, written once for the actions, the pages and the API."""

from __future__ import annotations

from premierdesk.accounts.models import EVERY_CUSTOMER_ROLES, SUPPORT_MANAGER_ROLES, User
from premierdesk.lib.errors import NotAllowed
from premierdesk.offices.models import Office
from premierdesk.tickets.models import Ticket


def runs_every_office(user: User) -> bool:
    """Support managers and administrators run every office: they close any office early and
    watch every office's unacknowledged handovers; otherwise an office's own lead does."""
    return user.role in SUPPORT_MANAGER_ROLES


def may_close_early(user: User, office: Office) -> bool:
    """A support manager or an administrator closes any office early, a lead their own."""
    return runs_every_office(user) or (office.lead_id is not None and office.lead_id == user.pk)


def require_close_early(user: User, office: Office) -> None:
    if not may_close_early(user, office):
        raise NotAllowed(f"Only a support manager or {office.name}'s lead closes it early.")


def may_write_handover_note(user: User, ticket: Ticket) -> bool:
    """The ticket's owner writes the note the next office reads at the handover."""
    return ticket.owner_id is not None and ticket.owner_id == user.pk


def require_write_handover_note(user: User, ticket: Ticket) -> None:
    if not may_write_handover_note(user, ticket):
        raise NotAllowed(f"Only {ticket.key}'s owner writes its handover note.")


def may_read_handovers(user: User) -> bool:
    """Handover notes and handovers (docs/access.md): read by those who own and receive
    tickets at an office's end of day. Enterprise managers read the handover notes of their
    organizations' tickets on those tickets' internal timeline, not the list of every one."""
    return user.is_active and user.role in EVERY_CUSTOMER_ROLES


def require_read_handovers(user: User) -> None:
    if not may_read_handovers(user):
        raise NotAllowed(
            "Handovers and handover notes are read by support engineers, escalation and "
            "support managers and administrators."
        )


def may_read_rota(user: User) -> bool:
    """Offices, engineers, who is on duty and the coverage proof: every vendor role."""
    return user.is_active and user.is_support_staff


def require_read_rota(user: User) -> None:
    if not may_read_rota(user):
        raise NotAllowed("The rota is for Premier Support staff.")
