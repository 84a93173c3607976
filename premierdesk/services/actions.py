"""Every change to a Premier service (SPEC §7). Weekend standby: request, confirm, decline,
withdraw; health checks: request, schedule, start, findings, deliver, cancel; calendar-feed
tokens. Each is one transaction that locks the row it changes, writes its audit entry and
queues its e-mail in the outbox, so all of it commits or none of it does."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from premierdesk.accounts.actions import token_digest
from premierdesk.accounts.models import SUPPORT_MANAGER_ROLES, Role, User
from premierdesk.audit.actions import record
from premierdesk.catalog.models import OfferingSlug, Product
from premierdesk.customers.actions import find_license, require_named_contact, unknown_sen
from premierdesk.customers.models import License
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.lib.zones import local_instant
from premierdesk.notifications.actions import notify
from premierdesk.offices.models import Absence, Engineer
from premierdesk.services.models import (
    FeedToken,
    Finding,
    FindingStatus,
    HealthCheck,
    HealthCheckStatus,
    InstallationEnvironment,
    ServicePolicy,
    Severity,
    StandbyRequest,
    StandbyStatus,
)
from premierdesk.services.queries import (
    HEALTH_CHECK_RELATIONS,
    visible_health_checks,
    visible_standby,
)
from premierdesk.services.rules import (
    may_read_findings,
    require_request_health_check,
    require_request_standby,
)
from premierdesk.services.windows import (
    Broken,
    StandbyRules,
    Window,
    broken_rule,
    day_start,
    earliest_window,
)
from premierdesk.spaces.actions import publish_report

OPEN_STANDBY = (StandbyStatus.REQUESTED, StandbyStatus.CONFIRMED)


# Shared by both services -------------------------------------------------------------------


def service_license(actor: User, sen: str, what: str) -> License:
    """The Premier license ``sen`` of the actor's own organization; ``what`` names the
    service in refusals. Another organization's SEN answers like an unknown one."""
    if not actor.is_customer:
        raise NotAllowed(f"{what} is asked for by the customer's named contacts.")
    license = find_license(sen)
    if license.organization_id != actor.organization_id:
        raise unknown_sen(sen)
    if license.offering.slug != OfferingSlug.PREMIER:
        raise Conflict.on_field(
            "sen", f"{license.sen} is a {license.offering.name} license; {what} is Premier only."
        )
    return license


def require_valid_on(license: License, first: date, last: date, what: str) -> None:
    if not (license.valid_from <= first and last <= license.valid_until):
        raise Conflict.on_field(
            "sen",
            f"{license.sen} is valid from {license.valid_from:%Y-%m-%d} to "
            f"{license.valid_until:%Y-%m-%d}; it does not cover {what}. Renew it first.",
        )


def licensed_product(license: License, slug: str) -> Product:
    product = Product.objects.filter(slug=slug.strip().lower()).first()
    if product is None:
        raise InvalidInput.on_field(
            "product", f"There is no product {slug!r}; choose one of the listed products."
        )
    if not product.covered or not license.products.filter(pk=product.pk).exists():
        raise Conflict.on_field(
            "product",
            f"{license.sen} does not cover {product.name}; choose a product of your license.",
        )
    return product


def require_service_manager(actor: User, what: str) -> None:
    """Support managers confirm or decline standby and schedule health checks (SPEC §7:
    "staff confirm")."""
    if actor.role not in SUPPORT_MANAGER_ROLES:
        raise NotAllowed(f"Only a support manager can {what}.")


def skilled_engineer(email: str, product: Product) -> Engineer:
    """The engineer with this e-mail, locked (two managers assigning the same engineer at
    once are serialised), refused unless skilled in the product."""
    engineers = Engineer.objects.select_for_update(of=("self",)).select_related("user", "office")
    engineer = engineers.filter(user__email=email.strip().lower(), user__is_active=True).first()
    if engineer is None:
        raise InvalidInput.on_field("engineer", f"No support engineer has the e-mail {email}.")
    if not engineer.skills.filter(pk=product.pk).exists():
        raise Conflict.on_field(
            "engineer",
            f"{engineer.user.full_name} is not skilled in {product.name}; choose an engineer "
            "who is.",
        )
    return engineer


def support_managers() -> list[str]:
    managers = User.objects.filter(role=Role.SUPPORT_MANAGER, is_active=True)
    return list(managers.values_list("email", flat=True))


# Weekend standby ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StandbyInput:
    """``starts_at``/``ends_at`` without offset are wall times in the organization's zone."""

    sen: str
    product: str
    plan: str
    starts_at: datetime
    ends_at: datetime


def when(instant: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %H:%M}"


def window_text(window: Window, zone: ZoneInfo) -> str:
    return f"from {when(window.starts_at, zone)} to {when(window.ends_at, zone)} ({zone.key})"


def _instant(value: datetime, zone: ZoneInfo, field: str, label: str) -> datetime:
    if value.tzinfo is None:
        value = local_instant(
            value.replace(second=0, microsecond=0), zone, label=label, field=field
        )
    return value.astimezone(UTC)


@transaction.atomic
def request_standby(actor: User, fields: StandbyInput) -> StandbyRequest:
    now = timezone.now()
    license = service_license(actor, fields.sen, "Weekend standby")
    require_request_standby(actor, now)
    product = licensed_product(license, fields.product)
    require_named_contact(actor, license, now, to="ask for weekend standby")
    if not fields.plan.strip():
        raise InvalidInput.on_field("plan", "Say what is planned: the upgrade or migration.")
    zone = ZoneInfo(license.organization.time_zone)
    window = Window(
        _instant(fields.starts_at, zone, "starts_at", "The start"),
        _instant(fields.ends_at, zone, "ends_at", "The end"),
    )
    _check_window(window, now, zone, ServicePolicy.current().standby_rules())
    # The last day is the one of the window's last instant: ending as Monday begins is Sunday.
    last_instant = window.ends_at - timedelta(microseconds=1)
    first, last = window.starts_at.astimezone(zone).date(), last_instant.astimezone(zone).date()
    require_valid_on(license, first, last, "the window's weekend")
    standby = StandbyRequest.objects.create(
        organization=license.organization,
        license=license,
        product=product,
        plan=fields.plan.strip(),
        starts_at=window.starts_at,
        ends_at=window.ends_at,
        requested_by=actor,
        requested_at=now,
        updated_at=now,
    )
    record(actor, "services.standby_requested", standby, changes=_window_changes(standby))
    notify(
        f"services.standby_requested:{standby.pk}",
        support_managers(),
        "standby_requested",
        {"standby": standby, "zone": zone.key},
    )
    return standby


def _window_changes(standby: StandbyRequest) -> dict[str, list[object]]:
    return {
        "starts_at": [None, standby.starts_at],
        "ends_at": [None, standby.ends_at],
        "product": [None, standby.product.slug],
        "sen": [None, standby.license.sen],
    }


def _check_window(window: Window, now: datetime, zone: ZoneInfo, rules: StandbyRules) -> None:
    broken = broken_rule(window, now, zone.key, rules)
    if broken is None:
        return
    field = "starts_at" if broken in (Broken.NOT_WEEKEND, Broken.TOO_SOON) else "ends_at"
    suggestion = earliest_window(now, zone.key, rules, not_before=window.starts_at)
    raise InvalidInput.on_field(
        field,
        f"{_why_refused(broken, window, now, zone, rules)} The earliest window you can ask "
        f"for runs {window_text(suggestion, zone)}.",
    )


def _why_refused(
    broken: Broken, window: Window, now: datetime, zone: ZoneInfo, rules: StandbyRules
) -> str:
    hours = rules.max_length // timedelta(hours=1)
    if broken == Broken.EMPTY:
        return "The window must end after it starts."
    if broken == Broken.TOO_LONG:
        return (
            f"A standby window lasts at most {hours} hours of real (elapsed) time; this one "
            f"lasts {_duration(window.length)}."
        )
    if broken == Broken.NOT_WEEKEND:
        return (
            f"Standby is for weekends: {when(window.starts_at, zone)} is not between Saturday "
            f"00:00 and Monday 00:00 in {zone.key}."
        )
    if broken == Broken.CROSSES_MONDAY:
        return (
            f"A window must end by Monday 00:00 ({zone.key}); this one ends "
            f"{when(window.ends_at, zone)}."
        )
    days = (window.starts_at - now) // timedelta(days=1)
    needed = rules.notice.days
    if window.starts_at <= now:
        return f"That window has already begun; standby is asked for {needed} days ahead."
    return f"Asked {days} days ahead; standby needs {needed}."


def _duration(length: timedelta) -> str:
    minutes = length // timedelta(minutes=1)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def readable_standby(actor: User, standby_id: int) -> StandbyRequest:
    """The request if ``actor`` may see it: staff all, a customer their organization's.
    Anything else answers like a request that does not exist."""
    found = visible_standby(actor).filter(pk=standby_id).first()
    if found is None:
        raise NotFound(f"There is no standby request {standby_id}.")
    return found


def _locked_standby(actor: User, standby_id: int) -> tuple[StandbyRequest, datetime]:
    readable_standby(actor, standby_id)
    locked = StandbyRequest.objects.select_for_update(of=("self",)).select_related(
        "organization", "product", "requested_by"
    )
    return locked.get(pk=standby_id), timezone.now()


def _require_open(standby: StandbyRequest, now: datetime, what: str) -> None:
    if standby.status not in OPEN_STANDBY:
        raise Conflict(f"Standby {standby.key} is {standby.get_status_display().lower()}.")
    if standby.starts_at <= now:
        raise Conflict(f"Standby {standby.key} has already begun; it can no longer {what}.")


@transaction.atomic
def confirm_standby(actor: User, standby_id: int, *, engineer: str) -> StandbyRequest:
    """A support manager confirms with an engineer skilled in the product who is neither
    absent nor on another confirmed standby during the window."""
    require_service_manager(actor, "confirm weekend standby")
    standby, now = _locked_standby(actor, standby_id)
    if standby.status != StandbyStatus.REQUESTED:
        raise Conflict(f"Standby {standby.key} is {standby.get_status_display().lower()}.")
    _require_open(standby, now, "be confirmed")
    chosen = skilled_engineer(engineer, standby.product)
    _require_free(chosen, standby)
    standby.status, standby.engineer = StandbyStatus.CONFIRMED, chosen
    _decided(standby, actor, now, "")
    record(
        actor,
        "services.standby_confirmed",
        standby,
        changes={"status": ["requested", "confirmed"], "engineer": [None, chosen.user.email]},
    )
    notify(
        f"services.standby_confirmed:{standby.pk}",
        [standby.requested_by.email, chosen.user.email],
        "standby_confirmed",
        _context(standby),
    )
    return standby


def _require_free(engineer: Engineer, standby: StandbyRequest) -> None:
    name = engineer.user.full_name
    absent = Absence.objects.filter(
        engineer=engineer, starts_at__lt=standby.ends_at, ends_at__gt=standby.starts_at
    )
    if absent.exists():
        raise Conflict.on_field("engineer", f"{name} is absent during the window.")
    busy = StandbyRequest.objects.filter(
        engineer=engineer,
        status=StandbyStatus.CONFIRMED,
        starts_at__lt=standby.ends_at,
        ends_at__gt=standby.starts_at,
    ).first()
    if busy is not None:
        raise Conflict.on_field(
            "engineer", f"{name} is already on standby {busy.key} during this window."
        )


def _decided(standby: StandbyRequest, actor: User, now: datetime, reason: str) -> None:
    standby.decided_by, standby.decided_at, standby.decision_reason = actor, now, reason
    standby.sequence += 1  # calendar clients replace the event they hold
    standby.updated_at = now
    standby.save()


def _context(standby: StandbyRequest) -> dict[str, object]:
    return {"standby": standby, "zone": standby.organization.time_zone}


@transaction.atomic
def decline_standby(actor: User, standby_id: int, *, reason: str) -> StandbyRequest:
    """Declining is open to a support manager until the window begins, also after a
    confirmation (best effort: the engineer may fall ill); the requester is told why."""
    require_service_manager(actor, "decline weekend standby")
    if not reason.strip():
        raise InvalidInput.on_field("reason", "Say why standby is declined; the customer reads it.")
    standby, now = _locked_standby(actor, standby_id)
    _require_open(standby, now, "be declined")
    before = standby.status
    standby.status = StandbyStatus.DECLINED
    _decided(standby, actor, now, reason.strip())
    record(
        actor,
        "services.standby_declined",
        standby,
        changes={"status": [before, "declined"]},
        reason=reason.strip(),
    )
    engineer = [standby.engineer.user.email] if standby.engineer else []
    notify(
        f"services.standby_declined:{standby.pk}",
        [standby.requested_by.email, *engineer],
        "standby_declined",
        _context(standby),
    )
    return standby


@transaction.atomic
def withdraw_standby(actor: User, standby_id: int, *, reason: str = "") -> StandbyRequest:
    """The requester withdraws before the window begins; a confirmed window leaves the
    engineer's calendar."""
    standby, now = _locked_standby(actor, standby_id)
    if standby.requested_by_id != actor.pk:
        raise NotAllowed(
            f"Only {standby.requested_by.full_name}, who asked for {standby.key}, can withdraw it."
        )
    _require_open(standby, now, "be withdrawn")
    before = standby.status
    standby.status, standby.withdrawn_at = StandbyStatus.WITHDRAWN, now
    standby.withdrawal_reason, standby.updated_at = reason.strip(), now
    standby.sequence += 1
    standby.save()
    record(
        actor,
        "services.standby_withdrawn",
        standby,
        changes={"status": [before, "withdrawn"]},
        reason=reason.strip(),
    )
    engineer = [standby.engineer.user.email] if standby.engineer else []
    notify(
        f"services.standby_withdrawn:{standby.pk}",
        [*support_managers(), *engineer],
        "standby_withdrawn",
        _context(standby),
    )
    return standby


# Calendar-feed tokens ------------------------------------------------------------------------

FEED_TOKEN_PREFIX = "pdcal_"  # noqa: S105 - the public start of every feed token, not a secret


@transaction.atomic
def rotate_feed_token(actor: User) -> str:
    """A new secret for ``actor``'s feed URLs, returned to be shown once; the old one stops
    opening anything at once. Only its digest is kept, as for API tokens."""
    secret = f"{FEED_TOKEN_PREFIX}{secrets.token_urlsafe(32)}"
    digest, now = token_digest(secret), timezone.now()
    # get_or_create: two first rotations at once end in one row, not an integrity error.
    token, created = FeedToken.objects.select_for_update().get_or_create(
        user=actor, defaults={"token_hash": digest, "created_at": now}
    )
    if not created:
        token.token_hash, token.created_at = digest, now
        token.save()
    action = "services.feed_token_created" if created else "services.feed_token_rotated"
    record(actor, action, token)
    return secret


def user_for_feed_token(secret: str) -> User | None:
    """The active account a feed token belongs to, or None."""
    if not secret.startswith(FEED_TOKEN_PREFIX):
        return None
    token = (
        FeedToken.objects.select_related("user")
        .filter(token_hash=token_digest(secret), user__is_active=True)
        .first()
    )
    return token.user if token else None


# Health checks -------------------------------------------------------------------------------


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
    record(actor, "services.health_check_requested", check, changes=changes)
    notify(
        f"services.health_check_requested:{check.pk}",
        support_managers(),
        "health_check_requested",
        {"check": check},
    )
    return check


def readable_health_check(actor: User, check_id: int) -> HealthCheck:
    """Staff see every health check, a customer their organization's; anything else answers
    like one that does not exist."""
    found = visible_health_checks(actor).filter(pk=check_id).first()
    if found is None:
        raise NotFound(f"There is no health check {check_id}.")
    return found


def _locked_check(actor: User, check_id: int) -> HealthCheck:
    readable_health_check(actor, check_id)
    locked = HealthCheck.objects.select_for_update(of=("self",)).select_related(
        *HEALTH_CHECK_RELATIONS
    )
    return locked.get(pk=check_id)


def _move(
    actor: User, check: HealthCheck, to: HealthCheckStatus, changes: dict[str, list[object]]
) -> None:
    before = check.status
    check.status, check.updated_at = to, timezone.now()
    check.save()
    record(
        actor,
        f"services.health_check_{to.value}",
        check,
        changes={"status": [before, to.value], **changes},
    )


def _require_status(check: HealthCheck, *allowed: HealthCheckStatus, what: str) -> None:
    if check.status not in allowed:
        raise Conflict(
            f"{check.key} is {check.get_status_display().lower()}; it cannot {what} now."
        )


@transaction.atomic
def schedule_health_check(
    actor: User, check_id: int, *, engineer: str, agreed_date: date
) -> HealthCheck:
    """A support manager assigns an engineer skilled in the product and the agreed date (the
    customer's local date); scheduling again moves it."""
    require_service_manager(actor, "schedule health checks")
    check = _locked_check(actor, check_id)
    _require_status(
        check, HealthCheckStatus.REQUESTED, HealthCheckStatus.SCHEDULED, what="be scheduled"
    )
    today = timezone.now().astimezone(ZoneInfo(check.organization.time_zone)).date()
    if agreed_date < today:
        raise InvalidInput.on_field(
            "agreed_date", f"The agreed date {agreed_date:%Y-%m-%d} is in the past."
        )
    chosen = skilled_engineer(engineer, check.product)
    _require_present_on(chosen, agreed_date, check.organization.time_zone)
    previous = check.engineer.user.email if check.engineer else None
    check.engineer, check.agreed_date = chosen, agreed_date
    _move(
        actor,
        check,
        HealthCheckStatus.SCHEDULED,
        {"engineer": [previous, chosen.user.email], "agreed_date": [None, agreed_date]},
    )
    notify(
        f"services.health_check_scheduled:{check.pk}:{agreed_date}:{chosen.pk}",
        [check.requested_by.email, chosen.user.email],
        "health_check_scheduled",
        {"check": check},
    )
    return check


def _require_present_on(engineer: Engineer, day: date, zone_name: str) -> None:
    """The engineer is not on leave at any time of the agreed day (the customer's date)."""
    start, end = day_start(day, zone_name), day_start(day + timedelta(days=1), zone_name)
    if Absence.objects.filter(engineer=engineer, starts_at__lt=end, ends_at__gt=start).exists():
        raise Conflict.on_field(
            "engineer", f"{engineer.user.full_name} is absent on {day:%A %d %B %Y}."
        )


def may_assess(actor: User, check: HealthCheck) -> bool:
    """The assigned engineer does the assessment; a support manager may stand in."""
    assigned = check.engineer is not None and check.engineer.user_id == actor.pk
    return assigned or actor.role in SUPPORT_MANAGER_ROLES


def _require_assessor(actor: User, check: HealthCheck, what: str) -> None:
    if not may_assess(actor, check):
        raise NotAllowed(f"Only the engineer assigned to {check.key} can {what}.")


@transaction.atomic
def start_assessment(actor: User, check_id: int) -> HealthCheck:
    check = _locked_check(actor, check_id)
    _require_assessor(actor, check, "start its assessment")
    _require_status(check, HealthCheckStatus.SCHEDULED, what="start its assessment")
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
    _require_assessor(actor, check, "write its findings")
    _require_status(check, HealthCheckStatus.IN_ASSESSMENT, what="take findings")
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
    if finding is None or not may_read_findings(actor, check):
        raise NotFound(f"{check.key} has no finding {finding_id}.")
    if finding.status == FindingStatus.DONE:
        raise Conflict(f"Finding {finding_id} of {check.key} is already done.")
    finding.status, finding.done_by, finding.done_at = FindingStatus.DONE, actor, timezone.now()
    finding.save()
    record(actor, "services.finding_done", finding, changes={"status": ["open", "done"]})
    return finding


@transaction.atomic
def deliver_health_check(actor: User, check_id: int, *, summary: str) -> HealthCheck:
    """Delivering publishes the report of findings to the customer's space and tells the
    requester."""
    check = _locked_check(actor, check_id)
    _require_assessor(actor, check, "deliver its report")
    _require_status(check, HealthCheckStatus.IN_ASSESSMENT, what="be delivered")
    if not summary.strip():
        raise InvalidInput.on_field("summary", "Write the report's summary for the customer.")
    check.summary, check.delivered_at = summary.strip(), timezone.now()
    _move(actor, check, HealthCheckStatus.DELIVERED, {})
    page = publish_report(
        check.organization,
        f"Health check {check.key}: {check.product.name} ({check.get_environment_display()})",
        render_to_string("services/health_check_report.md", _report_context(check)),
        f"health_check:{check.pk}",
        actor,
    )
    notify(
        f"services.health_check_delivered:{check.pk}",
        [check.requested_by.email],
        "health_check_delivered",
        {"check": check, "page": page},
    )
    return check


def _report_context(check: HealthCheck) -> dict[str, object]:
    order = {severity: n for n, severity in enumerate(Severity.values)}
    findings = sorted(check.findings.all(), key=lambda f: (order[f.severity], f.pk))
    return {"check": check, "findings": findings}


@transaction.atomic
def cancel_health_check(actor: User, check_id: int, *, reason: str) -> HealthCheck:
    """The customer's named contacts or a support manager cancel before delivery."""
    check = _locked_check(actor, check_id)
    if actor.is_customer:
        require_named_contact(actor, check.license, timezone.now(), to="cancel health checks")
    else:
        require_service_manager(actor, "cancel health checks")
    if not reason.strip():
        raise InvalidInput.on_field("reason", "Say why the health check is cancelled.")
    _require_status(
        check,
        HealthCheckStatus.REQUESTED,
        HealthCheckStatus.SCHEDULED,
        HealthCheckStatus.IN_ASSESSMENT,
        what="be cancelled",
    )
    check.cancelled_at, check.cancel_reason = timezone.now(), reason.strip()
    _move(actor, check, HealthCheckStatus.CANCELLED, {})
    engineer = [check.engineer.user.email] if check.engineer else []
    notify(
        f"services.health_check_cancelled:{check.pk}",
        [check.requested_by.email, *engineer, *support_managers()],
        "health_check_cancelled",
        {"check": check},
    )
    return check
