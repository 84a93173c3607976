"""Who is asking, and the coarse role checks every entry point shares (pages, API, commands)."""

from __future__ import annotations

from django.http import HttpRequest

from premierdesk.accounts.models import User

# Re-exported: the coarse role check pages and API share is written in ``accounts.rules``.
from premierdesk.accounts.rules import require_staff as require_staff
from premierdesk.lib.errors import NotSignedIn


def current_user(request: HttpRequest) -> User:
    """The signed-in account of a request that authentication already let through."""
    user = request.user
    if not isinstance(user, User):
        raise NotSignedIn("Sign in first.")
    return user
