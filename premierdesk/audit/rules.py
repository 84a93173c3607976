"""Who reads the audit trail (docs/access.md): written once for the console page and the API."""

from __future__ import annotations

from premierdesk.accounts.models import SUPPORT_MANAGER_ROLES, User
from premierdesk.lib.errors import NotAllowed


def may_read_trail(user: User) -> bool:
    """The trail holds the before and after of every change, internal comments included,
    about every customer: only those who read everything read it."""
    return user.is_active and user.role in SUPPORT_MANAGER_ROLES


def require_read_trail(user: User) -> None:
    if not may_read_trail(user):
        raise NotAllowed("The audit trail is read by support managers and administrators.")
