"""Refusals raised by the action layer, rendered the same way by web pages, the API and the CLI.

An action raises one of these with a sentence a user can act on: what was wrong and what to do.
The API turns it into an RFC 9457 problem body; forms show it beside the field it names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class ActionError(Exception):
    """A request the domain refuses. ``detail`` is addressed to the person who asked."""

    status = 400
    title = "Request refused"
    slug = "refused"

    def __init__(self, detail: str, *, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        # Extension members of the API's problem body (e.g. the id of a kept draft).
        self.extra: dict[str, object] = {}

    @classmethod
    def on_field(cls, field: str, message: str) -> ActionError:
        """The same refusal, pinned to one input field."""
        return cls(message, errors=[FieldError(field, message)])


class InvalidInput(ActionError):
    status = 422
    title = "Invalid input"
    slug = "invalid-input"


class NotSignedIn(ActionError):
    status = 401
    title = "Not signed in"
    slug = "not-signed-in"


class NotAllowed(ActionError):
    status = 403
    title = "Not allowed"
    slug = "not-allowed"


class NotFound(ActionError):
    status = 404
    title = "Not found"
    slug = "not-found"


class Conflict(ActionError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class TooLarge(ActionError):
    status = 413
    title = "Too large"
    slug = "too-large"


class TooManyAttempts(ActionError):
    status = 429
    title = "Too many attempts"
    slug = "too-many-attempts"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


def refusal_of(check: Callable[[], object]) -> str:
    """What ``check`` (a call of a ``require_…`` rule) says when it refuses, or "" when it
    does not: a page says at the top why it offers nothing, instead of showing a form that
    would be refused."""
    try:
        check()
    except ActionError as refusal:
        return refusal.detail
    return ""


def passes(check: Callable[[], object]) -> bool:
    """Whether ``check`` (a call of a ``require_…`` rule) lets the person through: a ``may_…``
    rule answered by its ``require_…`` twin, so the two cannot disagree."""
    try:
        check()
    except ActionError:
        return False
    return True
