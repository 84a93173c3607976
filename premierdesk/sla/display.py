"""How a ticket's SLA clocks read on its page and in the CLI: a row per clock for staff, one
sentence about the first response for customers, durations in words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from django.utils import timezone

from premierdesk.lib.coverage import Piece
from premierdesk.sla.api import state_of
from premierdesk.sla.clocks import Clock, ClockKind
from premierdesk.sla.models import CLOCK_KINDS
from premierdesk.sla.queries import clocks_of
from premierdesk.tickets.models import Ticket

KIND_LABELS = dict(CLOCK_KINDS)


@dataclass(frozen=True)
class ClockRow:
    clock: Clock
    label: str
    state: str
    target: str
    counted: str
    pieces: list[Piece]


@dataclass(frozen=True)
class Panel:
    """What the ticket page shows: staff get ``rows``; customers only ``first_response``."""

    rows: list[ClockRow]
    first_response: str


def ticket_panel(ticket: Ticket, staff: bool) -> Panel:
    """The ticket's clocks as of now, for a viewer in the active time zone. A constant number
    of queries (timeline, rules, targets, policy), whatever the ticket's length."""
    now = timezone.now()
    clocks = clocks_of(ticket, now)
    if staff:
        return Panel([clock_row(c) for c in clocks], "")
    first = next((c for c in clocks if c.kind == ClockKind.FIRST_RESPONSE), None)
    return Panel([], first_response_words(first, now, timezone.get_current_timezone()))


def clock_row(clock: Clock) -> ClockRow:
    pieces = readable(clock.pieces)
    return ClockRow(
        clock=clock,
        label=KIND_LABELS.get(clock.kind, clock.kind),
        state=_state(clock, pieces),
        target=duration(clock.target) if clock.target else "none",
        counted=duration(clock.counted),
        pieces=pieces,
    )


def _state(clock: Clock, pieces: Sequence[Piece]) -> str:
    """``state_of``, saying why a running clock is not counting now: a clock without a target
    reads "running" there even while a status or the calendar pauses it."""
    state = state_of(clock)
    if clock.running and state != "breached" and pieces and not pieces[-1].counted:
        return f"paused ({pieces[-1].reason})"
    return state


def first_response_words(clock: Clock | None, now: datetime, zone: tzinfo) -> str:
    """The customer's view of the first-response clock, e.g. "Due by 11:00"."""
    if clock is None:
        return ""
    if clock.breached_at is not None:
        return "Missed"
    if not clock.running:
        return f"Responded in {duration(clock.counted)}"
    if clock.paused_by:
        return f"Paused while {_words(clock.paused_by)}"
    if clock.due_at is None:
        return "Waiting for a first response"
    due = f"Due by {_when(clock.due_at, now, zone)}"
    if clock.pieces and not clock.pieces[-1].counted:
        reason = clock.pieces[-1].reason
        pause = "Paused over the weekend" if "weekend" in reason else f"Paused ({reason})"
        return f"{pause}; {due[0].lower()}{due[1:]}"
    return due


def _words(status: str) -> str:
    return status.replace("_", " ")


def _when(instant: datetime, now: datetime, zone: tzinfo) -> str:
    """The time alone when it falls today for the viewer, else with its day."""
    local = instant.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return f"{local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b %H:%M}"


def readable(pieces: Sequence[Piece]) -> list[Piece]:
    """Adjacent pieces that say the same (counted or paused, and why) as one, since the clock
    engine cuts a piece at every event of the ticket; and the reason without the engine's
    "paused: " prefix, as every display already says counted or paused beside it."""
    result: list[Piece] = []
    for raw in pieces:
        piece = Piece(raw.start, raw.end, raw.counted, raw.reason.removeprefix("paused: "))
        last = result[-1] if result else None
        if last and (last.end, last.counted, last.reason) == (
            piece.start,
            piece.counted,
            piece.reason,
        ):
            result[-1] = Piece(last.start, piece.end, last.counted, last.reason)
        else:
            result.append(piece)
    return result


def duration(value: timedelta | None) -> str:
    """Whole minutes, then hours and minutes: "25 min", "47 h 05 min"."""
    minutes = round((value or timedelta(0)).total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min"
