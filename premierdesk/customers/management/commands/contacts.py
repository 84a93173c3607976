"""premierdesk contacts: who holds a named-contact slot of a license at an instant, and why."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from premierdesk.customers.models import License
from premierdesk.customers.queries import RosterEntry, WindowState, find_license, roster
from premierdesk.lib.errors import ActionError, InvalidInput
from premierdesk.lib.instants import check_in_range
from premierdesk.lib.zones import local_instant

AT_HELP = (
    "When to look (default: now). ISO 8601 with an offset or Z, e.g. 2026-12-01T09:00Z or "
    "2026-12-01T09:00+11:00; without an offset (2026-12-01T09:00) the time is read in the "
    "time zone of the license's organization. A local time that happens twice or not at all "
    "because of a daylight-saving change is refused: give the offset then."
)


class Command(BaseCommand):
    help = (
        "Show the named contacts of a license (SEN) at an instant: who is active and why, who "
        "is upcoming, suspended or pending, and how many slots are taken."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("sen", help="The Support Entitlement Number, e.g. SEN-1234567.")
        parser.add_argument("--at", help=AT_HELP)
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )

    def handle(self, *args: Any, sen: str, at: str | None, as_json: bool, **options: Any) -> None:
        try:
            license = find_license(sen)
            instant = parse_at(at, license.organization.time_zone) if at else timezone.now()
        except ActionError as exc:
            raise CommandError(exc.detail) from exc
        entries = roster(license, instant)
        if as_json:
            self.stdout.write(json.dumps(as_document(license, instant, entries), indent=2))
        else:
            self.stdout.write(as_text(license, instant, entries))


def parse_at(value: str, zone_name: str) -> datetime:
    """``value`` as an aware UTC instant; a time without offset is local to ``zone_name``."""
    try:
        parsed = datetime.fromisoformat(value.strip())
        check_in_range(parsed, "--at")
        if parsed.tzinfo is None:
            parsed = local_instant(parsed, ZoneInfo(zone_name), label="--at")
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # not ISO 8601, or beyond the calendar's ends
        raise InvalidInput(
            f"--at {value!r} is not a date and time. Write it as ISO 8601, e.g. "
            f"2026-12-01T09:00Z, 2026-12-01T09:00+11:00, or 2026-12-01T09:00 for {zone_name} time."
        ) from None


def _utc(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _window_fields(entry: RosterEntry) -> dict[str, Any]:
    window = entry.window
    return {
        "email": window.person_email,
        "full_name": window.person_name,
        "window_id": window.pk,
        "starts_at": _utc(window.starts_at),
        "ends_at": _utc(window.ends_at),
        "covers": window.covers.person_email if window.covers else None,
        "why": entry.why,
    }


def as_document(license: License, at: datetime, entries: list[RosterEntry]) -> dict[str, Any]:
    active = [e for e in entries if e.state == WindowState.ACTIVE]
    others = [e for e in entries if e.state != WindowState.ACTIVE]
    return {
        "sen": license.sen,
        "organization": license.organization.name,
        "at": _utc(at),
        "slots": license.named_contact_slots,
        "active": [_window_fields(e) for e in active],
        "others": [{**_window_fields(e), "state": str(e.state)} for e in others],
    }


def as_text(license: License, at: datetime, entries: list[RosterEntry]) -> str:
    active = [e for e in entries if e.state == WindowState.ACTIVE]
    others = [e for e in entries if e.state != WindowState.ACTIVE]
    zone = license.organization.time_zone
    local = at.astimezone(ZoneInfo(zone))
    lines = [
        f"{license.sen} ({license.organization.name}) at {at.astimezone(UTC):%Y-%m-%d %H:%M} "
        f"UTC ({local:%Y-%m-%d %H:%M} {zone}): "
        f"{len(active)} of {license.named_contact_slots} slots taken",
        "",
        "Active named contacts:",
        *([_line(e) for e in active] or ["  nobody"]),
    ]
    if others:
        lines += ["", "Others:", *[_line(e, with_state=True) for e in others]]
    return "\n".join(lines)


def _line(entry: RosterEntry, *, with_state: bool = False) -> str:
    window = entry.window
    state = f"{entry.state}: " if with_state else ""
    return f"  #{window.pk} {window.person_email} ({window.person_name}): {state}{entry.why}"
