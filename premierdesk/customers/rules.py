"""Who reads organizations, licenses (their named contacts, billing and technical contacts,
slots and changes) and the approval queue (docs/access.md): written once for pages, API,
feeds and templates."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from premierdesk.accounts.models import Role, User
from premierdesk.customers.actions import find_license, may_approve, may_manage, unknown_sen
from premierdesk.customers.models import License, LicenseContact, Organization
from premierdesk.lib.errors import NotAllowed
from premierdesk.tickets.rules import named_contact_licenses

# Vendor roles that read every organization and license: those who work any customer's
# tickets. Enterprise managers read the organizations they manage; developers none.
ALL_LICENSES = frozenset(
    {Role.SUPPORT_ENGINEER, Role.ESCALATION_MANAGER, Role.SUPPORT_MANAGER, Role.ADMINISTRATOR}
)
# Who decides named-contact changes (SPEC §2), so who reads the approval queue.
APPROVERS = frozenset({Role.ENTERPRISE_MANAGER, Role.ADMINISTRATOR})


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
    if user.role in ALL_LICENSES:
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
    if user.role in ALL_LICENSES:
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
    if user.role in ALL_LICENSES:
        return True
    if user.role == Role.ENTERPRISE_MANAGER:
        return license.organization.enterprise_manager_id == user.pk
    return user.is_customer and may_manage(user, license, at)


def readable_license(user: User, sen: str, at: datetime) -> License:
    """The license for ``sen`` if ``user`` may read it. To anyone outside its organization
    who may not read it (another customer, another organization's enterprise manager) a SEN
    that exists looks exactly like one that does not, so nothing about other customers
    leaks; the organization's own employees and developers are told who may."""
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
    return user.is_active and user.role in APPROVERS


def require_read_approval_queue(user: User) -> None:
    if not may_read_approval_queue(user):
        raise NotAllowed(
            "The named-contact approval queue is for enterprise managers and administrators."
        )


__all__ = [
    "may_approve",
    "may_manage",
    "may_read_approval_queue",
    "may_read_license",
    "may_read_licenses",
    "readable_license",
    "readable_licenses",
    "readable_organizations",
    "require_read_approval_queue",
]
