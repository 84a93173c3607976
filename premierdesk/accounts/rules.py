"""Who may use the staff console and the administration, and who may revoke an API token:
the coarse role rules every entry point shares (pages, API, commands, templates)."""

from __future__ import annotations

from premierdesk.accounts.models import ApiToken, User
from premierdesk.lib.errors import NotAllowed, NotFound


def may_use_console(user: User) -> bool:
    """The staff console is every vendor role's; customers have the portal."""
    return user.is_support_staff


def require_staff(user: User) -> None:
    if not may_use_console(user):
        raise NotAllowed("Only Premier Support staff can see this.")


def may_administer(user: User) -> bool:
    """Only administrators reach ``/admin/`` (``User.is_staff`` means exactly that)."""
    return user.is_administrator


def may_revoke_token(user: User, token: ApiToken) -> bool:
    """A person revokes their own tokens; an administrator anyone's."""
    return token.user_id == user.pk or user.is_administrator


def require_revoke_token(user: User, token: ApiToken | None, token_id: int) -> ApiToken:
    """The token ``user`` may revoke; someone else's answers like one that does not exist."""
    if token is None or not may_revoke_token(user, token):
        raise NotFound(f"You have no API token with id {token_id}.")
    return token
