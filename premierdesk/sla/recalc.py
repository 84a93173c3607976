"""Re-deriving open tickets' clocks after the SLA configuration changes (a calendar, its spans,
holidays or exceptions, a calendar rule, the SLA policy), and the background job doing it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from premierdesk.jobs.actions import enqueue_on_commit
from premierdesk.sla.actions import refresh_clocks
from premierdesk.sla.models import CalendarRule
from premierdesk.sla.policy import rule_matches
from premierdesk.tickets.models import OPEN_STATUSES, EventKind, Ticket, TimelineEvent


def recompute_open_clocks(
    now: datetime, *, calendar_ids: set[int] | None = None, batch: int = 500
) -> int:
    """Re-derive the clocks of every open ticket, or (given ``calendar_ids``) of the open
    tickets whose rules pick one of those calendars at a level they have held. Stopped clocks
    keep the figures they stopped with. Each ticket is its own transaction, so a long run
    never holds locks for long. Returns how many tickets were recomputed."""
    done = 0
    for tickets in _open_ticket_batches(batch):
        if calendar_ids is not None:
            tickets = _using_calendars(tickets, calendar_ids)
        done += sum(_recompute(ticket.pk, now) for ticket in tickets)
    return done


@task()
def recompute_open_clocks_task(calendar_ids: list[int] | None = None) -> int:
    scope = None if calendar_ids is None else set(calendar_ids)
    return recompute_open_clocks(timezone.now(), calendar_ids=scope)


def recompute_after_commit(calendar_ids: Iterable[int] | None = None) -> None:
    """Enqueue the recompute once the current change commits: ``calendar_ids`` when only
    those calendars' contents changed, None when a rule or the policy did."""
    scope = None if calendar_ids is None else sorted(set(calendar_ids))
    enqueue_on_commit(recompute_open_clocks_task, calendar_ids=scope)


# What a calendar rule looks at (``policy.rule_matches``), and the level.
MATCHED_FIELDS = (
    "level",
    "organization",
    "license",
    "license__offering",
    "product",
    "product__weekend_class",
)


def _open_ticket_batches(size: int) -> Iterator[list[Ticket]]:
    """Open tickets by id, ``size`` at a time (keyset pages: nothing is held between them)."""
    last = 0
    while True:
        page = list(
            Ticket.objects.filter(status__in=OPEN_STATUSES, pk__gt=last)
            .select_related("license", "product")
            .only(*MATCHED_FIELDS)
            .order_by("pk")[:size]
        )
        if not page:
            return
        yield page
        last = page[-1].pk


def _using_calendars(tickets: list[Ticket], calendar_ids: set[int]) -> list[Ticket]:
    """The tickets whose clocks may count in one of ``calendar_ids``: a clock only ever asks
    for the calendar of a level the ticket held, so other levels' rules do not matter."""
    rules = list(CalendarRule.objects.all())
    held = _levels_held(tickets)
    return [t for t in tickets if _uses_any(t, held[t.pk], rules, calendar_ids)]


def _uses_any(
    ticket: Ticket, levels: set[str], rules: list[CalendarRule], calendar_ids: set[int]
) -> bool:
    for level in levels:
        rule = next((r for r in rules if rule_matches(r, ticket, level)), None)
        # Without a rule policy_for refuses the ticket; recomputing it makes that show.
        if rule is None or rule.calendar_id in calendar_ids:
            return True
    return False


def _levels_held(tickets: list[Ticket]) -> dict[int, set[str]]:
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


def _recompute(ticket_id: int, now: datetime) -> bool:
    """One ticket, locked as its own changes lock it. A stopped clock is settled
    (``refresh_clocks`` keeps its recorded figures, whatever the calendar says now)."""
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update()
            .filter(pk=ticket_id, status__in=OPEN_STATUSES)
            .first()
        )
        if ticket is None:  # closed since the page was read
            return False
        refresh_clocks(ticket, now)  # stopped clocks keep their recorded figures
        return True
