"""Who may change an office's day, written once for the action and the pages that offer it."""

from __future__ import annotations

from premierdesk.accounts.models import Role, User
from premierdesk.offices.models import Office

# Roles that may close any office early; otherwise only the office's own lead may.
CLOSE_ANY_OFFICE = frozenset({Role.SUPPORT_MANAGER, Role.ADMINISTRATOR})


def may_close_early(user: User, office: Office) -> bool:
    """A support manager or an administrator closes any office early, a lead their own."""
    return user.role in CLOSE_ANY_OFFICE or (
        office.lead_id is not None and office.lead_id == user.pk
    )
