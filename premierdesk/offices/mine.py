"""My handovers (SPEC §6), the read side of the console page: the tickets an engineer hands over
at their office's coming end of duty, with the note that will travel with each, and the
handovers they received. Which tickets go and which note counts are the handover's own rules
(``offices.actions``, whose helpers for them are called here rather than copied); this
module only asks them ahead of time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from premierdesk.accounts.models import SUPPORT_MANAGER_ROLES, User
from premierdesk.lib.coverage import Calendar, covered
from premierdesk.offices.actions import critical_tickets_of, notes_for
from premierdesk.offices.duty import LOOKAHEAD
from premierdesk.offices.models import Engineer, Handover, HandoverNote, Office
from premierdesk.offices.routing import office_hours
from premierdesk.tickets.models import OPEN_STATUSES, Ticket

# The outgoing owner writes the note in their last hour on duty.
LAST_HOUR = timedelta(hours=1)
# Acknowledged handovers stay on the page, greyed out, this long.
RECENTLY = timedelta(hours=24)
RECENT_SHOWN = 10


def end_of_duty(calendar: Calendar, now: datetime) -> datetime | None:
    """When the office next goes off duty: the end of the stretch it is on now, or of its
    next stretch when it is off duty now. None when no stretch ends within the look-ahead
    (a calendar open around the clock, or one with no hours)."""
    until = now + LOOKAHEAD
    stretches = covered(calendar, now, until)
    # Intervals are merged, so the first one is the stretch holding ``now`` or the next one;
    # one reaching ``until`` was clipped there and its real end is not known.
    if not stretches or stretches[0].end >= until:
        return None
    return stretches[0].end


def span(length: timedelta) -> str:
    """A short length of time for people: "45 min", "7 h", "2 d 3 h" (rounded up to the
    minute, so a few seconds left never reads as none)."""
    minutes = max(0, ceil(length.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


@dataclass(frozen=True)
class ToWrite:
    """One of my tickets that leaves me at ``ends_at``, and the note that would go with it."""

    ticket: Ticket
    note: HandoverNote | None
    ends_at: datetime
    now: datetime

    @property
    def left(self) -> str:
        return span(self.ends_at - self.now)

    @property
    def due_soon(self) -> bool:
        return self.ends_at - self.now <= LAST_HOUR


@dataclass(frozen=True)
class Outgoing:
    office: Office | None  # None: the viewer is not an engineer of an office
    ends_at: datetime | None  # None: the office has no end of duty in sight
    rows: list[ToWrite]


def to_write(user: User, now: datetime) -> Outgoing:
    """My open tickets that the handover would move at my office's coming end of duty."""
    engineer = Engineer.objects.select_related("office").filter(user=user).first()
    if engineer is None:
        return Outgoing(None, None, [])
    office = engineer.office
    hours = next((h for h in office_hours() if h.office_id == office.pk), None)
    ends_at = end_of_duty(hours.calendar, now) if hours is not None else None
    if ends_at is None:
        return Outgoing(office, None, [])
    # The handover's own choice of tickets, kept to mine: an engineer carries a few open
    # tickets, so the office-wide list is only read as ids.
    critical = set(critical_tickets_of(office))
    mine = Ticket.objects.filter(owner=user, status__in=OPEN_STATUSES)
    tickets = [t for t in mine.select_related("organization").order_by("pk") if t.pk in critical]
    # The note the handover would take: the owner's latest from the day before the boundary.
    notes = notes_for(tickets, ends_at) if tickets else {}
    rows = [ToWrite(t, notes.get(t.pk), ends_at, now) for t in tickets]
    return Outgoing(office, ends_at, rows)


@dataclass(frozen=True)
class Received:
    handover: Handover
    now: datetime

    @property
    def overdue(self) -> bool:
        # The same instant the lead's alert becomes due (``actions.alert_unacknowledged``).
        return self.handover.acknowledge_by <= self.now

    @property
    def left(self) -> str:
        return span(abs(self.handover.acknowledge_by - self.now))


@dataclass(frozen=True)
class Incoming:
    pending: list[Received]  # oldest first
    recent: list[Handover]  # acknowledged in the last day, newest first


def to_acknowledge(user: User, now: datetime) -> Incoming:
    """The handovers I received: those waiting for my acknowledgement, and the last ones I
    acknowledged."""
    mine = Handover.objects.filter(to_owner=user).select_related(
        "ticket__organization", "from_owner", "from_office", "to_office"
    )
    pending = mine.filter(acknowledged_at__isnull=True).order_by("at", "id")
    recent = mine.filter(acknowledged_at__gte=now - RECENTLY).order_by("-acknowledged_at", "-id")
    return Incoming([Received(h, now) for h in pending], list(recent[:RECENT_SHOWN]))


# Shown to a lead or a manager: the oldest unacknowledged handovers, and how many there are.
WATCHED_SHOWN = 50


@dataclass(frozen=True)
class Watched:
    scope: str  # "Sydney" for its lead, "every office" for a manager
    pending: list[Received]  # oldest first, at most WATCHED_SHOWN
    count: int


def waiting(user: User, now: datetime) -> Watched | None:
    """What a lead (for their office) or a support manager or administrator (for every
    office) watches: handovers nobody has acknowledged yet, the ones the lead is alerted of.
    None for anyone else."""
    unacknowledged = Handover.objects.filter(acknowledged_at__isnull=True)
    if user.role in SUPPORT_MANAGER_ROLES:
        scope = "every office"
    else:
        led = list(Office.objects.filter(lead=user).order_by("name"))
        if not led:
            return None
        scope = ", ".join(office.name for office in led)
        unacknowledged = unacknowledged.filter(to_office__in=led)
    rows = unacknowledged.select_related(
        "ticket__organization", "from_owner", "from_office", "to_owner", "to_office"
    ).order_by("acknowledge_by", "id")
    return Watched(scope, [Received(h, now) for h in rows[:WATCHED_SHOWN]], unacknowledged.count())
