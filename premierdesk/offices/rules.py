"""Who may change an office's day, who writes a ticket's handover note, and who reads the rota
and the handovers, written once for the actions, the pages and the API."""

from __future__ import annotations

from premierdesk.accounts.models import Role, User
from premierdesk.lib.errors import NotAllowed
from premierdesk.offices.models import Office
from premierdesk.tickets.models import Ticket

# Roles that run every office: they close any office early and watch every office's
# unacknowledged handovers; otherwise an office's own lead does, for that office.
EVERY_OFFICE = frozenset({Role.SUPPORT_MANAGER, Role.ADMINISTRATOR})


def runs_every_office(user: User) -> bool:
    return user.role in EVERY_OFFICE


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


# Who reads handover notes and handovers (docs/access.md): those who own and receive tickets
# at an office's end of day. Enterprise managers read the handover notes of their
# organizations' tickets on those tickets' internal timeline, not the list of every handover.
HANDOVER_READERS = frozenset(
    {Role.SUPPORT_ENGINEER, Role.ESCALATION_MANAGER, Role.SUPPORT_MANAGER, Role.ADMINISTRATOR}
)


def may_read_handovers(user: User) -> bool:
    return user.is_active and user.role in HANDOVER_READERS


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
