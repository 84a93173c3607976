"""Keeping each ticket's clocks up to date, and the sweep that warns before a breach and
announces it. Clocks are derived from the ticket's own timeline (``sla.clocks``); what is
stored is a cache for sorting the queue and for the sweep's indexed scan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from premierdesk.accounts.models import Role, User
from premierdesk.audit.actions import record_each
from premierdesk.audit.queries import Changes
from premierdesk.catalog.models import Level
from premierdesk.notifications.actions import Notice, notify_all
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
    for row in rows_to_store(ticket.pk, clocks, stored, now):
        row.save()
    Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=queue_due_at(clocks))
    return clocks


def rows_to_store(
    ticket_id: int,
    clocks: list[Clock],
    stored: dict[tuple[str, int], TicketClock],
    now: datetime,
) -> list[TicketClock]:
    """The ticket's clock rows as ``clocks`` give them (``stored`` by kind and cycle, new
    rows unsaved), leaving out each settled clock: it keeps the figures it stopped with."""
    rows = []
    for clock in clocks:
        row = stored.get((clock.kind, clock.cycle)) or TicketClock(
            ticket_id=ticket_id, kind=clock.kind, cycle=clock.cycle
        )
        if not is_settled(row, clock):
            _copy(clock, row, now)
            rows.append(row)
    return rows


def queue_due_at(clocks: list[Clock]) -> datetime | None:
    """What the queue sorts the ticket by: the earliest due time of its running clocks."""
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
        return queue_due_at(self.clocks)

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

# Clocks claimed and alerted in one transaction: few enough that a batch holds its tickets for
# a moment only, many enough that a few hundred alerts are a few statements.
SWEEP_BATCH = 250


class ClaimLost(RuntimeError):
    """A clock the sweep had locked changed before its claim (nothing was written)."""


@dataclass(frozen=True)
class _Claim:
    clock: TicketClock
    index: int  # the threshold said: a warning, or the last one, the breach
    at: datetime
    next_at: datetime | None  # the threshold after it, if any

    @property
    def breach(self) -> bool:
        return self.index == len(self.clock.thresholds) - 1


def sweep(now: datetime, limit: int = 1000, *, batch: int = SWEEP_BATCH) -> int:
    """Say what is due: each clock whose next warning or breach time has come is claimed and
    its alert queued, at most ``limit``. Clocks go ``batch`` at a time, each batch one
    transaction: its tickets locked as a ticket's change locks them (skipping those another
    sweep or change holds: they come next time), its claims one conditional update, then its
    timeline events, audit entries and e-mails written together. A failure rolls the batch
    back, claims included, so its alerts come at the next sweep: none lost, none said twice.
    Returns how many alerts were made."""
    if _first_due(now) is None:
        return 0
    alerts = _Alerts()
    made = 0
    while made < limit:
        with transaction.atomic():
            claims = [_claim_of(clock, now) for clock in _lock_due(now, min(batch, limit - made))]
            if not claims:
                break
            _claim(claims)
            alerts.write(claims)
        made += len(claims)
    return made


def _first_due(now: datetime) -> int | None:
    """The clock due first, if any: in due order, so both databases read it off the
    ``clock_alert_due`` index (an unordered EXISTS lets PostgreSQL's planner, expecting many
    rows to match, scan the table for the one that is not there)."""
    due = TicketClock.objects.filter(next_alert_at__lte=now).order_by("next_alert_at")
    return due.values_list("pk", flat=True).first()


def _lock_due(now: datetime, size: int) -> list[TicketClock]:
    """The first ``size`` due clocks of tickets this transaction could lock. A clock changes
    only under its ticket's lock (``refresh_clocks`` runs inside the ticket's change), so
    while the lock is held the clock is as read."""
    due = TicketClock.objects.filter(next_alert_at__lte=now).order_by("next_alert_at", "pk")
    locked = Ticket.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        pk__in=due.values("ticket_id")[:size]
    )
    tickets = list(locked.values_list("pk", flat=True))
    return list(
        due.filter(ticket_id__in=tickets).select_related(
            "ticket__owner", "ticket__office__lead", "ticket__organization"
        )[:size]
    )


def _claim_of(clock: TicketClock, now: datetime) -> _Claim:
    """The clock's most severe threshold that has come (a sweep that fell behind says
    "breached" once, not three stale messages)."""
    times = clock.threshold_times()
    sent = clock.alerts_sent
    index = max(i for i in range(sent, len(times)) if i == sent or times[i] <= now)
    return _Claim(clock, index, times[index], times[index + 1] if index + 1 < len(times) else None)


def _claim(claims: list[_Claim]) -> None:
    """Claim every clock in one UPDATE, each on the condition that it still stands where it
    was read (so a second sweep cannot claim it too), and move it to its next threshold:
    written by hand, since the ORM's CASE arms and OR-ed conditions cost more to build than
    the alerts they claim."""
    db = transaction.get_connection()
    name, instant = db.ops.quote_name, db.ops.adapt_datetimefield_value
    params: list[object] = []

    def each(column: str, arms: list[tuple[int, object]], otherwise: str = "NULL") -> str:
        """``column`` set to each clock's own value, by id (``otherwise`` for the rest)."""
        if not arms:
            return f"{name(column)} = {otherwise}"
        for arm in arms:
            params.extend(arm)
        whens = " ".join("WHEN %s THEN %s" for _ in arms)
        return f"{name(column)} = CASE {name('id')} {whens} ELSE {otherwise} END"

    changes = ", ".join(
        [
            each("alerts_sent", [(c.clock.pk, c.index + 1) for c in claims]),
            each("next_alert_at", [(c.clock.pk, instant(c.next_at)) for c in claims if c.next_at]),
            # The due time itself has come: breached by now.
            each(
                "breached_at",
                [(c.clock.pk, instant(c.at)) for c in claims if c.breach],
                otherwise=name("breached_at"),
            ),
        ]
    )
    # The ids alone first, so the database finds the rows by key (SQLite scans the table for
    # a row value IN alone).
    params.extend(c.clock.pk for c in claims)
    for c in claims:
        params.extend([c.clock.pk, c.clock.alerts_sent, instant(c.clock.next_alert_at)])
    ids = ", ".join("%s" for _ in claims)
    stood = ", ".join("(%s, %s, %s)" for _ in claims)
    columns = ", ".join(name(column) for column in ("id", "alerts_sent", "next_alert_at"))
    where = f"{name('id')} IN ({ids}) AND ({columns}) IN (VALUES {stood})"
    # Only quoted names go into the text; every value is a parameter.
    sql = f"UPDATE {name(TicketClock._meta.db_table)} SET {changes} WHERE {where}"  # noqa: S608
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        claimed = cursor.rowcount
    if claimed != len(claims):
        raise ClaimLost(f"{len(claims) - claimed} of {len(claims)} locked clocks changed.")


class _Alerts:
    """What a sweep says of its claims: the ticket's internal timeline event, the audit
    entry and the e-mails, each kind written in one go. The SLA policy's warnings and the
    managers to tell are read once per sweep, when first needed."""

    def __init__(self) -> None:
        self._percents: list[int] | None = None
        self._emails: dict[Role, list[str]] = {}

    def write(self, claims: list[_Claim]) -> None:
        TimelineEvent.objects.bulk_create([self._event(c) for c in claims])
        record_each(None, [self._entry(c) for c in claims], system="sla sweep")
        notify_all([self._notice(c) for c in claims])

    def _kind(self, claim: _Claim) -> EventKind:
        return EventKind.SLA_BREACHED if claim.breach else EventKind.SLA_WARNING

    def _event(self, claim: _Claim) -> TimelineEvent:
        clock = claim.clock
        data = {
            "clock": clock.kind,
            "cycle": clock.cycle,
            "due_at": clock.due_at.isoformat() if clock.due_at else None,
        }
        if not claim.breach:
            data["share"] = self._share(claim.index)
        return TimelineEvent(
            ticket=clock.ticket,
            at=claim.at,
            actor=None,
            actor_label="Premier Desk",
            kind=self._kind(claim),
            visibility=Visibility.INTERNAL,
            data=data,
        )

    def _entry(self, claim: _Claim) -> tuple[str, Ticket, Changes]:
        return f"sla.{self._kind(claim)}", claim.clock.ticket, {"clock": [None, claim.clock.kind]}

    def _notice(self, claim: _Claim) -> Notice:
        clock = claim.clock
        return Notice(
            f"sla.alert:{clock.pk}:{claim.index}",
            self._audience(clock.ticket, claim.breach),
            "sla_breached" if claim.breach else "sla_warning",
            {"ticket": clock.ticket, "clock": clock, "share": self._share(claim.index)},
        )

    def _share(self, index: int) -> int:
        if self._percents is None:
            self._percents = SlaPolicy.objects.get(pk=1).warning_percents
        percents = self._percents
        return int(percents[index]) if index < len(percents) else 100

    def _audience(self, ticket: Ticket, breach: bool) -> list[str]:
        """Warnings go to the owner (support managers while nobody owns it); a breach also to
        the office lead and, for L1, the escalation managers
        (docs/product/response-targets-and-coverage.md#warnings-and-breaches)."""
        people: set[str] = set()
        if ticket.owner is not None:
            people.add(ticket.owner.email)
        else:
            people |= set(self._active(Role.SUPPORT_MANAGER))
        if breach:
            if ticket.office is not None and ticket.office.lead is not None:
                people.add(ticket.office.lead.email)
            if ticket.level == Level.L1:
                people |= set(self._active(Role.ESCALATION_MANAGER))
        return sorted(people)

    def _active(self, role: Role) -> list[str]:
        if role not in self._emails:
            people = User.objects.filter(role=role, is_active=True)
            self._emails[role] = list(people.values_list("email", flat=True))
        return self._emails[role]
