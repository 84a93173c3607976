"""Who reads weekend standby requests, health checks and their findings (docs/access.md), and
who may ask for these Premier services: written once for the actions, pages, API, calendar
feeds and navigation."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from premierdesk.accounts.models import EVERY_CUSTOMER_ROLES, Role, User
from premierdesk.customers.rules import (
    is_named_contact,
    is_organization_contact,
    require_named_contact_of_any,
)
from premierdesk.lib.errors import NotAllowed
from premierdesk.services.models import HealthCheck, HealthCheckStatus


def may_read_services(user: User) -> bool:
    """Standby requests and health checks are read by the vendor roles above, enterprise
    managers (their organizations'), and a customer organization's contacts (named, billing,
    technical: those who ask for them). Participants and developers read neither. Every
    organization's are read by those who plan, staff and assess them."""
    if not user.is_active:
        return False
    if user.role in EVERY_CUSTOMER_ROLES or user.role == Role.ENTERPRISE_MANAGER:
        return True
    organization = user.organization if user.is_customer else None
    return organization is not None and is_organization_contact(user, organization, timezone.now())


def services_scope(user: User) -> Q:
    """The rows (of a model with an ``organization``) ``user`` reads, as a filter."""
    if not may_read_services(user):
        return Q(pk__in=[])
    if user.role in EVERY_CUSTOMER_ROLES:
        return Q()
    if user.role == Role.ENTERPRISE_MANAGER:
        return Q(organization__enterprise_manager=user)
    return Q(organization_id=user.organization_id or 0)


def may_read_standby(user: User) -> bool:
    return may_read_services(user)


def require_read_standby(user: User) -> None:
    if not may_read_standby(user):
        raise NotAllowed(_refusal("Weekend standby requests"))


def may_read_health_checks(user: User) -> bool:
    return may_read_services(user)


def require_read_health_checks(user: User) -> None:
    if not may_read_health_checks(user):
        raise NotAllowed(_refusal("Health checks"))


def may_read_findings(user: User, check: HealthCheck) -> bool:
    """Of a check ``user`` reads: vendor staff read the findings as they are written; the
    customer once the report is delivered (until then they are the engineer's draft)."""
    return user.is_support_staff or check.status == HealthCheckStatus.DELIVERED


def _refusal(what: str) -> str:
    return (
        f"{what} are read by Premier Support and by the customer's named, billing and "
        "technical contacts."
    )


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
