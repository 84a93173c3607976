"""Keeping each ticket's clocks up to date, and the sweep that warns before a breach and
announces it. Clocks are derived from the ticket's own timeline (``sla.clocks``); what is
stored is a cache for sorting the queue and for the sweep's indexed scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from premierdesk.accounts.models import Role, User
from premierdesk.audit.actions import record
from premierdesk.catalog.models import Level
from premierdesk.notifications.actions import notify
from premierdesk.sla.clocks import Clock, ClockKind, derive_clocks
from premierdesk.sla.models import SlaPolicy, TicketClock
from premierdesk.sla.policy import policy_for
from premierdesk.sla.queries import derived_clocks, is_settled
from premierdesk.tickets.models import EventKind, Ticket, TimelineEvent, Visibility

# Clocks whose due time orders the queue (customer wait has no target).
QUEUE_CLOCKS = (ClockKind.FIRST_RESPONSE, ClockKind.NEXT_UPDATE, ClockKind.RESOLUTION)


def refresh_clocks(ticket: Ticket, now: datetime) -> list[Clock]:
    """Re-derive the ticket's clocks and store them; call inside the change's transaction."""
    clocks = derived_clocks(ticket, now)
    stored = {(c.kind, c.cycle): c for c in TicketClock.objects.filter(ticket=ticket)}
    for clock in clocks:
        row = stored.get((clock.kind, clock.cycle)) or TicketClock(
            ticket=ticket, kind=clock.kind, cycle=clock.cycle
        )
        if is_settled(row, clock):
            continue
        _copy(clock, row, now)
        row.save()
    Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=_queue_due(clocks))
    return clocks


def _queue_due(clocks: list[Clock]) -> datetime | None:
    """What orders the queue: the soonest due time of a running clock with a target."""
    due = [c.due_at for c in clocks if c.kind in QUEUE_CLOCKS and c.running and c.due_at]
    return min(due, default=None)


@dataclass(frozen=True)
class NewClocks:
    """A new ticket's clocks, derived before its row is written (``start_clocks``)."""

    ticket: Ticket
    clocks: list[Clock]
    now: datetime

    @property
    def due_at(self) -> datetime | None:
        return _queue_due(self.clocks)

    def store(self) -> None:
        """Write the clocks once the ticket is saved: one insert, nothing stored to compare."""
        rows = []
        for clock in self.clocks:
            row = TicketClock(ticket=self.ticket, kind=clock.kind, cycle=clock.cycle)
            _copy(clock, row, self.now)
            rows.append(row)
        TicketClock.objects.bulk_create(rows)


def start_clocks(ticket: Ticket, now: datetime) -> NewClocks:
    """The clocks of a ticket being opened at ``now``, not saved yet: what ``refresh_clocks``
    would derive right after the opening, from a timeline whose only facts are the opening at
    the ticket's level (an owner given at opening is no fact the clocks react to)."""
    clocks = derive_clocks(ticket.opened_at, ticket.level, [], policy_for(ticket), now)
    return NewClocks(ticket, clocks, now)


def _copy(clock: Clock, row: TicketClock, now: datetime) -> None:
    row.level = clock.level
    row.started_at, row.stopped_at = clock.started_at, clock.stopped_at
    row.target_minutes = int(clock.target.total_seconds() // 60) if clock.target else None
    row.counted_seconds = int(clock.counted.total_seconds())
    row.due_at, row.breached_at, row.paused_by = clock.due_at, clock.breached_at, clock.paused_by
    thresholds = [*clock.warnings_at, clock.due_at] if clock.due_at else []
    row.thresholds = [t.isoformat() for t in thresholds]
    row.next_alert_at = thresholds[row.alerts_sent] if row.alerts_sent < len(thresholds) else None
    row.computed_at = now


# The sweep ------------------------------------------------------------------------------------


def sweep(now: datetime, limit: int = 1000) -> int:
    """Say what is due: each clock whose next warning or breach time has come is claimed with
    a conditional update (so concurrent sweeps say it once) and its alert queued. Returns how
    many alerts were made."""
    due = (
        TicketClock.objects.filter(next_alert_at__lte=now)
        .order_by("next_alert_at")
        .values_list("pk", "alerts_sent", "next_alert_at")[:limit]
    )
    made = 0
    for pk, sent, alert_at in list(due):
        with transaction.atomic():
            if _claim_and_alert(pk, sent, alert_at or now, now):
                made += 1
    return made


def _claim_and_alert(pk: int, sent: int, alert_at: datetime, now: datetime) -> bool:
    """Claim the clock's most severe threshold that has come (a sweep that fell behind says
    "breached" once, not three stale messages) and queue its alert."""
    clock = TicketClock.objects.select_related("ticket").get(pk=pk)
    times = clock.threshold_times()
    index = max(i for i in range(sent, len(times)) if i == sent or times[i] <= now)
    changes: dict[str, object] = {
        "alerts_sent": index + 1,
        "next_alert_at": times[index + 1] if index + 1 < len(times) else None,
    }
    if index == len(times) - 1:  # the due time itself: breached by now
        changes["breached_at"] = times[index]
    claimed = TicketClock.objects.filter(pk=pk, alerts_sent=sent, next_alert_at=alert_at).update(
        **changes
    )
    if claimed == 1:
        _alert(clock, index, times[index])
    return claimed == 1


def _alert(clock: TicketClock, index: int, at: datetime) -> None:
    ticket = clock.ticket
    breach = index == len(clock.thresholds) - 1
    share = _share(clock, index)
    kind = EventKind.SLA_BREACHED if breach else EventKind.SLA_WARNING
    data = {
        "clock": clock.kind,
        "cycle": clock.cycle,
        "due_at": clock.due_at.isoformat() if clock.due_at else None,
    }
    if not breach:
        data["share"] = share
    TimelineEvent.objects.create(
        ticket=ticket,
        at=at,
        actor=None,
        actor_label="Premier Desk",
        kind=kind,
        visibility=Visibility.INTERNAL,
        data=data,
    )
    record(None, f"sla.{kind}", ticket, changes={"clock": [None, clock.kind]}, system="sla sweep")
    notify(
        f"sla.alert:{clock.pk}:{index}",
        _alert_audience(ticket, breach),
        "sla_breached" if breach else "sla_warning",
        {"ticket": ticket, "clock": clock, "share": share},
    )


def _share(clock: TicketClock, index: int) -> int:
    percents = SlaPolicy.objects.get(pk=1).warning_percents
    return int(percents[index]) if index < len(percents) else 100


def _alert_audience(ticket: Ticket, breach: bool) -> list[str]:
    """Warnings go to the owner (support managers while nobody owns it); a breach also to the
    office lead and, for L1, the escalation managers
    (docs/product/response-targets-and-coverage.md#warnings-and-breaches)."""
    people: set[str] = set()
    if ticket.owner is not None:
        people.add(ticket.owner.email)
    else:
        people |= set(_emails(Q(role=Role.SUPPORT_MANAGER)))
    if breach:
        if ticket.office is not None and ticket.office.lead is not None:
            people.add(ticket.office.lead.email)
        if ticket.level == Level.L1:
            people |= set(_emails(Q(role=Role.ESCALATION_MANAGER)))
    return sorted(people)


def _emails(condition: Q) -> list[str]:
    return list(User.objects.filter(condition, is_active=True).values_list("email", flat=True))
