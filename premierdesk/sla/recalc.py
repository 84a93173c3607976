"""Re-deriving open tickets' clocks after the SLA configuration changes (a calendar, its spans,
holidays or exceptions, a calendar rule, the SLA policy), and the background job doing it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from premierdesk.catalog.models import Product
from premierdesk.customers.models import License
from premierdesk.jobs.actions import enqueue_on_commit
from premierdesk.lib import bulk
from premierdesk.sla.actions import queue_due_at, rows_to_store
from premierdesk.sla.clocks import derive_clocks
from premierdesk.sla.models import CalendarRule, TicketClock
from premierdesk.sla.policy import Policies, rule_matches
from premierdesk.sla.queries import facts_from, timelines_of
from premierdesk.tickets.models import OPEN_STATUSES, EventKind, Ticket, TimelineEvent


def recompute_open_clocks(
    now: datetime, *, calendar_ids: set[int] | None = None, batch: int = 500
) -> int:
    """Re-derive the clocks of every open ticket, or (given ``calendar_ids``) of the open
    tickets whose rules pick one of those calendars at a level they have held. Stopped clocks
    keep the figures they stopped with. Open tickets are taken ``batch`` at a time, each batch
    in its own transaction with its tickets locked as a ticket's own change locks it: a change
    made meanwhile either waits for the batch and re-derives its clocks after it, or is
    committed before and read by it, so no clock is left stale; and a long run never holds
    locks for long. Returns how many tickets were recomputed."""
    done, last = 0, 0
    while True:
        with transaction.atomic():
            tickets = _locked_open_tickets(after=last, size=batch)
            if not tickets:
                return done
            last = tickets[-1].pk
            if calendar_ids is not None:
                tickets = _using_calendars(tickets, calendar_ids)
            _rederive(tickets, now)
            done += len(tickets)


@task()
def recompute_open_clocks_task(calendar_ids: list[int] | None = None) -> int:
    scope = None if calendar_ids is None else set(calendar_ids)
    return recompute_open_clocks(timezone.now(), calendar_ids=scope)


def recompute_after_commit(calendar_ids: Iterable[int] | None = None) -> None:
    """Enqueue the recompute once the current change commits: ``calendar_ids`` when only
    those calendars' contents changed, None when a rule or the policy did."""
    scope = None if calendar_ids is None else sorted(set(calendar_ids))
    enqueue_on_commit(recompute_open_clocks_task, calendar_ids=scope)


@dataclass(frozen=True)
class _Open:
    """An open ticket as the recompute reads it, ``matched`` being what the rules match on
    (``policy.rule_matches``): one stand-in per offering, product and organization."""

    pk: int
    level: str
    opened_at: datetime
    sla_due_at: datetime | None
    matched: Ticket


OPEN_FIELDS = ("pk", "level", "opened_at", "sla_due_at")
MATCHED_FIELDS = ("license__offering_id", "product_id", "product__weekend_class", "organization_id")


def _locked_open_tickets(*, after: int, size: int) -> list[_Open]:
    """The next ``size`` open tickets by id after ``after`` (keyset pages: nothing is held
    between them), locked for this transaction (only the tickets' rows, not their license's
    or product's, which every other ticket shares)."""
    page = (
        Ticket.objects.select_for_update(of=("self",))
        .filter(status__in=OPEN_STATUSES, pk__gt=after)
        .order_by("pk")
        .values_list(*OPEN_FIELDS, *MATCHED_FIELDS)[:size]
    )
    matched: dict[tuple[Any, ...], Ticket] = {}
    tickets = []
    for pk, level, opened_at, sla_due_at, *key in page:
        if tuple(key) not in matched:
            matched[tuple(key)] = _stand_in(pk, *key)
        tickets.append(_Open(pk, level, opened_at, sla_due_at, matched[tuple(key)]))
    return tickets


def _stand_in(
    pk: int, offering: int, product: int, weekend_class: str, organization: int
) -> Ticket:
    """A ticket with what the rules match on (and the key ``NoCalendar`` names): its first
    ticket's."""
    return Ticket(
        pk=pk,
        license=License(offering_id=offering),
        product=Product(pk=product, weekend_class=weekend_class),
        organization_id=organization,
    )


def _using_calendars(tickets: list[_Open], calendar_ids: set[int]) -> list[_Open]:
    """The tickets whose clocks may count in one of ``calendar_ids``: a clock only ever asks
    for the calendar of a level the ticket held, so other levels' rules do not matter."""
    rules = list(CalendarRule.objects.all())
    held = _levels_held(tickets)

    @cache  # tickets with the same stand-in and levels get the same answer
    def uses(matched: Ticket, levels: frozenset[str]) -> bool:
        return _uses_any(matched, levels, rules, calendar_ids)

    return [t for t in tickets if uses(t.matched, frozenset(held[t.pk]))]


def _uses_any(
    ticket: Ticket, levels: frozenset[str], rules: list[CalendarRule], calendar_ids: set[int]
) -> bool:
    for level in levels:
        rule = next((r for r in rules if rule_matches(r, ticket, level)), None)
        # Without a rule policy_for refuses the ticket; recomputing it makes that show.
        if rule is None or rule.calendar_id in calendar_ids:
            return True
    return False


def _levels_held(tickets: list[_Open]) -> dict[int, set[str]]:
    """Each ticket's current level, its level at opening and every level it changed from or
    to (a superset of the levels its clocks were measured at)."""
    held: dict[int, set[str]] = defaultdict(set)
    for ticket in tickets:
        held[ticket.pk].add(ticket.level)
    events = TimelineEvent.objects.filter(
        ticket_id__in=[t.pk for t in tickets],
        kind__in=[EventKind.OPENED, EventKind.LEVEL_CHANGED],
    ).values_list("ticket_id", "data")
    for ticket_id, data in events:
        held[ticket_id] |= {data[k] for k in ("level", "from", "to") if data.get(k)}
    return held


def _rederive(tickets: list[_Open], now: datetime) -> None:
    """Derive the tickets' clocks in memory from their timelines (one query for all of them)
    and their policies (one per offering, product and organization), and store them: new
    clock rows in one insert, the others in one statement, the queue's due times in one."""
    if not tickets:
        return
    ids = [t.pk for t in tickets]
    policies = Policies()
    timelines = timelines_of(ids)
    stored = _stored_clocks(ids)
    rows: list[TicketClock] = []
    due_changed: list[tuple[datetime | None, int]] = []
    for ticket in tickets:
        level, facts = facts_from(ticket.level, timelines.get(ticket.pk, ()))
        policy = policies.policy_for(ticket.matched)
        clocks = derive_clocks(ticket.opened_at, level, facts, policy, now)
        rows += rows_to_store(ticket.pk, clocks, stored[ticket.pk], now)
        due_at = queue_due_at(clocks)
        if due_at != ticket.sla_due_at:
            due_changed.append((due_at, ticket.pk))
    TicketClock.objects.bulk_create([r for r in rows if r.pk is None], batch_size=500)
    derived = attrgetter(*CLOCK_FIELDS, "pk")
    bulk.update_each(TicketClock, CLOCK_FIELDS, [derived(r) for r in rows if r.pk is not None])
    bulk.update_each(Ticket, ("sla_due_at",), due_changed)


def _stored_clocks(ticket_ids: list[int]) -> dict[int, dict[tuple[str, int], TicketClock]]:
    """The tickets' stored clocks with what deriving them reads (whether and when a clock
    stopped, how many alerts it said); the rest is derived anew."""
    stored: dict[int, dict[tuple[str, int], TicketClock]] = defaultdict(dict)
    rows = TicketClock.objects.filter(ticket_id__in=ticket_ids)
    for row in rows.only("ticket_id", "kind", "cycle", "stopped_at", "alerts_sent"):
        stored[row.ticket_id][(row.kind, row.cycle)] = row
    return stored


# What ``sla.actions`` derives into a stored clock (its identity and alerts_sent stay).
CLOCK_FIELDS = (
    "level",
    "started_at",
    "stopped_at",
    "target_minutes",
    "counted_seconds",
    "due_at",
    "breached_at",
    "paused_by",
    "thresholds",
    "next_alert_at",
    "computed_at",
)
