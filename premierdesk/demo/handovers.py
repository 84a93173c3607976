"""A demo day of follow the sun, played at the real time the demo loads: the support manager
marks the open L2 tickets on production to follow the sun, the owners write handover notes on some
of their critical tickets (a handover without one is flagged), and an office on duty closes
early, so the console shows handovers to acknowledge at once. From then
on the scheduler of `make run` hands every office over at its end of day.

All of it goes through the actions, so the timeline, the audit trail and the e-mails are those
of a real day. Loaded on a weekend, or when one office alone is on duty, nobody closes early:
the notes wait for the next end of day."""

from __future__ import annotations

from collections import Counter

from django.db.models import Q, QuerySet
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.offices import actions as offices
from premierdesk.offices.duty import on_duty
from premierdesk.offices.models import Office
from premierdesk.offices.routing import office_hours
from premierdesk.tickets import actions as tickets
from premierdesk.tickets.models import OPEN_STATUSES, Environment, Status, Ticket

MARK_REASON = "Production runs on a workaround; the customer works on it around the clock."
CLOSE_REASON = "Demo: {office} leaves early for its all-hands; the offices on duty take over."

# What an owner writes at the end of the day, by where the ticket stands.
NOTES = {
    Status.IN_PROGRESS: (
        "Reproduced; the cause is narrowed down in the internal notes.",
        "Confirm the fix on the customer's staging node, then schedule production.",
        "Reachable by phone until 18:00 their time; e-mail after.",
    ),
    Status.WAITING_FOR_CUSTOMER: (
        "Waiting for the customer's logs from the failing node.",
        "Read the logs as soon as they arrive; the collection steps are in my last comment.",
        "They said they will upload overnight.",
    ),
}


def load(manager: User) -> None:
    _mark_follow_the_sun(manager)
    _write_notes()
    _close_first_leaving(manager)


def _open_tickets() -> QuerySet[Ticket]:
    return Ticket.objects.filter(status__in=OPEN_STATUSES, owner__engineer__isnull=False)


def _mark_follow_the_sun(manager: User) -> None:
    """Open L2 tickets on production follow the sun: a production system is down to a
    workaround and the customer works on it around the clock."""
    production_l2 = _open_tickets().filter(level="L2", environment=Environment.PRODUCTION)
    for ticket in production_l2.order_by("pk"):
        tickets.set_follow_the_sun(manager, ticket.key, on=True, reason=MARK_REASON)


def _write_notes() -> None:
    """Every other critical ticket gets its owner's note; the rest go over with a summary."""
    critical = _open_tickets().filter(Q(level="L1") | Q(level="L2", follow_the_sun=True))
    for n, ticket in enumerate(critical.select_related("owner").order_by("pk")):
        note = NOTES.get(Status(ticket.status))
        if note is not None and n % 2 == 0 and ticket.owner is not None:
            status, next_steps, availability = note
            offices.write_handover_note(
                ticket.owner,
                ticket.key,
                status=status,
                next_steps=next_steps,
                customer_availability=availability,
            )


def _close_first_leaving(manager: User) -> None:
    """Of the offices on duty but the one staying longest, the one owning the most critical
    tickets (the soonest to leave on a tie) closes early; the others take its tickets."""
    duties = on_duty(office_hours(), timezone.now())  # the one staying longest first
    owners = _open_tickets().filter(Q(level="L1") | Q(level="L2", follow_the_sun=True))
    owned = Counter(owners.values_list("owner__engineer__office_id", flat=True))
    leaving = [d for d in reversed(duties[1:]) if owned[d.office.office_id]]
    if leaving:
        chosen = max(leaving, key=lambda d: owned[d.office.office_id])  # first of the most
        office = Office.objects.get(pk=chosen.office.office_id)
        offices.close_early(manager, office.slug, reason=CLOSE_REASON.format(office=office.name))
