"""A demo day of follow the sun, played at the real time the demo loads: the support manager
marks the open L2 tickets on production to follow the sun, the owners write handover notes on some
of their critical tickets (a handover without one is flagged), and an office on duty closes
early, so the console shows handovers to acknowledge at once. From then
on the scheduler of `make run` hands every office over at its end of day.

Before that, whatever the hour, the two engineers the README names each have a handover
waiting for their acknowledgement: a critical ticket opened a few hours before the latest end
of day (in the last week) of an office that handed over to their office, played at those
instants (``waiting_for``), so its handover, the receivers' e-mail and the lead's alert 30
minutes later happened then.

All of it goes through the actions, so the timeline, the audit trail and the e-mails are those
of a real day. Loaded on a weekend, or when one office alone is on duty, nobody closes early:
the notes wait for the next end of day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.catalog.models import Level, Product
from premierdesk.customers.models import License
from premierdesk.demo.history import at
from premierdesk.demo.tickets import PHONES
from premierdesk.lib.coverage import covered
from premierdesk.offices import actions as offices
from premierdesk.offices.duty import OfficeHours, duty_at, on_duty
from premierdesk.offices.models import Engineer, Office
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


# The engineers the README names, each with a handover waiting, and the customer whose critical
# ticket it is (an organization in a nearby zone).
WAITING_FOR = (
    ("olivia.nguyen@premier.example", "ruby@tasman.example", "after the nightly maintenance"),
    ("sanne.devries@premier.example", "alan@kestrel.example", "since the certificate renewal"),
)
LOOK_BACK = timedelta(days=8)  # long enough to reach a working day past any weekend and holiday
SETTLED = timedelta(hours=1)  # the handover happened at least this long before the load
OPENED_BEFORE = timedelta(hours=3)


@dataclass(frozen=True)
class Scene:
    boundary: datetime  # when the office handing over goes off duty
    owner: User  # its engineer who owned the ticket
    receiver: User
    contact: User
    product: Product
    since: str  # what the customer says it followed
    closes_early: OfficeHours | None = None  # the office leaving early at ``boundary``, if so


def waiting_for(manager: User, now: datetime) -> list[str]:
    """Give each engineer of ``WAITING_FOR`` a handover to acknowledge: at the latest end of day
    of the last week that routing hands to them, or else at an office closing early before
    theirs. Returns the e-mails of those neither reaches (none in the demo world)."""
    hours = office_hours()
    scenes, missing = [], []
    for receiver_email, contact_email, since in WAITING_FOR:
        found = _scene(hours, receiver_email, contact_email, since, now)
        if found is None:
            missing.append(receiver_email)
        else:
            scenes.append(found)
    if not scenes:
        return missing
    # From the first ticket on, every end of day is handed over at its own instant, as the
    # scheduler does, so a ticket moves on with the sun and each handover is dated right.
    # Up to the load, so today's own handovers start from where the scheduler would be.
    first = min(s.boundary for s in scenes) - OPENED_BEFORE
    ends = {
        interval.end
        for office in hours
        for interval in covered(office.calendar, first, now + timedelta(days=1))
        if interval.end < now
    }
    events: list[tuple[datetime, int, Scene | None]] = [
        (s.boundary - OPENED_BEFORE, 0, s) for s in scenes
    ]
    events += [(end, 1, None) for end in ends]
    events += [(s.boundary, 1, s) for s in scenes if s.closes_early is not None]
    for instant, order, scene in sorted(events, key=lambda e: (e[0], e[1])):
        if scene is None:
            _day_ends(instant)
        elif order == 0:
            _open(manager, scene)
        else:
            _closes_early(manager, scene)
    return missing


def _scene(
    hours: list[OfficeHours], receiver_email: str, contact_email: str, since: str, now: datetime
) -> Scene | None:
    """The latest end of day of another office, a settled while ago, at which routing hands a
    critical ticket of some product to the receiver: their office is the first on duty with
    someone skilled in it, and they are the only one of their office who is."""
    receiver = User.objects.select_related("engineer").get(email=receiver_email)
    contact = User.objects.get(email=contact_email)
    license = License.objects.get(organization=contact.organization)
    products = list(license.products.filter(covered=True).order_by("slug"))
    skilled = {
        p.pk: list(Engineer.objects.filter(skills=p).select_related("user").order_by("pk"))
        for p in products
    }
    ends = [
        (interval.end, office)
        for office in hours
        for interval in covered(office.calendar, now - LOOK_BACK, now + timedelta(days=1))
        if interval.end <= now - SETTLED and office.office_id != receiver.engineer.office_id
    ]
    for boundary, leaving in sorted(ends, key=lambda b: b[0], reverse=True):
        found = _handed_to(hours, skilled, products, receiver, leaving, boundary)
        if found is not None:
            owner, product = found
            return Scene(boundary, owner, receiver, contact, product, since)
    # No end of day reaches them (Amsterdam in the northern summer: São Paulo, on duty later,
    # is always first): an office on duty before theirs closes early, on the hour.
    latest = (now - SETTLED).replace(minute=0, second=0, microsecond=0)
    for hour in range(int(LOOK_BACK / timedelta(hours=1))):
        instant = latest - timedelta(hours=hour)
        for leaving in hours:
            if leaving.office_id == receiver.engineer.office_id:
                continue
            if (
                duty_at(leaving, instant) is None
                or duty_at(leaving, instant - OPENED_BEFORE) is None
            ):
                continue
            found = _handed_to(hours, skilled, products, receiver, leaving, instant)
            if found is not None:
                owner, product = found
                return Scene(instant, owner, receiver, contact, product, since, leaving)
    return None


def _handed_to(
    hours: list[OfficeHours],
    skilled: dict[int, list[Engineer]],
    products: list[Product],
    receiver: User,
    leaving: OfficeHours,
    instant: datetime,
) -> tuple[User, Product] | None:
    """An engineer of ``leaving`` and a product whose critical ticket routing hands to
    ``receiver`` when ``leaving`` goes off duty at ``instant``, if there is one."""
    duties = [d for d in on_duty(hours, instant) if d.office.office_id != leaving.office_id]
    for product in products:
        knowing = skilled[product.pk]
        owners = [e for e in knowing if e.office_id == leaving.office_id]
        chosen = next(
            (d for d in duties if any(e.office_id == d.office.office_id for e in knowing)), None
        )
        there = [e.user_id for e in knowing if chosen and e.office_id == chosen.office.office_id]
        if owners and there == [receiver.pk]:
            return owners[0].user, product
    return None


def _open(manager: User, scene: Scene) -> None:
    license = License.objects.select_related("organization").get(
        organization=scene.contact.organization
    )
    with at(scene.boundary - OPENED_BEFORE) as clock:
        ticket = tickets.open_ticket(
            scene.contact,
            tickets.TicketInput(
                sen=license.sen,
                product=scene.product.slug,
                product_version="10.3.2",
                environment=Environment.PRODUCTION,
                level=Level.L1,
                summary=f"{scene.product.name} unavailable {scene.since}",
                description=f"Nobody can sign in {scene.since}; the service answers 500 on "
                "every page. Production is down for the whole company.",
            ),
        )
        if ticket.owner_id != scene.owner.pk:
            tickets.assign_owner(manager, ticket.key, owner_email=scene.owner.email)
        clock.shift(timedelta(minutes=12))
        tickets.add_comment(
            scene.owner,
            ticket.key,
            body="We are on it. Please send the application log from the last restart, and "
            "tell us what changed just before.",
        )
        tickets.transition(scene.owner, ticket.key, to=Status.IN_PROGRESS)
        clock.shift(timedelta(minutes=8))
        tickets.log_call(
            scene.owner,
            ticket.key,
            tickets.CallInput(
                direction="inbound",
                phone_number=PHONES[license.organization.slug],
                spoke_with=scene.contact.full_name,
                started_at=timezone.now(),
                duration_minutes=20,
                notes="Went through the restart together; the schema upgrade stopped halfway.",
            ),
        )
        clock.shift(timedelta(hours=2))
        offices.write_handover_note(
            scene.owner,
            ticket.key,
            status="The last restart left the service's database schema half upgraded.",
            next_steps="Finish the upgrade task from the log's last step, then restart.",
            customer_availability="Their on-call administrator answers the phone all night.",
        )


def _closes_early(manager: User, scene: Scene) -> None:
    assert scene.closes_early is not None
    office = Office.objects.get(pk=scene.closes_early.office_id)
    with at(scene.boundary):
        offices.close_early(manager, office.slug, reason=CLOSE_REASON.format(office=office.name))
    with at(scene.boundary + timedelta(minutes=31)):
        offices.alert_unacknowledged(timezone.now())


def _day_ends(boundary: datetime) -> None:
    """An office's day ends: its critical tickets go over, and half an hour later the lead of
    each receiving office hears of those nobody acknowledged (the scheduler's two jobs)."""
    with at(boundary):
        offices.hand_over_due(boundary)
    with at(boundary + timedelta(minutes=31)):
        offices.alert_unacknowledged(timezone.now())


def load(manager: User) -> None:
    _mark_follow_the_sun(manager)
    _write_notes()
    _close_first_leaving(manager)


def _open_tickets() -> QuerySet[Ticket]:
    return Ticket.objects.filter(status__in=OPEN_STATUSES, owner__engineer__isnull=False)


def _mark_follow_the_sun(manager: User) -> None:
    """Open L2 tickets on production follow the sun: a production system is down to a
    workaround and the customer works on it around the clock."""
    production_l2 = _open_tickets().filter(level=Level.L2, environment=Environment.PRODUCTION)
    for ticket in production_l2.order_by("pk"):
        tickets.set_follow_the_sun(manager, ticket.key, on=True, reason=MARK_REASON)


def _write_notes() -> None:
    """Every other critical ticket gets its owner's note; the rest go over with a summary."""
    critical = _open_tickets().filter(Q(level=Level.L1) | Q(level=Level.L2, follow_the_sun=True))
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
    owners = _open_tickets().filter(Q(level=Level.L1) | Q(level=Level.L2, follow_the_sun=True))
    owned = Counter(owners.values_list("owner__engineer__office_id", flat=True))
    leaving = [d for d in reversed(duties[1:]) if owned[d.office.office_id]]
    if leaving:
        chosen = max(leaving, key=lambda d: owned[d.office.office_id])  # first of the most
        office = Office.objects.get(pk=chosen.office.office_id)
        offices.close_early(manager, office.slug, reason=CLOSE_REASON.format(office=office.name))
