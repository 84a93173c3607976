"""Who reads weekend standby requests, health checks and their findings (docs/access.md), who
may ask for these Premier services, and who decides and does each step (confirm, decline,
withdraw; schedule, assess, deliver, mark a finding done, cancel): written once for the
actions, pages, API, calendar feeds and navigation."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from premierdesk.accounts.models import EVERY_CUSTOMER_ROLES, SUPPORT_MANAGER_ROLES, Role, User
from premierdesk.customers.models import License
from premierdesk.customers.rules import (
    is_named_contact,
    is_organization_contact,
    require_named_contact,
    require_named_contact_of_any,
)
from premierdesk.lib.errors import Conflict, NotAllowed, NotFound, passes
from premierdesk.services.models import (
    Finding,
    FindingStatus,
    HealthCheck,
    HealthCheckStatus,
    StandbyRequest,
    StandbyStatus,
)


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


def may_read_staff_feeds(user: User) -> bool:
    """The engineer and office calendar feeds: vendor roles that read standby (an
    organization's feed is for whoever reads that organization)."""
    return not user.is_customer and may_read_standby(user)


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


# Who decides, and who does each step (docs/product/services.md#weekend-standby).
# ---------------------------

# Standby that may still be confirmed, declined or withdrawn (until its window begins).
OPEN_STANDBY = (StandbyStatus.REQUESTED, StandbyStatus.CONFIRMED)


def is_service_manager(user: User) -> bool:
    """Support managers confirm or decline standby and schedule or cancel health checks."""
    return user.role in SUPPORT_MANAGER_ROLES


def require_service_manager(user: User, what: str) -> None:
    """``what`` completes "Only a support manager can …": "confirm weekend standby"."""
    if not is_service_manager(user):
        raise NotAllowed(f"Only a support manager can {what}.")


def require_valid_on(license: License, first: date, last: date, what: str) -> None:
    """A Premier service is asked for under a license valid on every day it covers."""
    if not (license.valid_from <= first and last <= license.valid_until):
        raise Conflict.on_field(
            "sen",
            f"{license.sen} is valid from {license.valid_from:%Y-%m-%d} to "
            f"{license.valid_until:%Y-%m-%d}; it does not cover {what}. Renew it first.",
        )


def _require_open_standby(standby: StandbyRequest, at: datetime, what: str) -> None:
    if standby.status not in OPEN_STANDBY:
        raise Conflict(f"Standby {standby.key} is {standby.get_status_display().lower()}.")
    if standby.starts_at <= at:
        raise Conflict(f"Standby {standby.key} has already begun; it can no longer {what}.")


def may_confirm_standby(user: User, standby: StandbyRequest, at: datetime) -> bool:
    return passes(lambda: require_confirm_standby(user, standby, at))


def require_confirm_standby(user: User, standby: StandbyRequest, at: datetime) -> None:
    """A support manager confirms a request not yet decided, before its window begins."""
    require_service_manager(user, "confirm weekend standby")
    if standby.status != StandbyStatus.REQUESTED:
        raise Conflict(f"Standby {standby.key} is {standby.get_status_display().lower()}.")
    _require_open_standby(standby, at, "be confirmed")


def may_decline_standby(user: User, standby: StandbyRequest, at: datetime) -> bool:
    return passes(lambda: require_decline_standby(user, standby, at))


def require_decline_standby(user: User, standby: StandbyRequest, at: datetime) -> None:
    """A support manager declines until the window begins, also after a confirmation."""
    require_service_manager(user, "decline weekend standby")
    _require_open_standby(standby, at, "be declined")


def may_withdraw_standby(user: User, standby: StandbyRequest, at: datetime) -> bool:
    return passes(lambda: require_withdraw_standby(user, standby, at))


def require_withdraw_standby(user: User, standby: StandbyRequest, at: datetime) -> None:
    """The requester withdraws before the window begins."""
    if standby.requested_by_id != user.pk:
        raise NotAllowed(
            f"Only {standby.requested_by.full_name}, who asked for {standby.key}, can withdraw it."
        )
    _require_open_standby(standby, at, "be withdrawn")


def _require_status(check: HealthCheck, *allowed: HealthCheckStatus, what: str) -> None:
    if check.status not in allowed:
        raise Conflict(
            f"{check.key} is {check.get_status_display().lower()}; it cannot {what} now."
        )


def may_schedule_health_check(user: User, check: HealthCheck) -> bool:
    return passes(lambda: require_schedule_health_check(user, check))


def require_schedule_health_check(user: User, check: HealthCheck | None = None) -> None:
    """A support manager schedules a requested check, or moves a scheduled one. Without
    ``check``, only who asks (before the check is looked up)."""
    require_service_manager(user, "schedule health checks")
    if check is not None:
        _require_status(
            check, HealthCheckStatus.REQUESTED, HealthCheckStatus.SCHEDULED, what="be scheduled"
        )


def may_assess(user: User, check: HealthCheck) -> bool:
    """The assigned engineer does the assessment; a support manager may stand in."""
    assigned = check.engineer is not None and check.engineer.user_id == user.pk
    return assigned or is_service_manager(user)


def _require_assessor(user: User, check: HealthCheck, what: str) -> None:
    if not may_assess(user, check):
        raise NotAllowed(f"Only the engineer assigned to {check.key} can {what}.")


def may_start_assessment(user: User, check: HealthCheck) -> bool:
    return passes(lambda: require_start_assessment(user, check))


def require_start_assessment(user: User, check: HealthCheck) -> None:
    _require_assessor(user, check, "start its assessment")
    _require_status(check, HealthCheckStatus.SCHEDULED, what="start its assessment")


def may_add_finding(user: User, check: HealthCheck) -> bool:
    return passes(lambda: require_add_finding(user, check))


def require_add_finding(user: User, check: HealthCheck) -> None:
    _require_assessor(user, check, "write its findings")
    _require_status(check, HealthCheckStatus.IN_ASSESSMENT, what="take findings")


def may_deliver_health_check(user: User, check: HealthCheck) -> bool:
    return passes(lambda: require_deliver_health_check(user, check))


def require_deliver_health_check(user: User, check: HealthCheck) -> None:
    _require_assessor(user, check, "deliver its report")
    _require_status(check, HealthCheckStatus.IN_ASSESSMENT, what="be delivered")


def may_finish_finding(user: User, check: HealthCheck, finding: Finding) -> bool:
    return passes(lambda: require_finish_finding(user, check, finding.pk, finding))


def require_finish_finding(
    user: User, check: HealthCheck, finding_id: int, finding: Finding | None
) -> Finding:
    """A finding is followed to done by whoever reads it: the customer once the report is
    theirs, staff as it is written. One they do not read answers like one that is not.
    Returns the finding let through."""
    if finding is None or not may_read_findings(user, check):
        raise NotFound(f"{check.key} has no finding {finding_id}.")
    if finding.status == FindingStatus.DONE:
        raise Conflict(f"Finding {finding.pk} of {check.key} is already done.")
    return finding


def may_cancel_health_check(user: User, check: HealthCheck, at: datetime) -> bool:
    return passes(lambda: require_cancel_health_check(user, check, at))


def require_cancel_health_check(user: User, check: HealthCheck, at: datetime) -> None:
    """The license's named contacts or a support manager cancel before delivery."""
    if user.is_customer:
        require_named_contact(user, check.license, at, to="cancel health checks")
    else:
        require_service_manager(user, "cancel health checks")
    _require_status(
        check,
        HealthCheckStatus.REQUESTED,
        HealthCheckStatus.SCHEDULED,
        HealthCheckStatus.IN_ASSESSMENT,
        what="be cancelled",
    )
