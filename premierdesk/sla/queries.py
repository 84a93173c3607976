"""Reading a ticket's clocks: the facts of its timeline the clocks react to, and the clocks
derived from them as shown (a stopped clock with the figures it stopped with)."""

from __future__ import annotations

from datetime import datetime, timedelta

from premierdesk.accounts.models import TICKET_STAFF_ROLES
from premierdesk.sla.clocks import Clock, Fact, FactKind, derive_clocks
from premierdesk.sla.models import TicketClock
from premierdesk.sla.policy import policy_for
from premierdesk.tickets.models import EventKind, Ticket, TimelineEvent, Visibility


def facts_of(ticket: Ticket) -> tuple[str, list[Fact]]:
    """The ticket's level at opening and what the clocks react to, from its timeline."""
    events = list(
        TimelineEvent.objects.filter(ticket=ticket, visibility=Visibility.PUBLIC)
        .select_related("actor")
        .order_by("at", "id")
    )
    opened_level = next(
        (e.data.get("level", ticket.level) for e in events if e.kind == EventKind.OPENED),
        ticket.level,
    )
    facts = [fact for e in events if (fact := _fact(e)) is not None]
    return opened_level, facts


def _fact(event: TimelineEvent) -> Fact | None:
    if event.kind == EventKind.STATUS_CHANGED:
        return Fact(event.at, FactKind.STATUS, event.data["to"])
    if event.kind == EventKind.LEVEL_CHANGED:
        return Fact(event.at, FactKind.LEVEL, event.data["to"])
    if event.kind == EventKind.CALL_LOGGED:
        return Fact(event.at, FactKind.STAFF_RESPONSE)
    if event.kind == EventKind.COMMENTED and event.actor is not None:
        staff = event.actor.role in TICKET_STAFF_ROLES
        return Fact(event.at, FactKind.STAFF_RESPONSE if staff else FactKind.CUSTOMER_COMMENT)
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
