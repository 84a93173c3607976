"""Every change to a weekend standby request (docs/product/services.md#weekend-standby): request,
confirm, decline, withdraw. Each is one transaction that locks the row it changes, writes its audit
entry and queues its e-mail in the outbox, so all of it commits or none of it does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record
from premierdesk.customers.rules import require_named_contact
from premierdesk.lib.errors import Conflict, InvalidInput
from premierdesk.lib.zones import local_instant
from premierdesk.notifications.actions import notify_of
from premierdesk.offices.models import Absence, Engineer
from premierdesk.services.models import (
    ServicePolicy,
    StandbyRequest,
    StandbyStatus,
)
from premierdesk.services.queries import (
    licensed_product,
    readable_standby,
    service_license,
    skilled_engineer,
    support_managers,
)
from premierdesk.services.rules import (
    require_confirm_standby,
    require_decline_standby,
    require_request_standby,
    require_service_manager,
    require_valid_on,
    require_withdraw_standby,
)
from premierdesk.services.windows import (
    Broken,
    StandbyRules,
    Window,
    broken_rule,
    earliest_window,
    when,
    window_text,
)


@dataclass(frozen=True)
class StandbyInput:
    """``starts_at``/``ends_at`` without offset are wall times in the organization's zone."""

    sen: str
    product: str
    plan: str
    starts_at: datetime
    ends_at: datetime


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
    asked = record(actor, "services.standby_requested", standby, changes=_window_changes(standby))
    notify_of(asked, support_managers(), {"standby": standby, "zone": zone.key})
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


def _locked_standby(actor: User, standby_id: int) -> tuple[StandbyRequest, datetime]:
    readable_standby(actor, standby_id)
    locked = StandbyRequest.objects.select_for_update(of=("self",)).select_related(
        "organization", "product", "requested_by"
    )
    return locked.get(pk=standby_id), timezone.now()


@transaction.atomic
def confirm_standby(actor: User, standby_id: int, *, engineer: str) -> StandbyRequest:
    """A support manager confirms with an engineer skilled in the product who is neither
    absent nor on another confirmed standby during the window."""
    require_service_manager(actor, "confirm weekend standby")
    standby, now = _locked_standby(actor, standby_id)
    require_confirm_standby(actor, standby, now)
    chosen = skilled_engineer(engineer, standby.product)
    _require_free(chosen, standby)
    standby.status, standby.engineer = StandbyStatus.CONFIRMED, chosen
    _decided(standby, actor, now, "")
    confirmed = record(
        actor,
        "services.standby_confirmed",
        standby,
        changes={"status": ["requested", "confirmed"], "engineer": [None, chosen.user.email]},
    )
    notify_of(confirmed, [standby.requested_by.email, chosen.user.email], _context(standby))
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
    require_decline_standby(actor, standby, now)
    before = standby.status
    standby.status = StandbyStatus.DECLINED
    _decided(standby, actor, now, reason.strip())
    _ended(actor, standby, before, reason, [standby.requested_by.email])
    return standby


@transaction.atomic
def withdraw_standby(actor: User, standby_id: int, *, reason: str = "") -> StandbyRequest:
    """The requester withdraws before the window begins; a confirmed window leaves the
    engineer's calendar."""
    standby, now = _locked_standby(actor, standby_id)
    require_withdraw_standby(actor, standby, now)
    before = standby.status
    standby.status, standby.withdrawn_at = StandbyStatus.WITHDRAWN, now
    standby.withdrawal_reason, standby.updated_at = reason.strip(), now
    standby.sequence += 1
    standby.save()
    _ended(actor, standby, before, reason, support_managers())
    return standby


def _ended(actor: User, standby: StandbyRequest, before: str, reason: str, told: list[str]) -> None:
    """Record a standby request's end under its new status (``services.standby_declined``,
    ``…_withdrawn``) and tell ``told`` and the engineer, if one was confirmed."""
    status = StandbyStatus(standby.status).value
    ended = record(
        actor,
        f"services.standby_{status}",
        standby,
        changes={"status": [before, status]},
        reason=reason.strip(),
    )
    engineer = [standby.engineer.user.email] if standby.engineer else []
    notify_of(ended, [*told, *engineer], _context(standby))
