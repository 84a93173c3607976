"""Follow the sun (docs/product/follow-the-sun.md#handover): handover notes, the handover at each
office's end of day, its acknowledgement, and the alert when nobody acknowledges in time.
Configuration edits made in the admin are saved (and audited) by
premierdesk.audit.actions.save_configuration."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record, record_many
from premierdesk.calendars.models import CalendarException
from premierdesk.catalog.models import Level
from premierdesk.lib import bulk
from premierdesk.lib.coverage import Calendar, covered
from premierdesk.lib.errors import Conflict, InvalidInput, NotFound
from premierdesk.notifications.actions import notify_each, notify_of_action
from premierdesk.offices.models import Handover, HandoverNote, HandoverRun, Office
from premierdesk.offices.queries import critical_tickets_of, notes_for
from premierdesk.offices.routing import Router, office_hours
from premierdesk.offices.rules import require_close_early, require_write_handover_note
from premierdesk.sla.policy import policy_for, service_week
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.models import (
    KEY_PREFIX,
    EventKind,
    Status,
    Ticket,
    TicketPolicy,
    TimelineEvent,
)
from premierdesk.tickets.rules import readable_ticket

# How far back the scheduler looks for ends of duty it has not handed over yet.
CATCH_UP = timedelta(hours=12)
SUMMARY_EVENTS = 5
# Tickets handed over per transaction, and how long a run may go silent before another
# scheduler takes it to be crashed and finishes it.
CHUNK = 2000
LEASE = timedelta(minutes=5)


@transaction.atomic
def write_handover_note(
    actor: User, key: str, *, status: str, next_steps: str, customer_availability: str = ""
) -> HandoverNote:
    """The outgoing owner's note for the next office; the latest one is used at handover."""
    ticket = readable_ticket(actor, key, timezone.now())
    require_write_handover_note(actor, ticket)
    if not status.strip() or not next_steps.strip():
        field = "status" if not status.strip() else "next_steps"
        raise InvalidInput.on_field(field, "Say where the ticket stands and what comes next.")
    note = HandoverNote.objects.create(
        ticket=ticket,
        author=actor,
        status=status.strip(),
        next_steps=next_steps.strip(),
        customer_availability=customer_availability.strip(),
        written_at=timezone.now(),
    )
    record(actor, "offices.handover_note_written", note)
    return note


def hand_over_due(now: datetime) -> int:
    """Hand over every office whose day ended in the last hours and was not handed over yet,
    and finish any run a crashed scheduler left half done. Returns how many tickets changed
    hands."""
    offices = {o.pk: o for o in Office.objects.filter(calendar__isnull=False)}
    boundaries = []
    for hours in office_hours():
        # Look past ``now`` so a stretch still running is not mistaken for one ending now.
        for interval in covered(hours.calendar, now - CATCH_UP, now + timedelta(days=1)):
            if now - CATCH_UP < interval.end <= now:
                boundaries.append((interval.end, offices[hours.office_id]))
    moved = sum(_resume(run, now) for run in _stalled_runs(now))
    # Oldest first: a scheduler catching up replays the day in the order it happened.
    for end, office in sorted(boundaries, key=lambda b: (b[0], b[1].pk)):
        run = _claim(office, end, now)
        if run is not None:
            moved += _carry_out(run, now)
    return moved


def _claim(office: Office, boundary: datetime, now: datetime) -> HandoverRun | None:
    """The run for this end of day, or None when another scheduler has it already."""
    try:
        with transaction.atomic():
            return HandoverRun.objects.create(
                office=office, boundary_at=boundary, started_at=now, lease_until=now + LEASE
            )
    except IntegrityError:
        return None


def close_early(actor: User, slug: str, *, reason: str) -> int:
    """An office closing early (a power cut, a local emergency, an all-hands): a support
    manager or the office's lead closes its calendar from now to the end of today's hours,
    so routing passes it by, and its day ends now: its critical tickets are handed over at
    once, as at any end of day. Returns how many tickets changed hands."""
    office = Office.objects.select_related("calendar").filter(slug=slug).first()
    if office is None or office.calendar is None:
        known = Office.objects.filter(calendar__isnull=False).order_by("slug")
        names = ", ".join(known.values_list("slug", flat=True))
        raise NotFound(f"There is no office {slug!r} with working hours; the offices are: {names}.")
    require_close_early(actor, office)
    if not reason.strip():
        raise InvalidInput.on_field("reason", f"Say why {office.name} closes early.")
    now = timezone.now()
    today = list(covered(office.calendar.as_calendar(), now, now + timedelta(days=1)))
    if not today or today[0].start > now:
        raise Conflict(f"{office.name} is not on duty now; there is nothing to close.")
    with transaction.atomic():
        closed = CalendarException.objects.create(
            calendar=office.calendar,
            opens=False,
            starts_at=now,
            ends_at=today[0].end,
            label=f"Closed early: {reason.strip()}"[:100],
        )
        record(
            actor,
            "offices.closed_early",
            office,
            reason=reason.strip(),
            changes={
                "closed": [None, f"{closed.starts_at:%Y-%m-%d %H:%M} to {closed.ends_at:%H:%M} UTC"]
            },
        )
    return hand_over_due(now)


def _stalled_runs(now: datetime) -> list[HandoverRun]:
    """Runs that never finished and whose scheduler has not renewed its lease: it crashed."""
    stalled = HandoverRun.objects.filter(finished_at__isnull=True, lease_until__lt=now)
    return list(stalled.select_related("office").order_by("boundary_at", "pk"))


def _resume(run: HandoverRun, now: datetime) -> int:
    """Take a stalled run over (one scheduler wins the conditional update) and finish it.
    Tickets it had already handed over are with their new office, so they are not moved
    twice."""
    claimed = HandoverRun.objects.filter(
        pk=run.pk, finished_at__isnull=True, lease_until=run.lease_until
    ).update(lease_until=now + LEASE)
    return _carry_out(run, now) if claimed else 0


def _carry_out(run: HandoverRun, now: datetime) -> int:
    """Hand the office's critical tickets over, a chunk per transaction (a crash loses at
    most the chunk in flight, which the next run redoes), then tell each receiver once."""
    router, calendars = Router(leaving=run.office_id), _LevelCalendars()
    ids = critical_tickets_of(run.office)
    moved = 0
    for first in range(0, len(ids), CHUNK):
        with transaction.atomic():
            moved += _hand_over_chunk(run, ids[first : first + CHUNK], router, calendars, now)
            HandoverRun.objects.filter(pk=run.pk).update(lease_until=timezone.now() + LEASE)
    with transaction.atomic():
        _tell_receivers(run)
        HandoverRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return moved


def _hand_over_chunk(
    run: HandoverRun,
    ids: list[int],
    router: Router,
    calendars: _LevelCalendars,
    now: datetime,
) -> int:
    locked = Ticket.objects.select_for_update(of=("self",)).filter(pk__among=ids).order_by("pk")
    # Thousands of tickets share a few owners, offices and licenses: each is read once.
    tickets = list(locked.only(*_READ).prefetch_related("owner__engineer", "office", "license"))
    since = _owned_since(tickets)
    leaving = [t for t in tickets if _still_leaving(t, run, since[t.pk])]
    notes = notes_for(leaving, run.boundary_at)
    summaries = _summaries([t for t in leaving if t.pk not in notes])
    week = service_week()
    ack_minutes = TicketPolicy.current().handover_ack_minutes
    owner_changes, handovers = [], []
    for ticket in leaving:
        previous = ticket.owner.engineer  # type: ignore[union-attr]
        found = router.route(
            ticket.product_id,
            ticket.level,
            run.boundary_at,
            service_week=week,
            level_calendar=calendars.of(ticket),
        )
        receiver = found.engineer
        if receiver is None or receiver.pk == previous.pk:
            if receiver is not None:
                router.released(receiver, ticket.level)  # it stays: counted once already
            continue  # nobody else can take it: it stays with its owner
        router.released(previous, ticket.level)
        note = notes.get(ticket.pk)
        summary = _note_text(note) if note else summaries[ticket.pk]
        owner_changes.append(
            ticket_actions.OwnerChange(
                ticket, receiver.user, receiver.office_id, receiver.office.name, summary
            )
        )
        handovers.append(  # a plain row: thousands are written
            {
                "ticket_id": ticket.pk,
                "run_id": run.pk,
                "at": now,
                "from_owner_id": previous.user_id,
                "to_owner_id": receiver.user_id,
                "from_office_id": run.office_id,
                "to_office_id": receiver.office_id,
                "note_id": note.pk if note else None,
                "summary": summary,
                "flagged": note is None,
                "acknowledge_by": now + timedelta(minutes=ack_minutes),
            }
        )
    ticket_actions.hand_over(owner_changes, now)
    bulk.insert_rows(Handover, handovers)
    return len(handovers)


# What a handover reads of each ticket: whose it is, where it stands, what routes it (product,
# level, and the calendar rules' offering and organization), and its summary for the audit
# trail. Reading no more than this is most of the cost of reading thousands.
_READ = (
    "product",
    "level",
    "status",
    "opened_at",
    "summary",
    "organization",
    "license",
    "owner",
    "office",
)


class _LevelCalendars:
    """Each ticket's coverage calendar at its level, read once per kind of ticket in a run:
    the calendar rules match on offering, product, organization and level only."""

    def __init__(self) -> None:
        self._found: dict[tuple[int, int, int, str], Calendar] = {}

    def of(self, ticket: Ticket) -> Calendar:
        key = (ticket.license.offering_id, ticket.product_id, ticket.organization_id, ticket.level)
        if key not in self._found:
            self._found[key] = policy_for(ticket).calendar_for(ticket.level)
        return self._found[key]


def _still_leaving(ticket: Ticket, run: HandoverRun, owned_since: datetime) -> bool:
    """Whether the ticket is still the leaving office's: the list was read before the lock,
    and a run catching up skips tickets that reached their owner after that end of day."""
    engineer = getattr(ticket.owner, "engineer", None) if ticket.owner else None
    if engineer is None or engineer.office_id != run.office_id or not ticket.is_open:
        return False
    return owned_since <= run.boundary_at


def _owned_since(tickets: list[Ticket]) -> dict[int, datetime]:
    """When each ticket reached its current owner: its last change of owner, or its opening."""
    kinds = [EventKind.OWNER_CHANGED, EventKind.HANDED_OVER]
    last = dict(
        TimelineEvent.objects.filter(ticket__among=[t.pk for t in tickets], kind__in=kinds)
        .values("ticket")
        .annotate(last=Max("at"))
        .values_list("ticket", "last")
    )
    return {t.pk: last.get(t.pk, t.opened_at) for t in tickets}


def _note_text(note: HandoverNote) -> str:
    parts = [f"Status: {note.status}", f"Next steps: {note.next_steps}"]
    if note.customer_availability:
        parts.append(f"Customer availability: {note.customer_availability}")
    return "\n".join(parts)


def _summaries(tickets: list[Ticket]) -> dict[int, str]:
    """Without a note, each ticket's last events say where it stands (flagged for review);
    one query for all of them, the last few events of each by a window."""
    latest = Window(
        RowNumber(), partition_by=[F("ticket_id")], order_by=[F("at").desc(), F("id").desc()]
    )
    events = (
        TimelineEvent.objects.filter(ticket__among=[t.pk for t in tickets])
        .exclude(kind=EventKind.HANDOVER_NOTE)
        .annotate(rank=latest)
        .filter(rank__lte=SUMMARY_EVENTS)
        .order_by("ticket_id", "rank")
    )
    # Labels looked up once, not through get_FIELD_display for each of thousands of rows.
    kinds, statuses = _labels(EventKind.choices), _labels(Status.choices)
    lines: dict[int, list[str]] = {t.pk: [] for t in tickets}
    for ticket_id, at, kind, actor_label in events.values_list(
        "ticket_id", "at", "kind", "actor_label"
    ):
        label = kinds.get(kind, kind)
        lines[ticket_id].append(f"{at:%Y-%m-%d %H:%M} UTC {label.lower()} by {actor_label}")
    return {
        t.pk: "\n".join(
            [
                f"No handover note was written. {statuses.get(t.status, t.status)}, {t.level}.",
                "Last events:",
                *lines[t.pk],
            ]
        )
        for t in tickets
    }


def _labels(choices: list[tuple[str, str]]) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _tell_receivers(run: HandoverRun) -> None:
    """One e-mail per receiver per end of day, listing every ticket they took over (an
    office closing with many critical tickets must not send a message per ticket). Keyed by
    the run, so a resumed run does not say it twice. The handovers are read as plain rows:
    an end of day lists thousands."""
    levels = _labels(Level.choices)
    rows = run.handovers.order_by("ticket_id").values(
        "ticket_id",
        "summary",
        "acknowledge_by",
        receiver=F("to_owner__email"),
        ticket_summary=F("ticket__summary"),
        level=F("ticket__level"),
        organization=F("ticket__organization__name"),
        from_name=F("from_owner__full_name"),
    )
    by_receiver: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        line: dict[str, Any] = {**row, "key": f"{KEY_PREFIX}{row['ticket_id']}"}
        line["level"] = levels.get(row["level"], row["level"])
        by_receiver.setdefault(row["receiver"], []).append(line)
    notify_each(
        f"offices.handover:{run.pk}",
        "handover",
        {
            email: {"run": run, "handovers": received, "first": received[0]}
            for email, received in by_receiver.items()
        },
    )


@transaction.atomic
def acknowledge(actor: User, handover_id: int) -> Handover:
    handover = Handover.objects.select_for_update().filter(pk=handover_id).first()
    if handover is None or handover.to_owner_id != actor.pk:
        raise NotFound(f"You have no handover {handover_id} to acknowledge.")
    if handover.acknowledged_at is not None:
        raise Conflict("You have already acknowledged this handover.")
    handover.acknowledged_at = timezone.now()
    handover.save(update_fields=["acknowledged_at"])
    record(actor, "offices.handover_acknowledged", handover)
    return handover


def alert_unacknowledged(now: datetime, limit: int = 5000) -> int:
    """Tell each receiving office's lead, once per end of day, of the handovers nobody
    acknowledged in time. The rows are claimed under lock, so concurrent runs alert once.
    Returns how many handovers were reported."""
    due = Handover.objects.filter(
        acknowledge_by__lte=now, acknowledged_at__isnull=True, lead_alerted_at__isnull=True
    )
    groups = due.values_list("run_id", "to_office_id").distinct().order_by("run_id")
    return sum(_alert_lead(run_id, office_id, now) for run_id, office_id in list(groups[:limit]))


@transaction.atomic
def _alert_lead(run_id: int, office_id: int, now: datetime) -> int:
    unacknowledged = (
        Handover.objects.select_for_update(of=("self",))
        .filter(
            run_id=run_id,
            to_office_id=office_id,
            acknowledge_by__lte=now,
            acknowledged_at__isnull=True,
            lead_alerted_at__isnull=True,
        )
        .select_related("ticket", "to_owner", "to_office__lead")
        .order_by("ticket_id")
    )
    handovers = list(unacknowledged)
    if not handovers:
        return 0  # another run claimed them
    Handover.objects.filter(pk__in=[h.pk for h in handovers]).update(lead_alerted_at=now)
    action = "offices.handover_unacknowledged"
    record_many(None, action, [(h, {}) for h in handovers], system="follow the sun")
    lead = handovers[0].to_office.lead
    if lead is not None:
        notify_of_action(
            action,
            (run_id, office_id, handovers[0].pk),
            [lead.email],
            {"handovers": handovers, "first": handovers[0], "office": handovers[0].to_office},
        )
    return len(handovers)
