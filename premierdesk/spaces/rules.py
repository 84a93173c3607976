"""Who may read a customer space: the rule the pages, API, queries and navigation share."""

from __future__ import annotations

from datetime import datetime

from premierdesk.accounts.models import User
from premierdesk.customers.models import LicenseContact
from premierdesk.customers.rules import ask_technical_contact, named_contact_licenses
from premierdesk.lib.errors import NotAllowed
from premierdesk.spaces.actions import may_write


def is_contact(user: User, at: datetime) -> bool:
    """A named contact active at ``at``, or a billing or technical contact, of one of the
    user's organization's licenses: the people who manage its named contacts
    (customers.rules.may_manage). Participants and other employees are not."""
    if not user.is_customer or not user.is_active or user.organization_id is None:
        return False
    listed = LicenseContact.objects.filter(
        person=user, license__organization_id=user.organization_id
    )
    return bool(named_contact_licenses(user, at)) or listed.exists()


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
