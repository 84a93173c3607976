"""API: weekend standby requests and health checks. Endpoints parse, call
``services.actions`` (changes) or ``services.queries`` (reads), and render; who may see or
change what is decided there, once for pages and API."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.restapi.pagination import Mapped, PagePagination
from premierdesk.restapi.schemas import REFUSALS, Day, PersonRef, WallTime
from premierdesk.services import queries
from premierdesk.services.actions import health_checks as check_actions
from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.models import Finding, HealthCheck, StandbyRequest
from premierdesk.services.rules import may_read_findings

router = Router(tags=["services"])

# Weekend standby ----------------------------------------------------------------------------


class StandbyIn(Schema):
    sen: str = Field(max_length=20, description="The Premier license, e.g. SEN-1234567.")
    product: str = Field(max_length=64, description="Product slug, on the license.")
    plan: str = Field(max_length=20_000, description="What is planned: the upgrade or migration.")
    starts_at: WallTime = Field(
        description="Wall time in the organization's time zone without offset, e.g. "
        "2026-06-13T09:00 (a time the clocks skip or repeat is refused; give an offset then)."
    )
    ends_at: WallTime = Field(
        description="Same form as starts_at; at most the service policy's standby_max_hours "
        "elapsed hours later."
    )


class StandbyOut(Schema):
    id: int
    key: str
    organization: str = Field(description="The organization's slug.")
    sen: str
    product: str = Field(description="The product's slug.")
    plan: str
    status: str = Field(description="requested, confirmed, declined or withdrawn.")
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field(description="The organization's zone, in which the weekend lies.")
    starts_local: str = Field(description="starts_at in the organization's zone, with offset.")
    ends_local: str
    requested_by: PersonRef
    requested_at: datetime
    engineer: PersonRef | None
    decided_by: PersonRef | None
    decided_at: datetime | None
    decision_reason: str
    withdrawn_at: datetime | None
    withdrawal_reason: str


def standby_out(standby: StandbyRequest) -> StandbyOut:
    zone = ZoneInfo(standby.organization.time_zone)
    return StandbyOut(
        id=standby.pk,
        key=standby.key,
        organization=standby.organization.slug,
        sen=standby.license.sen,
        product=standby.product.slug,
        plan=standby.plan,
        status=standby.status,
        starts_at=standby.starts_at,
        ends_at=standby.ends_at,
        time_zone=zone.key,
        starts_local=standby.starts_at.astimezone(zone).isoformat(timespec="minutes"),
        ends_local=standby.ends_at.astimezone(zone).isoformat(timespec="minutes"),
        requested_by=PersonRef.of(standby.requested_by),
        requested_at=standby.requested_at,
        engineer=PersonRef.of(standby.engineer.user) if standby.engineer else None,
        decided_by=PersonRef.of(standby.decided_by),
        decided_at=standby.decided_at,
        decision_reason=standby.decision_reason,
        withdrawn_at=standby.withdrawn_at,
        withdrawal_reason=standby.withdrawal_reason,
    )


class ConfirmIn(Schema):
    engineer: str = Field(max_length=254, description="The engineer's e-mail.")


class ReasonIn(Schema):
    reason: str = Field("", max_length=2000)


def _standby_now(user: User, standby_id: int) -> StandbyOut:
    return standby_out(queries.visible_standby(user).get(pk=standby_id))


@router.post(
    "/standby-requests",
    response={201: StandbyOut, **REFUSALS},
    summary="Ask for an engineer on standby during a weekend window",
)
def request_standby(request: HttpRequest, payload: StandbyIn) -> Status[StandbyOut]:
    user = current_user(request)
    standby = standby_actions.request_standby(user, standby_actions.StandbyInput(**payload.dict()))
    return Status(201, _standby_now(user, standby.pk))


@router.get(
    "/standby-requests",
    response=list[StandbyOut],
    summary="Standby requests you see (staff: all; customers: their organization's)",
)
@paginate(PagePagination)
def list_standby(request: HttpRequest) -> Any:
    return Mapped(queries.visible_standby(current_user(request)), standby_out)


@router.get(
    "/standby-requests/{standby_id}",
    response={200: StandbyOut, **REFUSALS},
    summary="One standby request",
)
def get_standby(request: HttpRequest, standby_id: int) -> StandbyOut:
    user = current_user(request)
    return standby_out(queries.readable_standby(user, standby_id))


@router.post(
    "/standby-requests/{standby_id}/confirm",
    response={200: StandbyOut, **REFUSALS},
    summary="Confirm with an engineer (support managers)",
)
def confirm_standby(request: HttpRequest, standby_id: int, payload: ConfirmIn) -> StandbyOut:
    user = current_user(request)
    standby_actions.confirm_standby(user, standby_id, engineer=payload.engineer)
    return _standby_now(user, standby_id)


@router.post(
    "/standby-requests/{standby_id}/decline",
    response={200: StandbyOut, **REFUSALS},
    summary="Decline with a reason (support managers)",
)
def decline_standby(request: HttpRequest, standby_id: int, payload: ReasonIn) -> StandbyOut:
    user = current_user(request)
    standby_actions.decline_standby(user, standby_id, reason=payload.reason)
    return _standby_now(user, standby_id)


@router.post(
    "/standby-requests/{standby_id}/withdraw",
    response={200: StandbyOut, **REFUSALS},
    summary="Withdraw before the window begins (the requester)",
)
def withdraw_standby(request: HttpRequest, standby_id: int, payload: ReasonIn) -> StandbyOut:
    user = current_user(request)
    standby_actions.withdraw_standby(user, standby_id, reason=payload.reason)
    return _standby_now(user, standby_id)


# Health checks ------------------------------------------------------------------------------


class HealthCheckIn(Schema):
    sen: str = Field(max_length=20)
    product: str = Field(max_length=64, description="Product slug, on the license.")
    product_version: str = Field(max_length=50)
    environment: str = Field(description="production, qa or staging.")
    instance_notes: str = Field("", max_length=20_000)


class FindingOut(Schema):
    id: int
    severity: str = Field(description="critical, high, medium or low.")
    title: str
    evidence: str
    recommendation: str
    status: str = Field(description="open or done.")
    written_by: PersonRef
    written_at: datetime
    done_by: PersonRef | None
    done_at: datetime | None


def finding_out(finding: Finding) -> FindingOut:
    return FindingOut(
        id=finding.pk,
        severity=finding.severity,
        title=finding.title,
        evidence=finding.evidence,
        recommendation=finding.recommendation,
        status=finding.status,
        written_by=PersonRef.of(finding.written_by),
        written_at=finding.written_at,
        done_by=PersonRef.of(finding.done_by),
        done_at=finding.done_at,
    )


class HealthCheckOut(Schema):
    id: int
    key: str
    organization: str = Field(description="The organization's slug.")
    sen: str
    product: str
    product_version: str
    environment: str
    instance_notes: str
    status: str = Field(description="requested, scheduled, in_assessment, delivered or cancelled.")
    requested_by: PersonRef
    requested_at: datetime
    engineer: PersonRef | None
    agreed_date: date | None = Field(description="The customer's local date.")
    summary: str
    delivered_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    findings: list[FindingOut] = Field(
        description="The report's findings; customers see them once it is delivered."
    )


def health_check_out(check: HealthCheck, viewer: User) -> HealthCheckOut:
    shown = may_read_findings(viewer, check)
    return HealthCheckOut(
        id=check.pk,
        key=check.key,
        organization=check.organization.slug,
        sen=check.license.sen,
        product=check.product.slug,
        product_version=check.product_version,
        environment=check.environment,
        instance_notes=check.instance_notes,
        status=check.status,
        requested_by=PersonRef.of(check.requested_by),
        requested_at=check.requested_at,
        engineer=PersonRef.of(check.engineer.user) if check.engineer else None,
        agreed_date=check.agreed_date,
        summary=check.summary,
        delivered_at=check.delivered_at,
        cancelled_at=check.cancelled_at,
        cancel_reason=check.cancel_reason,
        findings=[finding_out(f) for f in check.findings.all()] if shown else [],
    )


def _with_findings(user: User) -> Any:
    return queries.visible_health_checks(user).prefetch_related(
        "findings__written_by", "findings__done_by"
    )


def _check_now(user: User, check_id: int) -> HealthCheckOut:
    return health_check_out(_with_findings(user).get(pk=check_id), user)


class ScheduleIn(Schema):
    engineer: str = Field(max_length=254, description="The engineer's e-mail.")
    agreed_date: Day = Field(description="The agreed date, the customer's local date.")


class FindingIn(Schema):
    severity: str = Field(description="critical, high, medium or low.")
    title: str = Field(max_length=200)
    evidence: str = Field(max_length=50_000)
    recommendation: str = Field(max_length=50_000)


class DeliverIn(Schema):
    summary: str = Field(max_length=50_000)


@router.post(
    "/health-checks",
    response={201: HealthCheckOut, **REFUSALS},
    summary="Request a health check of a product installation",
)
def request_health_check(request: HttpRequest, payload: HealthCheckIn) -> Status[HealthCheckOut]:
    user = current_user(request)
    check = check_actions.request_health_check(
        user, check_actions.HealthCheckInput(**payload.dict())
    )
    return Status(201, _check_now(user, check.pk))


@router.get(
    "/health-checks",
    response=list[HealthCheckOut],
    summary="Health checks you see (staff: all; customers: their organization's)",
)
@paginate(PagePagination)
def list_health_checks(request: HttpRequest) -> Any:
    user = current_user(request)
    return Mapped(_with_findings(user), lambda check: health_check_out(check, user))


@router.get(
    "/health-checks/{check_id}", response={200: HealthCheckOut, **REFUSALS}, summary="One check"
)
def get_health_check(request: HttpRequest, check_id: int) -> HealthCheckOut:
    user = current_user(request)
    queries.readable_health_check(user, check_id)
    return _check_now(user, check_id)


@router.post(
    "/health-checks/{check_id}/schedule",
    response={200: HealthCheckOut, **REFUSALS},
    summary="Assign an engineer and the agreed date (support managers)",
)
def schedule_health_check(request: HttpRequest, check_id: int, payload: ScheduleIn) -> Any:
    user = current_user(request)
    check_actions.schedule_health_check(
        user, check_id, engineer=payload.engineer, agreed_date=payload.agreed_date
    )
    return _check_now(user, check_id)


@router.post(
    "/health-checks/{check_id}/start",
    response={200: HealthCheckOut, **REFUSALS},
    summary="Start the assessment (the assigned engineer)",
)
def start_assessment(request: HttpRequest, check_id: int) -> Any:
    user = current_user(request)
    check_actions.start_assessment(user, check_id)
    return _check_now(user, check_id)


@router.post(
    "/health-checks/{check_id}/findings",
    response={201: FindingOut, **REFUSALS},
    summary="Write a finding (the assigned engineer, during the assessment)",
)
def add_finding(request: HttpRequest, check_id: int, payload: FindingIn) -> Status[FindingOut]:
    user = current_user(request)
    finding = check_actions.add_finding(
        user, check_id, check_actions.FindingInput(**payload.dict())
    )
    return Status(201, finding_out(finding))


@router.post(
    "/health-checks/{check_id}/findings/{finding_id}/done",
    response={200: FindingOut, **REFUSALS},
    summary="Mark a finding done (the customer once delivered, or staff)",
)
def finish_finding(request: HttpRequest, check_id: int, finding_id: int) -> FindingOut:
    user = current_user(request)
    return finding_out(check_actions.finish_finding(user, check_id, finding_id))


@router.post(
    "/health-checks/{check_id}/deliver",
    response={200: HealthCheckOut, **REFUSALS},
    summary="Deliver the report; it is published in the customer's space",
)
def deliver_health_check(request: HttpRequest, check_id: int, payload: DeliverIn) -> Any:
    user = current_user(request)
    check_actions.deliver_health_check(user, check_id, summary=payload.summary)
    return _check_now(user, check_id)


@router.post(
    "/health-checks/{check_id}/cancel",
    response={200: HealthCheckOut, **REFUSALS},
    summary="Cancel before delivery (named contacts or support managers)",
)
def cancel_health_check(request: HttpRequest, check_id: int, payload: ReasonIn) -> Any:
    user = current_user(request)
    check_actions.cancel_health_check(user, check_id, reason=payload.reason)
    return _check_now(user, check_id)
