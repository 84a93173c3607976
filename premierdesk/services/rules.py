"""Who may ask for Premier services (weekend standby, health checks): the rules the actions,
pages and navigation share, written once."""

from __future__ import annotations

from datetime import datetime

from premierdesk.accounts.models import User
from premierdesk.customers.rules import is_named_contact, require_named_contact_of_any


def may_request_standby(user: User, at: datetime) -> bool:
    """A named contact asks for weekend standby (which license, Premier and valid for the
    weekend, is checked by the action)."""
    return is_named_contact(user, at)


def require_request_standby(user: User, at: datetime) -> None:
    require_named_contact_of_any(
        user,
        at,
        to="ask for weekend standby",
        staff="Weekend standby is asked for by the customer's named contacts.",
    )


def may_request_health_check(user: User, at: datetime) -> bool:
    """A named contact requests health checks (which license: checked by the action)."""
    return is_named_contact(user, at)


def require_request_health_check(user: User, at: datetime) -> None:
    require_named_contact_of_any(
        user,
        at,
        to="request health checks",
        staff="A health check is asked for by the customer's named contacts.",
    )
