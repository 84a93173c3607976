"""Authenticate by e-mail (case-insensitive) and password, through the one sign-in action."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from premierdesk.accounts import actions
from premierdesk.accounts.models import User
from premierdesk.lib.errors import ActionError


class EmailBackend(ModelBackend):
    """Any ``authenticate()`` call (Django's admin login form, a test client's ``login``) is a
    sign-in through ``accounts.actions.sign_in``: the lock-outs count it and the audit
    records it, so no code path can guess passwords around them."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        email: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        address = email or username
        if not address or password is None:
            return None
        try:
            return actions.sign_in(request, address, password)
        except ActionError:
            return None
