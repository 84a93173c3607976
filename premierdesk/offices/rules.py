"""Who may change an office's day and who reads the rota and the handovers, written once for
the actions, the pages and the API."""

from __future__ import annotations

from premierdesk.accounts.models import EVERY_CUSTOMER_ROLES, SUPPORT_MANAGER_ROLES, User
from premierdesk.lib.errors import NotAllowed
from premierdesk.offices.models import Office


def may_close_early(user: User, office: Office) -> bool:
    """A support manager or an administrator closes any office early, a lead their own."""
    return user.role in SUPPORT_MANAGER_ROLES or (
        office.lead_id is not None and office.lead_id == user.pk
    )


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
