"""A ticket's SLA clocks, derived from its own history: pure functions, no database, no clock.

Given what happened to a ticket (opened, status changes, level changes, public responses from
support, comments from the customer) and the policy (which calendar and target apply at each
level, which statuses pause which clock), :func:`derive_clocks` replays the history and returns
every clock with its counted time, its due and warning times, and the pieces of time it counted
or paused and why. Nothing is stored that could drift from the ticket: stored due times are a
cache of this function, recomputed whenever the ticket or the policy changes.

The clocks (docs/product/response-targets-and-coverage.md#clocks):

- ``first_response``: from opening to the first public response by support (a public comment
  or a logged call); one per ticket.
- ``next_update``: from a customer's comment, while support owes an answer, to support's next
  public response; a new cycle each time.
- ``resolution``: from opening (or reopening) to resolved; reopening starts a new cycle and the
  old one keeps its figures.
- ``customer_wait``: the time spent waiting on the customer; a cycle per wait.

A clock counts only inside the coverage calendar of the ticket's level at that moment, and not
while the ticket is in a status that pauses it. A level change keeps the time counted and
measures it against the new level's target (and, from then on, the new level's calendar).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from premierdesk.lib.coverage import Calendar, Piece, add_covered, explain

ZERO = timedelta(0)


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"
    NEXT_UPDATE = "next_update"
    RESOLUTION = "resolution"
    CUSTOMER_WAIT = "customer_wait"


class FactKind(StrEnum):
    STATUS = "status"  # value: the new status
    LEVEL = "level"  # value: the new level
    STAFF_RESPONSE = "staff_response"  # a public comment or a logged call by support
    CUSTOMER_COMMENT = "customer_comment"


@dataclass(frozen=True)
class Fact:
    at: datetime
    kind: FactKind
    value: str = ""


@dataclass(frozen=True)
class Policy:
    calendar_for: Callable[[str], Calendar]  # level -> the calendar that applies
    target_for: Callable[[ClockKind, str], timedelta | None]  # (clock, level) -> target
    pausing: dict[ClockKind, frozenset[str]]  # statuses in which a clock does not count
    warnings: tuple[float, ...] = (0.5, 0.75)


WAITING = frozenset({"waiting_for_customer", "inactive"})
RESOLVED = "resolved"
CLOSED = "closed"


@dataclass
class Clock:
    kind: ClockKind
    cycle: int
    started_at: datetime
    level: str
    stopped_at: datetime | None = None
    counted: timedelta = ZERO  # up to the last fact (or the stop)
    pieces: list[Piece] = field(default_factory=list)
    target: timedelta | None = None
    due_at: datetime | None = None  # None: no target, stopped, or paused by a status
    breached_at: datetime | None = None
    warnings_at: list[datetime] = field(default_factory=list)
    paused_by: str = ""  # the status pausing it now, if any

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def met(self) -> bool | None:
        """Whether the target was met: None while running or without a target."""
        if self.running or self.target is None:
            return None
        return self.breached_at is None


@dataclass
class _Replay:
    policy: Policy
    status: str
    level: str
    clocks: list[Clock] = field(default_factory=list)

    def running(self, kind: ClockKind) -> Clock | None:
        return next((c for c in self.clocks if c.kind == kind and c.running), None)

    def start(self, kind: ClockKind, at: datetime) -> None:
        cycle = 1 + sum(1 for c in self.clocks if c.kind == kind)
        self.clocks.append(Clock(kind, cycle, at, self.level))

    def stop(self, kind: ClockKind, at: datetime) -> None:
        clock = self.running(kind)
        if clock is not None:
            clock.stopped_at, clock.level = at, self.level

    def count(self, start: datetime, end: datetime) -> None:
        """Let every running clock count (or not) the stretch ``[start, end)``."""
        if end <= start:
            return
        calendar = self.policy.calendar_for(self.level)
        covered = explain(calendar, start, end)
        for clock in self.clocks:
            if not clock.running:
                continue
            if self.status in self.policy.pausing.get(clock.kind, frozenset()):
                clock.pieces.append(Piece(start, end, False, f"paused: {_label(self.status)}"))
                continue
            for piece in covered:
                clock.pieces.append(piece)
                if piece.counted:
                    clock.counted += piece.end - piece.start

    def apply(self, fact: Fact) -> None:
        if fact.kind == FactKind.LEVEL:
            self.level = fact.value
        elif fact.kind == FactKind.STAFF_RESPONSE:
            self.stop(ClockKind.FIRST_RESPONSE, fact.at)
            self.stop(ClockKind.NEXT_UPDATE, fact.at)
        elif fact.kind == FactKind.CUSTOMER_COMMENT:
            if self.running(ClockKind.NEXT_UPDATE) is None and self.status != CLOSED:
                self.start(ClockKind.NEXT_UPDATE, fact.at)
        elif fact.kind == FactKind.STATUS:
            self._status(fact.value, fact.at)

    def _status(self, status: str, at: datetime) -> None:
        before, self.status = self.status, status
        if before in WAITING and status not in WAITING:
            self.stop(ClockKind.CUSTOMER_WAIT, at)
        if status in WAITING and before not in WAITING:
            self.start(ClockKind.CUSTOMER_WAIT, at)
        if status in (RESOLVED, CLOSED):
            for kind in ClockKind:
                self.stop(kind, at)
        elif before in (RESOLVED, CLOSED):  # reopened: a new resolution cycle
            self.start(ClockKind.RESOLUTION, at)


def _label(status: str) -> str:
    return status.replace("_", " ")


def derive_clocks(
    opened_at: datetime,
    level: str,
    facts: Sequence[Fact],
    policy: Policy,
    now: datetime,
    *,
    status: str = "waiting_for_support",
) -> list[Clock]:
    """Replay the ticket's history up to ``now`` and return every clock, oldest first.

    ``level`` and ``status`` are the ticket's at opening; ``facts`` must be sorted by time.
    Due and warning times of running clocks are computed from the last fact, so they do not
    move as ``now`` passes; ``counted`` and the pieces run up to ``now``.
    """
    replay = _Replay(policy, status, level)
    replay.start(ClockKind.FIRST_RESPONSE, opened_at)
    replay.start(ClockKind.RESOLUTION, opened_at)
    cursor = opened_at
    for fact in facts:
        replay.count(cursor, fact.at)
        cursor = max(cursor, fact.at)
        replay.apply(fact)
    checkpoint = {id(c): c.counted for c in replay.clocks}
    replay.count(cursor, now)
    for clock in replay.clocks:
        _finish(clock, replay, policy, cursor, checkpoint[id(clock)])
    return replay.clocks


def _finish(
    clock: Clock, replay: _Replay, policy: Policy, last_fact: datetime, counted_then: timedelta
) -> None:
    """Target, breach, due and warning times of one clock: a running clock is measured at the
    ticket's current level, a stopped one at the level it stopped at."""
    if clock.running:
        clock.level = replay.level
    clock.target = policy.target_for(clock.kind, clock.level)
    if clock.target is None:
        return
    clock.breached_at = _crossing(clock.pieces, clock.target)
    if not clock.running:
        return
    if replay.status in policy.pausing.get(clock.kind, frozenset()):
        clock.paused_by = replay.status
        return
    calendar = policy.calendar_for(replay.level)
    clock.due_at = _when_counted(clock, calendar, last_fact, counted_then, clock.target)
    clock.warnings_at = [
        _when_counted(clock, calendar, last_fact, counted_then, clock.target * share)
        for share in policy.warnings
    ]


def _when_counted(
    clock: Clock,
    calendar: Calendar,
    last_fact: datetime,
    counted_then: timedelta,
    amount: timedelta,
) -> datetime:
    """When the running clock has counted ``amount``: already in its pieces, or ahead."""
    if counted_then > amount:
        # counted_then is a prefix of the pieces' total, so the crossing is among them.
        crossed = _crossing(clock.pieces, amount)
        return crossed if crossed is not None else last_fact
    return add_covered(calendar, last_fact, amount - counted_then)


def _crossing(pieces: Sequence[Piece], amount: timedelta) -> datetime | None:
    """The instant at which the counted pieces add up to more than ``amount``, if they do."""
    total = ZERO
    for piece in pieces:
        if not piece.counted:
            continue
        length = piece.end - piece.start
        if total + length > amount:
            return piece.start + (amount - total)
        total += length
    return None
