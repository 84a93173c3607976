"""Who is asking, and the coarse role checks every entry point shares (pages, API, commands)."""

from __future__ import annotations

from django.http import HttpRequest

from premierdesk.accounts.models import User
from premierdesk.lib.errors import NotAllowed, NotSignedIn


def current_user(request: HttpRequest) -> User:
    """The signed-in account of a request that authentication already let through."""
    user = request.user
    if not isinstance(user, User):
        raise NotSignedIn("Sign in first.")
    return user


def require_staff(user: User) -> None:
    if not user.is_support_staff:
        raise NotAllowed("Only Premier Support staff can see this.")
