"""Who may read a customer space: the rule the pages, API, queries and navigation share."""

from __future__ import annotations

from datetime import datetime

from premierdesk.accounts.models import User
from premierdesk.customers.rules import ask_technical_contact, is_organization_contact
from premierdesk.lib.errors import NotAllowed
from premierdesk.spaces.actions import may_write


def is_contact(user: User, at: datetime) -> bool:
    """One of the contacts of the user's own organization at ``at``
    (``customers.rules.is_organization_contact``): who reads its space."""
    organization = user.organization if user.is_customer else None
    return organization is not None and is_organization_contact(user, organization, at)


def may_read_space(user: User, at: datetime) -> bool:
    """A customer reads their own organization's space if they are one of its contacts; staff
    who work tickets read every space."""
    if user.is_customer:
        return is_contact(user, at)
    return may_write(user)


def require_read_space(user: User, at: datetime) -> None:
    if may_read_space(user, at):
        return
    if user.is_customer:
        raise NotAllowed(
            f"{user.organization}'s space is read by its named, billing and technical "
            "contacts; ask one of them for what you need, or "
            + ask_technical_contact(user, "read it yourself")
        )
    raise NotAllowed("Customer spaces are read by Premier Support staff who work tickets.")
