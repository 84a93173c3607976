"""Follow the sun (SPEC §6): handover notes, the handover at each office's end of day, its
acknowledgement, and the alert when nobody acknowledges in time. Configuration edits made in
the admin are saved (and audited) by premierdesk.audit.actions.save_configuration."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record
from premierdesk.lib.coverage import covered
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.notifications.actions import notify
from premierdesk.offices.models import Engineer, Handover, HandoverNote, HandoverRun, Office
from premierdesk.offices.routing import office_hours, route
from premierdesk.sla.policy import policy_for, service_week
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.models import OPEN_STATUSES, EventKind, Ticket, TicketPolicy
from premierdesk.tickets.rules import readable_ticket

# How far back the scheduler looks for ends of duty it has not handed over yet.
CATCH_UP = timedelta(hours=12)
SUMMARY_EVENTS = 5


@transaction.atomic
def write_handover_note(
    actor: User, key: str, *, status: str, next_steps: str, customer_availability: str = ""
) -> HandoverNote:
    """The outgoing owner's note for the next office; the latest one is used at handover."""
    ticket = readable_ticket(actor, key, timezone.now())
    if ticket.owner_id != actor.pk:
        raise NotAllowed(f"Only {ticket.key}'s owner writes its handover note.")
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
    """Hand over every office whose day ended in the last hours and was not handed over yet.
    Returns how many tickets changed hands."""
    offices = {o.pk: o for o in Office.objects.filter(calendar__isnull=False)}
    boundaries = []
    for hours in office_hours():
        # Look past ``now`` so a stretch still running is not mistaken for one ending now.
        for interval in covered(hours.calendar, now - CATCH_UP, now + timedelta(days=1)):
            if now - CATCH_UP < interval.end <= now:
                boundaries.append((interval.end, offices[hours.office_id]))
    # Oldest first: a scheduler catching up replays the day in the order it happened.
    return sum(
        _hand_over_boundary(office, end, now)
        for end, office in sorted(boundaries, key=lambda b: (b[0], b[1].pk))
    )


def _hand_over_boundary(office: Office, boundary: datetime, now: datetime) -> int:
    try:
        with transaction.atomic():
            run = HandoverRun.objects.create(office=office, boundary_at=boundary, started_at=now)
    except IntegrityError:
        return 0  # another scheduler has this boundary
    moved = 0
    for ticket_id in _critical_tickets_of(office):
        with transaction.atomic():
            moved += _hand_over_ticket(ticket_id, run)
    return moved


def _critical_tickets_of(office: Office) -> list[int]:
    critical = Q(level="L1") | Q(level="L2", follow_the_sun=True)
    tickets = Ticket.objects.filter(
        critical, status__in=OPEN_STATUSES, owner__engineer__office=office
    )
    return list(tickets.order_by("pk").values_list("pk", flat=True))


def _hand_over_ticket(ticket_id: int, run: HandoverRun) -> int:
    locked = Ticket.objects.select_for_update(of=("self",))
    ticket = locked.select_related("owner", "product").get(pk=ticket_id)
    previous = ticket.owner
    if previous is None or getattr(previous, "engineer", None) is None:
        return 0
    if previous.engineer.office_id != run.office_id or not ticket.is_open:
        return 0  # moved or closed since the list was read
    if _owned_since(ticket) > run.boundary_at:
        return 0  # it reached this owner after that end of day (a run catching up)
    receiver = _receiver(ticket, run.boundary_at)
    if receiver is None or receiver.user_id == previous.pk:
        return 0  # nobody else can take it: it stays with its owner
    note = HandoverNote.objects.filter(ticket=ticket, author=previous).first()
    if note is not None and note.written_at < run.boundary_at - timedelta(hours=24):
        note = None  # yesterday's note says nothing about today
    summary = _note_text(note) if note else _summary(ticket)
    ticket_actions.hand_over(ticket, receiver.user, receiver.office, run.started_at, summary)
    policy = TicketPolicy.current()
    handover = Handover.objects.create(
        ticket=ticket,
        run=run,
        at=run.started_at,
        from_owner=previous,
        to_owner=receiver.user,
        from_office=run.office,
        to_office=receiver.office,
        note=note,
        summary=summary,
        flagged=note is None,
        acknowledge_by=run.started_at + timedelta(minutes=policy.handover_ack_minutes),
    )
    notify(
        f"offices.handover:{handover.pk}",
        [receiver.user.email],
        "handover",
        {"ticket": ticket, "handover": handover},
    )
    return 1


def _owned_since(ticket: Ticket) -> datetime:
    """When the ticket reached its current owner."""
    kinds = [EventKind.OWNER_CHANGED, EventKind.HANDED_OVER]
    last = ticket.events.filter(kind__in=kinds).order_by("-at", "-id").first()
    return last.at if last is not None else ticket.opened_at


def _receiver(ticket: Ticket, at: datetime) -> Engineer | None:
    """Who takes the ticket at the boundary: the routing rules, at that instant."""
    found = route(
        ticket.product_id,
        ticket.level,
        at,
        service_week=service_week(),
        level_calendar=policy_for(ticket).calendar_for(ticket.level),
    )
    return found.engineer


def _note_text(note: HandoverNote) -> str:
    parts = [f"Status: {note.status}", f"Next steps: {note.next_steps}"]
    if note.customer_availability:
        parts.append(f"Customer availability: {note.customer_availability}")
    return "\n".join(parts)


def _summary(ticket: Ticket) -> str:
    """Without a note, the ticket's last events say where it stands (flagged for review)."""
    events = ticket.events.exclude(kind=EventKind.HANDOVER_NOTE).order_by("-at", "-id")
    lines = [
        f"{e.at:%Y-%m-%d %H:%M} UTC {e.get_kind_display().lower()} by {e.actor_label}"
        for e in events[:SUMMARY_EVENTS]
    ]
    head = f"No handover note was written. {ticket.get_status_display()}, {ticket.level}."
    return "\n".join([head, "Last events:", *lines])


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


def alert_unacknowledged(now: datetime) -> int:
    """Tell the receiving office's lead of each handover nobody acknowledged in time; each is
    claimed by a conditional update, so concurrent runs alert once."""
    due = Handover.objects.filter(
        acknowledge_by__lte=now, acknowledged_at__isnull=True, lead_alerted_at__isnull=True
    ).values_list("pk", flat=True)
    alerted = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Handover.objects.filter(
                pk=pk, acknowledged_at__isnull=True, lead_alerted_at__isnull=True
            ).update(lead_alerted_at=now)
            if claimed == 1:
                _alert_lead(Handover.objects.select_related("to_office__lead", "ticket").get(pk=pk))
                alerted += 1
    return alerted


def _alert_lead(handover: Handover) -> None:
    lead = handover.to_office.lead
    record(None, "offices.handover_unacknowledged", handover, system="follow the sun")
    if lead is not None:
        notify(
            f"offices.handover_unacknowledged:{handover.pk}",
            [lead.email],
            "handover_unacknowledged",
            {"ticket": handover.ticket, "handover": handover},
        )
