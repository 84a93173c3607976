"""Who may manage and approve a license's named contacts, who is a named contact, and who
reads organizations, licenses (their named contacts, billing and technical contacts, slots and
changes) and the approval queue (docs/access.md): the rules the actions, pages, API, feeds,
navigation and templates share, written once."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from premierdesk.accounts.models import (
    ENTERPRISE_MANAGER_ROLES,
    EVERY_CUSTOMER_ROLES,
    Role,
    User,
)
from premierdesk.customers.models import (
    ChangeStatus,
    ContactRole,
    License,
    LicenseContact,
    NamedContact,
    Organization,
)
from premierdesk.customers.windows import Window, active_at
from premierdesk.lib import readings
from premierdesk.lib.errors import NotAllowed, NotFound
from premierdesk.lib.prepared import Prepared


def _active_contacts(license: License, at: datetime) -> list[NamedContact]:
    # Imported here: the queries module filters by these rules, and reads windows for them.
    from premierdesk.customers.queries import active_contacts

    return active_contacts(license, at)


# Several rules asked at once (a page and its navigation ask up to six) read the named
# contacts once inside ``one_reading()``: nothing changes in between. Nested, the outer
# reading holds. The same reading as ``lib.readings`` (every GET page is one).
one_reading = readings.one_reading

# Inside one reading the rules ask about the same moment, each with its own ``now()`` a few
# milliseconds from the others; an instant this close to the one first read is that moment.
MOMENT = timedelta(seconds=1)


def named_contact_licenses(user: User, at: datetime) -> list[int]:
    """Ids of the licenses ``user`` is an active named contact of at ``at`` (one query)."""
    if not user.is_customer or user.organization_id is None:
        return []
    read_at, found = readings.read_once(
        ("customers.named_contact_licenses", user.pk),
        lambda: (at, _named_contact_licenses(user, at)),
    )
    if abs(at - read_at) > MOMENT:  # another moment (a date ahead): read for it
        return _named_contact_licenses(user, at)
    return found


def _windows_not_over(organization_id: int, at: datetime) -> QuerySet[NamedContact, Any]:
    """The organization's approved named-contact windows not over at ``at``."""
    return (
        NamedContact.objects.filter(
            license__organization_id=organization_id, status=ChangeStatus.APPROVED
        )
        .exclude(ends_at__lte=at)
        .values_list("pk", "license_id", "person_id", "starts_at", "ends_at", "covers_id")
    )


# Every opening and every customer page asks this: composed and compiled once (lib.prepared).
_WINDOWS = Prepared(_windows_not_over, int, datetime)


def _named_contact_licenses(user: User, at: datetime) -> list[int]:
    rows = _WINDOWS.rows(user.organization_id or 0, at)
    windows: dict[int, list[Window]] = defaultdict(list)
    for pk, license_id, person_id, starts_at, ends_at, covers_id in rows:
        windows[license_id].append(Window(pk, person_id, starts_at, ends_at, covers_id))
    return sorted(
        license_id
        for license_id, held in windows.items()
        if any(w.person_id == user.pk for w in active_at(held, at))
    )


def is_named_contact(user: User, at: datetime) -> bool:
    """An active customer who is, at ``at``, an active named contact of one of their
    organization's licenses: who opens tickets and asks for Premier services (which license
    may, Premier and valid, is checked by the action)."""
    if not user.is_customer or not user.is_active:
        return False
    return bool(named_contact_licenses(user, at))


def technical_contacts(user: User) -> str:
    """The technical contacts of the user's organization, as "Name <e-mail>, …" (or "")."""
    contacts = (
        LicenseContact.objects.filter(
            license__organization_id=user.organization_id or 0, role=ContactRole.TECHNICAL
        )
        .select_related("person")
        .order_by("-is_primary", "person__full_name")
    )
    people = dict.fromkeys(f"{c.person.full_name} <{c.person.email}>" for c in contacts)
    return ", ".join(people)


def ask_technical_contact(user: User, to: str) -> str:
    """The way to a refused customer's goal: their technical contact adds them."""
    names = technical_contacts(user)
    return (
        f"to {to}, ask your organization's technical contact"
        + (f" ({names})" if names else "")
        + " to add you as a named contact."
    )


def require_named_contact_of_any(user: User, at: datetime, *, to: str, staff: str) -> None:
    """Refuse unless ``user`` is a named contact at ``at`` (``is_named_contact``), saying who
    is and whom to ask. ``to`` is what they want ("open Premier tickets"); ``staff`` what
    staff are told."""
    if not user.is_customer:
        raise NotAllowed(staff)
    if is_named_contact(user, at):
        return
    licenses = License.objects.filter(organization_id=user.organization_id or 0)
    contacts = [c for lic in licenses.order_by("sen") for c in _active_contacts(lic, at)]
    names = ", ".join(dict.fromkeys(f"{c.person_name} <{c.person_email}>" for c in contacts))
    raise NotAllowed(
        f"Only the named contacts of {user.organization}'s licenses can {to}"
        + (f": {names}." if names else "; there are none at the moment.")
        + " You take part in tickets others opened; "
        + ask_technical_contact(user, to)
    )


def require_named_contact(
    actor: User, license: License, at: datetime, *, to: str, then: str = ""
) -> None:
    """Refuse unless ``actor`` is an active named contact of ``license`` at ``at``. The
    refusal says who can ``to`` (e.g. "open Premier tickets") instead, then ``then``."""
    if license.pk in named_contact_licenses(actor, at):
        return  # one query for every license of the organization, read once in one_reading()
    contacts = _active_contacts(license, at)
    if any(c.person_id == actor.pk for c in contacts):
        return
    names = ", ".join(f"{c.person_name} <{c.person_email}>" for c in contacts)
    raise NotAllowed(
        f"Only the named contacts of {license.sen} can {to}"
        + (f": {names}." if names else "; it has none at the moment.")
        + (f" {then}" if then else "")
    )


def may_manage(user: User, license: License, at: datetime) -> bool:
    """Named, billing and technical contacts of the SEN, its organization's enterprise
    manager, and administrators manage its named contacts. Nobody else."""
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role == Role.ENTERPRISE_MANAGER:
        return license.organization.enterprise_manager_id == user.pk
    if user.role != Role.CUSTOMER or user.organization_id != license.organization_id:
        return False
    if LicenseContact.objects.filter(license=license, person=user).exists():
        return True
    return any(c.person_id == user.pk for c in _active_contacts(license, at))


def require_manage(actor: User, license: License, at: datetime, unknown: NotFound) -> None:
    """Refuse unless ``actor`` may manage ``license``'s named contacts; to a customer of
    another organization the license answers ``unknown`` (exactly like one that does not
    exist)."""
    if actor.is_customer and actor.organization_id != license.organization_id:
        raise unknown
    if not may_manage(actor, license, at):
        raise NotAllowed(
            f"Only the named, billing and technical contacts of {license.sen} (and its "
            "enterprise manager) can change its named contacts."
        )


def may_manage_named_contacts(user: User, at: datetime | None = None) -> bool:
    """Whether ``user`` manages the named contacts of any license (``may_manage``): who is
    offered the "Named contacts" pages."""
    if not user.is_active:
        return False
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.role == Role.ENTERPRISE_MANAGER:
        return License.objects.filter(organization__enterprise_manager=user).exists()
    if not user.is_customer or user.organization_id is None:
        return False
    if named_contact_licenses(user, at or timezone.now()):
        return True
    listed = LicenseContact.objects.filter(
        person=user, license__organization_id=user.organization_id
    )
    return listed.exists()


def require_manage_named_contacts(user: User, at: datetime | None = None) -> None:
    if not may_manage_named_contacts(user, at):
        if not user.is_customer:
            raise NotAllowed(
                "Named contacts are managed by the customer's contacts, their enterprise "
                "manager and administrators."
            )
        raise NotAllowed(
            "Named contacts are managed by the named, billing and technical contacts of a "
            "license, and you are none of these; " + ask_technical_contact(user, "become one")
        )


def may_approve(user: User, license: License) -> bool:
    """The organization's enterprise manager and administrators decide (approve or decline)
    named-contact changes (docs/product/customers-and-named-contacts.md)."""
    if user.role == Role.ADMINISTRATOR:
        return True
    return (
        user.role == Role.ENTERPRISE_MANAGER
        and license.organization.enterprise_manager_id == user.pk
    )


def require_approve(user: User, license: License, *, verb: str = "approves") -> None:
    """``verb`` is the decision refused: "approves" or "declines"."""
    if not may_approve(user, license):
        raise NotAllowed(
            f"Only {license.organization}'s enterprise manager or an administrator {verb} "
            "named-contact changes."
        )


def is_organization_contact(user: User, organization: Organization, at: datetime) -> bool:
    """A named contact active at ``at``, or a billing or technical contact, of one of the
    organization's licenses: the people who manage its named contacts (``may_manage``),
    read its space and its services. Participants and other employees are not."""
    if not user.is_customer or not user.is_active or user.organization_id != organization.pk:
        return False
    listed = LicenseContact.objects.filter(person=user, license__organization=organization)
    return listed.exists() or bool(named_contact_licenses(user, at))


def readable_organizations(user: User) -> QuerySet[Organization]:
    """The organizations ``user`` reads: all, those they manage (enterprise manager), their
    own (a customer), or none (a developer)."""
    organizations = Organization.objects.select_related("enterprise_manager")
    if not user.is_active:
        return organizations.none()
    if user.role in EVERY_CUSTOMER_ROLES:
        return organizations
    if user.role == Role.ENTERPRISE_MANAGER:
        return organizations.filter(enterprise_manager=user)
    if user.is_customer:
        return organizations.filter(pk=user.organization_id or 0)
    return organizations.none()


def readable_licenses(user: User, at: datetime) -> QuerySet[License]:
    """Every license ``user`` may read. A customer reads those they manage."""
    licenses = License.objects.select_related("organization", "offering").prefetch_related(
        "products"
    )
    if not user.is_active:
        return licenses.none()
    if user.role in EVERY_CUSTOMER_ROLES:
        return licenses
    if user.role == Role.ENTERPRISE_MANAGER:
        return licenses.filter(organization__enterprise_manager=user)
    if not user.is_customer:
        return licenses.none()
    own = licenses.filter(organization_id=user.organization_id or 0)
    return own.filter(pk__in=[lic.pk for lic in own if may_manage(user, lic, at)])


def may_read_licenses(user: User) -> bool:
    """Whether ``user`` reads any license at all (customers: those they manage)."""
    return user.is_active and user.role != Role.DEVELOPER


def may_read_license(user: User, license: License, at: datetime) -> bool:
    if not user.is_active:
        return False
    if user.role in EVERY_CUSTOMER_ROLES:
        return True
    if user.role == Role.ENTERPRISE_MANAGER:
        return license.organization.enterprise_manager_id == user.pk
    return user.is_customer and may_manage(user, license, at)


def readable_license(user: User, sen: str, at: datetime) -> License:
    """The license for ``sen`` if ``user`` may read it. To anyone outside its organization
    who may not read it (another customer, another organization's enterprise manager) a SEN
    that exists looks exactly like one that does not, so nothing about other customers
    leaks; the organization's own employees and developers are told who may."""
    # Imported here: the queries module filters by the rules above.
    from premierdesk.customers.queries import find_license, unknown_sen

    license = find_license(sen)
    if may_read_license(user, license, at):
        return license
    if user.role == Role.DEVELOPER:
        raise NotAllowed("Licenses and their contacts are read by Premier Support, not developers.")
    if user.organization_id != license.organization_id:
        raise unknown_sen(sen)
    raise NotAllowed(
        f"Only the named, billing and technical contacts of {license.sen} can see and "
        "change its named contacts."
    )


def may_read_approval_queue(user: User) -> bool:
    """Those who decide named-contact changes (docs/product/customers-and-named-contacts.md) read
    the approval queue."""
    return user.is_active and user.role in ENTERPRISE_MANAGER_ROLES


def require_read_approval_queue(user: User) -> None:
    if not may_read_approval_queue(user):
        raise NotAllowed(
            "The named-contact approval queue is for enterprise managers and administrators."
        )
