"""Who may read and write customer spaces: the rules the actions, pages, API, queries and
navigation share."""

from __future__ import annotations

from datetime import datetime

from premierdesk.accounts.models import User
from premierdesk.customers.models import Organization
from premierdesk.customers.rules import (
    ask_technical_contact,
    is_organization_contact,
    readable_organizations,
)
from premierdesk.lib.errors import NotAllowed, NotFound
from premierdesk.tickets.rules import is_ticket_staff


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
    return may_write_spaces(user)


def require_read_space(user: User, at: datetime) -> None:
    if may_read_space(user, at):
        return
    if user.is_customer:
        raise NotAllowed(
            f"{user.organization}'s space is read by its named, billing and technical "
            "contacts; ask one of them for what you need, or "
            + ask_technical_contact(user, "read it yourself")
        )
    require_read_spaces(user)


def may_read_spaces(user: User) -> bool:
    """The console's list of spaces: those who work tickets (who write them too)."""
    return may_write_spaces(user)


def require_read_spaces(user: User) -> None:
    if not may_read_spaces(user):
        raise NotAllowed("Customer spaces are read by Premier Support staff who work tickets.")


def may_write_spaces(user: User) -> bool:
    """Those who work tickets write spaces: support engineers, managers and administrators.
    Developers and customers only read."""
    return is_ticket_staff(user)


def require_write_space(actor: User, org_slug: str) -> None:
    if actor.is_customer and (actor.organization is None or actor.organization.slug != org_slug):
        # Another organization's space answers exactly like one that does not exist.
        raise unknown_space(org_slug)
    if not may_write_spaces(actor):
        raise NotAllowed(
            "Only Premier Support staff (support engineers, managers and administrators) "
            "write customer spaces."
        )
    readable = readable_organizations(actor).filter(slug=org_slug)
    if Organization.objects.filter(slug=org_slug).exists() and not readable.exists():
        # An enterprise manager writes the spaces of the organizations they manage only.
        raise unknown_space(org_slug)


def unknown_space(org_slug: str) -> NotFound:
    return NotFound(f"There is no customer space {org_slug}, or it is not yours to see.")
