"""Every change to a health check (docs/product/services.md#health-checks): request, schedule, start
the assessment, write and finish findings, deliver the report (published in the customer's space),
cancel. Each is one transaction that locks the check, writes its audit entry and queues its e-mail
in the outbox, so all of it commits or none of it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record
from premierdesk.audit.models import AuditEntry
from premierdesk.customers.rules import require_named_contact
from premierdesk.lib.errors import Conflict, InvalidInput
from premierdesk.notifications.actions import notify_of
from premierdesk.offices.models import Absence, Engineer
from premierdesk.services.models import (
    Finding,
    FindingStatus,
    HealthCheck,
    HealthCheckStatus,
    InstallationEnvironment,
    Severity,
)
from premierdesk.services.queries import (
    HEALTH_CHECK_RELATIONS,
    licensed_product,
    readable_health_check,
    service_license,
    skilled_engineer,
    support_managers,
)
from premierdesk.services.rules import (
    require_add_finding,
    require_cancel_health_check,
    require_deliver_health_check,
    require_finish_finding,
    require_request_health_check,
    require_schedule_health_check,
    require_start_assessment,
    require_valid_on,
)
from premierdesk.services.windows import (
    day_start,
)
from premierdesk.spaces.actions import publish_report


@dataclass(frozen=True)
class HealthCheckInput:
    sen: str
    product: str
    product_version: str
    environment: str
    instance_notes: str = ""


@transaction.atomic
def request_health_check(actor: User, fields: HealthCheckInput) -> HealthCheck:
    now = timezone.now()
    license = service_license(actor, fields.sen, "A health check")
    require_request_health_check(actor, now)
    product = licensed_product(license, fields.product)
    require_named_contact(actor, license, now, to="request health checks")
    today = now.astimezone(ZoneInfo(license.organization.time_zone)).date()
    require_valid_on(license, today, today, "today")
    if fields.environment not in InstallationEnvironment.values:
        choices = ", ".join(InstallationEnvironment.values)
        raise InvalidInput.on_field(
            "environment",
            f"A health check is for a production, QA or staging installation: {choices}.",
        )
    if not fields.product_version.strip():
        raise InvalidInput.on_field("product_version", "Give the installed product version.")
    check = HealthCheck.objects.create(
        organization=license.organization,
        license=license,
        product=product,
        product_version=fields.product_version.strip(),
        environment=fields.environment,
        instance_notes=fields.instance_notes.strip(),
        requested_by=actor,
        requested_at=now,
        updated_at=now,
    )
    changes = {"product": [None, product.slug], "environment": [None, fields.environment]}
    asked = record(actor, "services.health_check_requested", check, changes=changes)
    notify_of(asked, support_managers(), {"check": check})
    return check


def _locked_check(actor: User, check_id: int) -> HealthCheck:
    readable_health_check(actor, check_id)
    locked = HealthCheck.objects.select_for_update(of=("self",)).select_related(
        *HEALTH_CHECK_RELATIONS
    )
    return locked.get(pk=check_id)


def _move(
    actor: User, check: HealthCheck, to: HealthCheckStatus, changes: dict[str, list[object]]
) -> AuditEntry:
    """The check moved to ``to``, recorded as ``services.health_check_<to>``."""
    before = check.status
    check.status, check.updated_at = to, timezone.now()
    check.save()
    return record(
        actor,
        f"services.health_check_{to.value}",
        check,
        changes={"status": [before, to.value], **changes},
    )


@transaction.atomic
def schedule_health_check(
    actor: User, check_id: int, *, engineer: str, agreed_date: date
) -> HealthCheck:
    """A support manager assigns an engineer skilled in the product and the agreed date (the
    customer's local date); scheduling again moves it."""
    require_schedule_health_check(actor)
    check = _locked_check(actor, check_id)
    require_schedule_health_check(actor, check)
    today = timezone.now().astimezone(ZoneInfo(check.organization.time_zone)).date()
    if agreed_date < today:
        raise InvalidInput.on_field(
            "agreed_date", f"The agreed date {agreed_date:%Y-%m-%d} is in the past."
        )
    chosen = skilled_engineer(engineer, check.product)
    _require_present_on(chosen, agreed_date, check.organization.time_zone)
    previous = check.engineer.user.email if check.engineer else None
    check.engineer, check.agreed_date = chosen, agreed_date
    scheduled = _move(
        actor,
        check,
        HealthCheckStatus.SCHEDULED,
        {"engineer": [previous, chosen.user.email], "agreed_date": [None, agreed_date]},
    )
    notify_of(
        scheduled,
        [check.requested_by.email, chosen.user.email],
        {"check": check},
        ids=(check.pk, agreed_date, chosen.pk),  # each new date or engineer is said again
    )
    return check


def _require_present_on(engineer: Engineer, day: date, zone_name: str) -> None:
    """The engineer is not on leave at any time of the agreed day (the customer's date)."""
    start, end = day_start(day, zone_name), day_start(day + timedelta(days=1), zone_name)
    if Absence.objects.filter(engineer=engineer, starts_at__lt=end, ends_at__gt=start).exists():
        raise Conflict.on_field(
            "engineer", f"{engineer.user.full_name} is absent on {day:%A %d %B %Y}."
        )


@transaction.atomic
def start_assessment(actor: User, check_id: int) -> HealthCheck:
    check = _locked_check(actor, check_id)
    require_start_assessment(actor, check)
    _move(actor, check, HealthCheckStatus.IN_ASSESSMENT, {})
    return check


@dataclass(frozen=True)
class FindingInput:
    severity: str
    title: str
    evidence: str
    recommendation: str


@transaction.atomic
def add_finding(actor: User, check_id: int, fields: FindingInput) -> Finding:
    check = _locked_check(actor, check_id)
    require_add_finding(actor, check)
    if fields.severity not in Severity.values:
        raise InvalidInput.on_field("severity", f"Choose a severity: {', '.join(Severity.values)}.")
    for name in ("title", "evidence", "recommendation"):
        if not getattr(fields, name).strip():
            raise InvalidInput.on_field(name, f"Write the finding's {name}.")
    finding = Finding.objects.create(
        health_check=check,
        severity=fields.severity,
        title=fields.title.strip(),
        evidence=fields.evidence.strip(),
        recommendation=fields.recommendation.strip(),
        written_by=actor,
        written_at=timezone.now(),
    )
    changes: dict[str, list[object]] = {
        "health_check": [None, check.key],
        "severity": [None, finding.severity],
        "title": [None, finding.title],
    }
    record(actor, "services.finding_added", finding, changes=changes)
    return finding


@transaction.atomic
def finish_finding(actor: User, check_id: int, finding_id: int) -> Finding:
    """A finding is followed to done by the customer (once the report is theirs) or staff."""
    check = _locked_check(actor, check_id)
    finding = Finding.objects.select_for_update().filter(pk=finding_id, health_check=check).first()
    finding = require_finish_finding(actor, check, finding_id, finding)
    finding.status, finding.done_by, finding.done_at = FindingStatus.DONE, actor, timezone.now()
    finding.save()
    record(actor, "services.finding_done", finding, changes={"status": ["open", "done"]})
    return finding


@transaction.atomic
def deliver_health_check(actor: User, check_id: int, *, summary: str) -> HealthCheck:
    """Delivering publishes the report of findings to the customer's space and tells the
    requester."""
    check = _locked_check(actor, check_id)
    require_deliver_health_check(actor, check)
    if not summary.strip():
        raise InvalidInput.on_field("summary", "Write the report's summary for the customer.")
    check.summary, check.delivered_at = summary.strip(), timezone.now()
    delivered = _move(actor, check, HealthCheckStatus.DELIVERED, {})
    page = publish_report(
        check.organization,
        f"Health check {check.key}: {check.product.name} ({check.get_environment_display()})",
        render_to_string("services/health_check_report.md", _report_context(check)),
        f"health_check:{check.pk}",
        actor,
    )
    notify_of(delivered, [check.requested_by.email], {"check": check, "page": page})
    return check


def _report_context(check: HealthCheck) -> dict[str, object]:
    order = {severity: n for n, severity in enumerate(Severity.values)}
    findings = sorted(check.findings.all(), key=lambda f: (order[f.severity], f.pk))
    return {"check": check, "findings": findings}


@transaction.atomic
def cancel_health_check(actor: User, check_id: int, *, reason: str) -> HealthCheck:
    """The customer's named contacts or a support manager cancel before delivery."""
    check = _locked_check(actor, check_id)
    require_cancel_health_check(actor, check, timezone.now())
    if not reason.strip():
        raise InvalidInput.on_field("reason", "Say why the health check is cancelled.")
    check.cancelled_at, check.cancel_reason = timezone.now(), reason.strip()
    cancelled = _move(actor, check, HealthCheckStatus.CANCELLED, {})
    engineer = [check.engineer.user.email] if check.engineer else []
    notify_of(
        cancelled, [check.requested_by.email, *engineer, *support_managers()], {"check": check}
    )
    return check
