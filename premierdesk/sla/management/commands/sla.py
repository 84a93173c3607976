"""premierdesk sla: when a first response would be due and why (``due``), and a ticket's clocks
explained (``show``). Both go through the same policy and clock engine as tickets do."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone as django_timezone

from premierdesk.catalog.models import Level, Offering, Product
from premierdesk.customers.models import Organization
from premierdesk.lib.coverage import Piece
from premierdesk.lib.errors import ActionError
from premierdesk.lib.instants import out_of_range
from premierdesk.sla.api import clock_out
from premierdesk.sla.clocks import Clock, ClockKind, Policy, derive_clocks
from premierdesk.sla.display import ClockRow, clock_row, duration, readable
from premierdesk.sla.policy import NoCalendar, policy_for_values
from premierdesk.sla.queries import clocks_of
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.rules import no_such_ticket, ticket_number

OPENED_HELP = (
    "When the ticket is (or would be) opened: ISO 8601 with an offset or Z, e.g. "
    "2027-03-26T16:50:00-07:00 or 2027-03-26T23:50Z."
)


class Command(BaseCommand):
    help = (
        "SLA clocks: `due` says when a first response would be due for a ticket opened at an "
        "instant, with the time counted and paused on the way; `show PS-123` explains a "
        "ticket's clocks."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{due,show}")
        due = actions.add_parser("due", help="When a first response would be due, and why.")
        due.add_argument("--offering", required=True, help="The offering's slug, e.g. premier.")
        due.add_argument("--level", required=True, help="L1, L2, L3 or L4.")
        due.add_argument("--product", required=True, help="The product's slug, e.g. bitbucket.")
        due.add_argument("--opened", required=True, help=OPENED_HELP)
        due.add_argument(
            "--organization",
            help="The organization's slug: its calendar rules apply and local times are shown "
            "in its time zone (default: no organization's rules; local times in the offset "
            "of --opened).",
        )
        show = actions.add_parser("show", help="A ticket's SLA clocks, explained.")
        show.add_argument("key", help="The ticket's key, e.g. PS-123.")
        for sub in (due, show):
            sub.add_argument("--json", action="store_true", dest="as_json", help="Print JSON.")

    def handle(self, *args: Any, action: str, as_json: bool, **options: Any) -> None:
        if action == "due":
            question = Question.parse(**options)
            clock = first_response_due(question)
            out = due_document(question, clock) if as_json else due_text(question, clock)
        else:
            ticket = find_ticket(options["key"])
            now = django_timezone.now()
            clocks = clocks_of(ticket, now)
            out = show_document(ticket, now, clocks) if as_json else show_text(ticket, clocks)
        self.stdout.write(json.dumps(out, indent=2) if isinstance(out, dict) else out)


# due -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """What ``due`` is asked: a hypothetical ticket's offering, product, level and opening."""

    offering: Offering
    product: Product
    level: str
    organization: Organization | None
    opened_at: datetime  # aware, in the offset it was given in

    @classmethod
    def parse(cls, **options: Any) -> Question:
        organization = options.get("organization")
        return cls(
            offering=_one_of(Offering.objects.all(), options["offering"], "offering"),
            product=_covered_product(options["product"]),
            level=_level(options["level"]),
            organization=_one_of(Organization.objects.all(), organization, "organization")
            if organization
            else None,
            opened_at=parse_opened(options["opened"]),
        )

    @property
    def zone(self) -> tzinfo:
        """Where local times are shown: the organization's zone, else the offset given."""
        if self.organization is not None:
            return ZoneInfo(self.organization.time_zone)
        return self.opened_at.tzinfo or UTC

    @property
    def zone_note(self) -> str:
        if self.organization is not None:
            return f"{self.organization.time_zone} ({self.organization.name}'s time zone)"
        return f"{_offset_name(self.opened_at)} (the offset of --opened)"


def parse_opened(value: str) -> datetime:
    try:
        opened = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"--opened {value!r} is not ISO 8601. {OPENED_HELP}") from None
    if opened.tzinfo is None:
        raise CommandError(
            f"--opened {value!r} has no offset: add one, e.g. {value.strip()}-07:00 or "
            f"{value.strip()}Z, so the instant is not a guess."
        )
    if problem := out_of_range(opened):
        raise CommandError(f"--opened {problem}")
    return opened


def _one_of(rows: Any, slug: str, what: str) -> Any:
    """The row with this slug, or one line listing the valid ones."""
    found = rows.filter(slug=slug).first()
    if found is None:
        valid = ", ".join(rows.order_by("slug").values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"Unknown {what} {slug!r}; valid: {valid}.")
    return found


def _covered_product(slug: str) -> Product:
    product: Product = _one_of(Product.objects.filter(covered=True), slug, "product")
    return product


def _level(value: str) -> str:
    level = value.strip().upper()
    if level not in Level.values:
        raise CommandError(f"Unknown level {value!r}; valid: {', '.join(Level.values)}.")
    return level


def _policy(offering: Offering, product: Product, organization: Organization | None) -> Policy:
    try:
        return policy_for_values(offering, product, organization)
    except NoCalendar:
        raise CommandError(
            f"No calendar rule matches {offering.slug} {product.slug}; add a default rule "
            "(one without conditions) in the admin."
        ) from None


def first_response_due(question: Question) -> Clock:
    """The first-response clock of a ticket opened then and left unanswered, run up to its due
    time, so its pieces are the intervals counted and paused on the way."""
    policy = _policy(question.offering, question.product, question.organization)
    opened = question.opened_at.astimezone(UTC)
    clock = _first_response(derive_clocks(opened, question.level, [], policy, opened))
    if clock.due_at is None:
        raise CommandError(
            f"{question.offering.name} has no first-response target at {question.level}; "
            "add one under the offering's response targets in the admin."
        )
    return _first_response(derive_clocks(opened, question.level, [], policy, clock.due_at))


def _first_response(clocks: list[Clock]) -> Clock:
    return next(c for c in clocks if c.kind == ClockKind.FIRST_RESPONSE)


def due_text(question: Question, clock: Clock) -> str:
    assert clock.due_at is not None  # set by first_response_due
    assert clock.target is not None
    zone = question.zone
    lines = [
        f"First response, {question.offering.name} {question.level}, {question.product.name}: "
        f"target {duration(clock.target)} of covered time",
        f"Opened  {_utc(question.opened_at)}   {_local(question.opened_at, zone)}",
        f"Due     {_utc(clock.due_at)}   {_local(clock.due_at, zone)}",
        f"Local times in {question.zone_note}.",
        "Intervals (UTC):",
        *[_piece_line(p) for p in readable(clock.pieces)],
    ]
    if clock.warnings_at:
        lines.append("Warnings at " + ", ".join(_utc(t) for t in clock.warnings_at) + ".")
    return "\n".join(lines)


def due_document(question: Question, clock: Clock) -> dict[str, Any]:
    assert clock.due_at is not None  # set by first_response_due
    assert clock.target is not None
    return {
        "offering": question.offering.slug,
        "product": question.product.slug,
        "level": question.level,
        "organization": question.organization.slug if question.organization else None,
        "opened_at": iso(question.opened_at),
        "target_minutes": int(clock.target.total_seconds() // 60),
        "due_at": iso(clock.due_at),
        "due_local": clock.due_at.astimezone(question.zone).isoformat(),
        "local_zone": question.zone_note,
        "warnings_at": [iso(t) for t in clock.warnings_at],
        "intervals": [_piece_fields(p) for p in clock.pieces],
    }


# show ----------------------------------------------------------------------------------------


def find_ticket(key: str) -> Ticket:
    try:
        number = ticket_number(key)
    except ActionError as exc:
        raise CommandError(exc.detail) from None
    found = Ticket.objects.select_related("license", "product", "organization")
    ticket = found.filter(pk=number).first()
    if ticket is None:
        raise CommandError(no_such_ticket(key).detail)
    return ticket


def show_text(ticket: Ticket, clocks: list[Clock]) -> str:
    zone = ZoneInfo(ticket.organization.time_zone)
    lines = [
        f"{ticket.key} {ticket.summary}",
        f"{ticket.level}, {ticket.product.name}, {ticket.organization.name}; local times in "
        f"{ticket.organization.time_zone}, intervals in UTC.",
    ]
    for row in map(clock_row, clocks):
        lines += ["", _clock_line(row, zone), *[_piece_line(p) for p in row.pieces]]
    return "\n".join(lines)


def _clock_line(row: ClockRow, zone: tzinfo) -> str:
    clock = row.clock
    parts = [
        f"{clock.kind} #{clock.cycle} ({clock.level}): {row.state}",
        f"target {row.target}" if clock.target else "no target",
        f"counted {row.counted}",
    ]
    if clock.due_at:
        parts.append(f"due {_utc(clock.due_at)} ({_local(clock.due_at, zone)})")
    if clock.breached_at:
        parts.append(f"breached {_utc(clock.breached_at)} ({_local(clock.breached_at, zone)})")
    return ", ".join(parts)


def show_document(ticket: Ticket, now: datetime, clocks: list[Clock]) -> dict[str, Any]:
    """The same clock objects as ``GET /api/v1/tickets/{key}/sla``, for staff."""
    return {
        "ticket": ticket.key,
        "at": iso(now),
        "clocks": [clock_out(c).model_dump(mode="json") for c in clocks],
    }


# Formatting ----------------------------------------------------------------------------------


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _utc(value: datetime) -> str:
    return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _local(value: datetime, zone: tzinfo) -> str:
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {_offset_name(local)}"


def _offset_name(value: datetime) -> str:
    if isinstance(value.tzinfo, ZoneInfo):
        return value.tzname() or value.tzinfo.key
    offset = value.utcoffset() or timedelta(0)
    return timezone(offset).tzname(None)  # "UTC-07:00"


def _piece_line(piece: Piece) -> str:
    kind = "counted" if piece.counted else "paused"
    start, end = piece.start.astimezone(UTC), piece.end.astimezone(UTC)
    span = f"{start:%Y-%m-%d %H:%M} -> {end:%Y-%m-%d %H:%M}"
    return f"  {span}  {kind:<7}  {duration(piece.end - piece.start):>12}  {piece.reason}"


def _piece_fields(piece: Piece) -> dict[str, Any]:
    return {
        "start": iso(piece.start),
        "end": iso(piece.end),
        "counted": piece.counted,
        "minutes": round((piece.end - piece.start).total_seconds() / 60, 2),
        "reason": piece.reason,
    }
