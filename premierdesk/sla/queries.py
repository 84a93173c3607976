"""Reading a ticket's clocks: the facts of its timeline the clocks react to, and the clocks
derived from them as shown (a stopped clock with the figures it stopped with)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from premierdesk.accounts.models import TICKET_STAFF_ROLES
from premierdesk.sla.clocks import Clock, Fact, FactKind, derive_clocks
from premierdesk.sla.models import TicketClock
from premierdesk.sla.policy import policy_for
from premierdesk.tickets.models import EventKind, Ticket, TimelineEvent, Visibility

# What the clocks read of each timeline event (the actor's role: None for the system).
EVENT_FIELDS = ("ticket_id", "kind", "at", "data", "actor__role")
Event = tuple[int, str, datetime, dict[str, Any], str | None]


def facts_of(ticket: Ticket) -> tuple[str, list[Fact]]:
    """The ticket's level at opening and what the clocks react to, from its timeline."""
    return facts_from(ticket.level, list(_public_events([ticket.pk])))


def timelines_of(ticket_ids: Collection[int]) -> dict[int, list[Event]]:
    """The public timeline of each ticket in one query, for ``facts_from`` (many tickets'
    clocks derived together)."""
    timelines: dict[int, list[Event]] = defaultdict(list)
    for event in _public_events(ticket_ids):
        timelines[event[0]].append(event)
    return timelines


def facts_from(level: str, events: Iterable[Event]) -> tuple[str, list[Fact]]:
    """The level at opening (``level`` without an OPENED event) and the facts of a ticket's
    public events, oldest first."""
    opened_level, opened, facts = level, False, []
    for _, kind, at, data, role in events:
        if kind == EventKind.OPENED and not opened:
            opened_level, opened = data.get("level", level), True
        fact = _fact(kind, at, data, role)
        if fact is not None:
            facts.append(fact)
    return opened_level, facts


def _public_events(ticket_ids: Collection[int]) -> Iterable[Event]:
    events = TimelineEvent.objects.filter(ticket_id__in=ticket_ids, visibility=Visibility.PUBLIC)
    return events.order_by("ticket_id", "at", "id").values_list(*EVENT_FIELDS)


def _fact(kind: str, at: datetime, data: dict[str, Any], role: str | None) -> Fact | None:
    if kind == EventKind.STATUS_CHANGED:
        return Fact(at, FactKind.STATUS, data["to"])
    if kind == EventKind.LEVEL_CHANGED:
        return Fact(at, FactKind.LEVEL, data["to"])
    if kind == EventKind.CALL_LOGGED:
        return Fact(at, FactKind.STAFF_RESPONSE)
    if kind == EventKind.COMMENTED and role is not None:
        staff = role in TICKET_STAFF_ROLES
        return Fact(at, FactKind.STAFF_RESPONSE if staff else FactKind.CUSTOMER_COMMENT)
    return None


def derived_clocks(ticket: Ticket, now: datetime) -> list[Clock]:
    """The ticket's clocks as its timeline gives them at ``now`` (nothing stored is read)."""
    level, facts = facts_of(ticket)
    return derive_clocks(ticket.opened_at, level, facts, policy_for(ticket), now)


def clocks_of(ticket: Ticket, now: datetime) -> list[Clock]:
    """The ticket's clocks as shown: derived from its timeline, with each stopped clock's
    figures (counted time, target, breach) as they were recorded when it stopped."""
    clocks = derived_clocks(ticket, now)
    recorded = {(c.kind, c.cycle): c for c in TicketClock.objects.filter(ticket=ticket)}
    for clock in clocks:
        row = recorded.get((clock.kind, clock.cycle))
        if row is not None and is_settled(row, clock):
            clock.counted = timedelta(seconds=row.counted_seconds)
            clock.target = (
                None if row.target_minutes is None else timedelta(minutes=row.target_minutes)
            )
            clock.breached_at, clock.level = row.breached_at, row.level
    return clocks


def is_settled(row: TicketClock, clock: Clock) -> bool:
    """A clock that stopped keeps the figures it was recorded with
    (docs/product/response-targets-and-coverage.md#policy-changes), even if a calendar or target has
    changed since."""
    return row.pk is not None and row.stopped_at is not None and row.stopped_at == clock.stopped_at
