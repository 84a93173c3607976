"""API authentication: a personal bearer token, or the browser's signed-in session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from premierdesk.accounts.actions import user_for_api_token
from premierdesk.accounts.models import User


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer pd_…`` with a token made on the API tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_api_token(token)
        if user is not None:
            request.user = user
        return user


# Session auth checks CSRF on unsafe methods, as the browser's pages do.
API_AUTH = [ApiTokenAuth(), SessionAuth()]
