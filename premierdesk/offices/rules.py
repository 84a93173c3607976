"""Who may change an office's day and who reads the rota and the handovers, written once for
the actions, the pages and the API."""

from __future__ import annotations

from premierdesk.accounts.models import Role, User
from premierdesk.lib.errors import NotAllowed
from premierdesk.offices.models import Office

# Roles that may close any office early; otherwise only the office's own lead may.
CLOSE_ANY_OFFICE = frozenset({Role.SUPPORT_MANAGER, Role.ADMINISTRATOR})


def may_close_early(user: User, office: Office) -> bool:
    """A support manager or an administrator closes any office early, a lead their own."""
    return user.role in CLOSE_ANY_OFFICE or (
        office.lead_id is not None and office.lead_id == user.pk
    )


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
