"""API: a ticket's SLA clocks, each with its target, due time and the pieces of time it
counted or paused and why. Staff see every clock; customers the first-response clock."""

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from premierdesk.accounts.access import current_user
from premierdesk.restapi.errors import Problem
from premierdesk.sla.clocks import Clock, ClockKind
from premierdesk.sla.queries import clocks_of
from premierdesk.sla.rules import may_read_every_clock
from premierdesk.tickets.rules import readable_ticket

router = Router(tags=["sla"])


class PieceOut(Schema):
    start: datetime
    end: datetime
    counted: bool
    reason: str


class ClockOut(Schema):
    kind: str
    cycle: int
    level: str
    state: str = Field(description="running, paused, met, breached or stopped (no target).")
    started_at: datetime
    stopped_at: datetime | None
    target_minutes: int | None
    counted_minutes: float
    due_at: datetime | None
    breached_at: datetime | None
    warnings_at: list[datetime]
    paused_by: str
    pieces: list[PieceOut]


def state_of(clock: Clock) -> str:
    if clock.breached_at is not None:
        return "breached"
    if clock.running:
        return "paused" if clock.paused_by else "running"
    return "met" if clock.target is not None else "stopped"


def clock_out(clock: Clock) -> ClockOut:
    return ClockOut(
        kind=clock.kind,
        cycle=clock.cycle,
        level=clock.level,
        state=state_of(clock),
        started_at=clock.started_at,
        stopped_at=clock.stopped_at,
        target_minutes=int(clock.target.total_seconds() // 60) if clock.target else None,
        counted_minutes=round(clock.counted.total_seconds() / 60, 2),
        due_at=clock.due_at,
        breached_at=clock.breached_at,
        warnings_at=clock.warnings_at,
        paused_by=clock.paused_by,
        pieces=[
            PieceOut(start=p.start, end=p.end, counted=p.counted, reason=p.reason)
            for p in clock.pieces
        ],
    )


@router.get(
    "/tickets/{key}/sla",
    response={200: list[ClockOut], 404: Problem},
    summary="The ticket's SLA clocks, explained",
)
def ticket_sla(request: HttpRequest, key: str) -> list[ClockOut]:
    user, now = current_user(request), timezone.now()
    ticket = readable_ticket(user, key, now)
    clocks = clocks_of(ticket, now)
    if not may_read_every_clock(user):
        clocks = [c for c in clocks if c.kind == ClockKind.FIRST_RESPONSE]
    return [clock_out(c) for c in clocks]
