"""Who may do what on a ticket, and which status may follow which: the rules every entry point
(pages, API, jobs) goes through, written once."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from premierdesk.accounts.models import EVERY_CUSTOMER_ROLES, TICKET_STAFF_ROLES, Role, User
from premierdesk.catalog.models import Level
from premierdesk.customers.models import ContactRole, LicenseContact, Organization
from premierdesk.customers.rules import (
    is_named_contact,
    named_contact_licenses,
    require_named_contact_of_any,
)
from premierdesk.lib import readings
from premierdesk.lib.errors import Conflict, NotAllowed, NotFound, passes
from premierdesk.tickets.models import KEY_PREFIX, Comment, Participant, Status, Ticket


def is_ticket_staff(user: User) -> bool:
    return user.is_active and user.role in TICKET_STAFF_ROLES


def require_work_tickets(user: User) -> None:
    """The ticket queue is for those who work tickets (``is_ticket_staff``)."""
    if not is_ticket_staff(user):
        raise NotAllowed("Only Premier Support staff who work tickets see the ticket queue.")


def reads_all_tickets(user: User) -> bool:
    """Enterprise managers read the tickets of the organizations they manage; developers
    those their teams are asked about (docs/access.md)."""
    return user.is_active and user.role in EVERY_CUSTOMER_ROLES


def managed_organizations(user: User) -> list[int] | None:
    """The organizations whose tickets (and licenses, spaces, services, reports) ``user``
    reads as their enterprise manager; None for a role that is not limited this way."""
    if user.role != Role.ENTERPRISE_MANAGER:
        return None
    return list(Organization.objects.filter(enterprise_manager=user).values_list("pk", flat=True))


def may_read_internal(user: User) -> bool:
    """Internal comments, attachments, timeline events and call notes: read by every vendor
    role on the tickets it may read (``visible_tickets``); never by a customer."""
    return user.is_active and user.is_support_staff


def may_change_tickets(user: User) -> bool:
    """Developers read the tickets their teams are asked about and answer on the assistance
    request; they change nothing on the ticket itself."""
    return user.is_active and user.role != Role.DEVELOPER


def require_change_tickets(user: User, ticket: Ticket) -> None:
    if not may_change_tickets(user):
        raise NotAllowed(
            f"Developers read {ticket.key}; answer on its developer-assistance request instead."
        )


def may_open_ticket(user: User, at: datetime) -> bool:
    """Whether ``user`` is offered "Open a ticket": an active named contact of one of their
    organization's licenses (that it is Premier and valid, the product and the level are
    checked when the ticket is opened)."""
    return is_named_contact(user, at)


def require_open_ticket(user: User, at: datetime) -> None:
    require_named_contact_of_any(
        user,
        at,
        to="open Premier tickets",
        staff="Premier tickets are opened by the customer's named contacts with their own "
        "accounts; staff work them from the ticket queue.",
    )


def licenses_in_charge(user: User, at: datetime) -> list[int]:
    """Licenses whose tickets a customer sees in full: as an active named contact, or as a
    technical contact (docs/product/tickets.md#who-sees-a-ticket)."""
    technical = readings.read_once(
        ("tickets.technical_contact_licenses", user.pk),
        lambda: list(
            LicenseContact.objects.filter(person=user, role=ContactRole.TECHNICAL).values_list(
                "license_id", flat=True
            )
        ),
    )
    return sorted({*named_contact_licenses(user, at), *technical})


def visible_tickets(user: User, at: datetime) -> QuerySet[Ticket]:
    """Every ticket ``user`` may see (docs/access.md). Support engineers, escalation and
    support managers, administrators: all. An enterprise manager: those of the organizations
    they manage. A developer: those their teams were asked about. A customer: the tickets
    they opened, those they take part in, and all tickets of the licenses they are in charge
    of."""
    if not user.is_active:
        return Ticket.objects.none()
    if reads_all_tickets(user):
        return Ticket.objects.all()
    if user.role == Role.ENTERPRISE_MANAGER:
        return Ticket.objects.filter(organization__enterprise_manager=user)
    if user.role == Role.DEVELOPER:
        asked = Ticket.objects.filter(assistance_requests__team__members=user)
        return Ticket.objects.filter(pk__in=asked.values("pk"))
    if not user.is_customer:
        return Ticket.objects.none()
    # Taking part is asked as a subquery, not a join: a join repeats a ticket for each of its
    # rows, and the DISTINCT that removes them made the database build and sort every
    # visible ticket before the first page (30 ms for a customer with 3,000 tickets).
    taking_part = Participant.objects.filter(person=user).values("ticket_id")
    return Ticket.objects.filter(
        Q(opened_by=user) | Q(pk__in=taking_part) | Q(license_id__in=licenses_in_charge(user, at)),
        organization_id=user.organization_id or 0,
    )


def ticket_number(key: str) -> int:
    key = key.strip().upper()
    digits = key.removeprefix(KEY_PREFIX)
    if not key.startswith(KEY_PREFIX) or not digits.isdigit():
        raise NotFound(f"{key} is not a ticket key; keys look like {KEY_PREFIX}1234.")
    return int(digits)


def no_such_ticket(key: str) -> NotFound:
    return NotFound(f"There is no ticket {key.strip().upper()}, or it is not yours to see.")


def may_read_ticket(user: User, ticket: Ticket, at: datetime) -> bool:
    return visible_tickets(user, at).filter(pk=ticket.pk).exists()


def readable_ticket(user: User, key: str, at: datetime, *, related: tuple[str, ...] = ()) -> Ticket:
    """The ticket if ``user`` may see it, with its ``related`` rows read in the same query;
    otherwise it answers like one that does not exist."""
    visible = visible_tickets(user, at).select_related(*related)
    found = visible.filter(pk=ticket_number(key)).first()
    if found is None:
        raise no_such_ticket(key)
    return found


def in_charge(user: User, ticket: Ticket, at: datetime) -> bool:
    """Staff, and on the customer's side the opener, the license's active named contacts and
    its technical contacts: they may change level, add participants, resolve and reopen.
    Participants only see and comment."""
    if is_ticket_staff(user):
        return True
    if not user.is_customer or user.organization_id != ticket.organization_id:
        return False
    return ticket.opened_by_id == user.pk or ticket.license_id in licenses_in_charge(user, at)


def may_add_participant(user: User, ticket: Ticket, at: datetime) -> bool:
    """Those in charge add participants; participants see and comment."""
    return may_change_tickets(user) and in_charge(user, ticket, at)


def require_add_participant(user: User, ticket: Ticket, at: datetime) -> None:
    require_change_tickets(user, ticket)
    _require_in_charge(user, ticket, at, "add participants")


def may_change_level(user: User, ticket: Ticket, at: datetime) -> bool:
    """Those in charge change the level of an open ticket."""
    return may_change_tickets(user) and in_charge(user, ticket, at) and ticket.is_open


def require_change_level(user: User, ticket: Ticket, at: datetime) -> None:
    require_change_tickets(user, ticket)
    _require_in_charge(user, ticket, at, "change its level")
    _require_open(ticket)


def _require_in_charge(user: User, ticket: Ticket, at: datetime, what: str) -> None:
    if not in_charge(user, ticket, at):
        raise NotAllowed(
            f"Participants see and comment on {ticket.key}; only its named contacts and "
            f"Premier Support {what}."
        )


def _require_open(ticket: Ticket) -> None:
    if not ticket.is_open:
        raise Conflict(f"{ticket.key} is {ticket.get_status_display().lower()}; reopen it first.")


def may_comment(user: User, ticket: Ticket, *, internal: bool = False) -> bool:
    """Whether ``user``, who sees ``ticket``, may comment on it (see ``require_comment``)."""
    return passes(lambda: require_comment(user, ticket, internal=internal))


def require_comment(user: User, ticket: Ticket, *, internal: bool = False) -> None:
    """Everyone who sees a ticket comments on it until it is closed (developers answer on
    their assistance request instead); internal comments are for staff."""
    require_change_tickets(user, ticket)
    if internal:
        _require_staff(user, ticket, "write internal comments")
    if ticket.status == Status.CLOSED:
        raise Conflict(f"{ticket.key} is closed. Open a new ticket and mention {ticket.key}.")


def may_edit_comment(user: User, comment: Comment) -> bool:
    return comment.author_id == user.pk


def require_edit_comment(user: User, comment: Comment) -> None:
    if not may_edit_comment(user, comment):
        raise NotAllowed("Only the author of a comment can edit it.")


def _require_staff(user: User, ticket: Ticket, what: str) -> None:
    if not is_ticket_staff(user):
        raise NotAllowed(f"Only Premier Support staff {what} on {ticket.key}.")


def may_log_call(user: User) -> bool:
    return is_ticket_staff(user)


def require_log_call(user: User, ticket: Ticket) -> None:
    _require_staff(user, ticket, "log phone calls")


def may_assign_owner(user: User) -> bool:
    return is_ticket_staff(user)


def require_assign_owner(user: User, ticket: Ticket) -> None:
    _require_staff(user, ticket, "assign owners")


# Follow the sun (docs/product/follow-the-sun.md#handover): L1 tickets are always handed over at an
# office's end of day, L2 tickets when staff mark them, L3 and L4 never. The tickets an end of day
# hands over:
FOLLOWS_THE_SUN = Q(level=Level.L1) | Q(level=Level.L2, follow_the_sun=True)


def always_follows_the_sun(ticket: Ticket) -> bool:
    """An L1 ticket follows the sun without being marked: there is nothing to choose."""
    return ticket.level == Level.L1


def may_mark_follow_the_sun(user: User, ticket: Ticket) -> bool:
    """Staff mark or unmark an open L2 ticket; the other levels have no choice to make."""
    return passes(lambda: require_mark_follow_the_sun(user, ticket))


def require_mark_follow_the_sun(user: User, ticket: Ticket) -> None:
    _require_staff(user, ticket, "mark or unmark follow the sun")
    _require_open(ticket)
    if always_follows_the_sun(ticket):
        raise Conflict(
            f"{ticket.key} is L1 critical: L1 tickets always follow the sun, handed over at "
            "each office's end of day. There is nothing to mark."
        )
    if ticket.level != Level.L2:
        raise Conflict(
            f"{ticket.key} is {Level(ticket.level).label}; only critical tickets are handed "
            "over at each office's end of day: L1 always, L2 when marked. Raise it to L2 "
            "first if it must follow the sun."
        )


def may_attach(user: User, ticket: Ticket, *, internal: bool = False) -> bool:
    """Whether ``user``, who sees ``ticket``, may add a file to it (see ``require_attach``)."""
    return passes(lambda: require_attach(user, ticket, internal=internal))


def require_attach(user: User, ticket: Ticket, *, internal: bool = False) -> None:
    """Everyone who sees a ticket attaches files to it until it is closed; internal files are
    for staff; developers read but add nothing. Checked before an upload is read, and again
    when it is recorded."""
    require_change_tickets(user, ticket)
    if internal:
        _require_staff(user, ticket, "attach internal files")
    if ticket.status == Status.CLOSED:
        raise Conflict(f"{ticket.key} is closed. Open a new ticket and attach the file there.")


class Side:
    STAFF = "staff"
    CUSTOMER = "customer"  # the customer in charge (see ``in_charge``)
    SYSTEM = "system"  # the idle-ticket job


S = Status
BOTH = frozenset({Side.STAFF, Side.CUSTOMER})
STAFF_ONLY = frozenset({Side.STAFF})
SYSTEM_ONLY = frozenset({Side.SYSTEM})

# Which status may follow which, and who may make the move (docs/product/tickets.md#transitions). A
# customer's public comment also moves a ticket waiting for them (or inactive) back to waiting for
# support.
TRANSITIONS: dict[Status, dict[Status, frozenset[str]]] = {
    S.WAITING_FOR_SUPPORT: {
        S.IN_PROGRESS: STAFF_ONLY,
        S.WAITING_FOR_CUSTOMER: STAFF_ONLY,
        S.RESOLVED: BOTH,
    },
    S.IN_PROGRESS: {
        S.WAITING_FOR_SUPPORT: STAFF_ONLY,
        S.WAITING_FOR_CUSTOMER: STAFF_ONLY,
        S.RESOLVED: BOTH,
    },
    S.WAITING_FOR_CUSTOMER: {
        S.IN_PROGRESS: STAFF_ONLY,
        S.WAITING_FOR_SUPPORT: BOTH,
        S.INACTIVE: SYSTEM_ONLY,
        S.RESOLVED: BOTH,
    },
    S.INACTIVE: {
        S.IN_PROGRESS: STAFF_ONLY,
        S.WAITING_FOR_SUPPORT: BOTH,
        S.RESOLVED: BOTH,
        S.CLOSED: SYSTEM_ONLY,
    },
    S.RESOLVED: {
        S.WAITING_FOR_SUPPORT: BOTH,  # reopen
        S.CLOSED: BOTH,
    },
    S.CLOSED: {},
}


def allowed_moves(current: Status, side: str) -> list[Status]:
    return [to for to, sides in TRANSITIONS[current].items() if side in sides]


def offered_moves(user: User, ticket: Ticket, at: datetime) -> list[Status]:
    """The statuses ``user`` may move ``ticket`` to now: staff all of theirs, the customer in
    charge theirs, participants (and developers) none."""
    if not may_change_tickets(user) or not in_charge(user, ticket, at):
        return []
    return allowed_moves(Status(ticket.status), _side(user))


def _side(user: User) -> str:
    return Side.STAFF if is_ticket_staff(user) else Side.CUSTOMER


def may_move(user: User, ticket: Ticket, to: Status, at: datetime) -> bool:
    return passes(lambda: require_move(user, ticket, to, at))


def require_move(user: User, ticket: Ticket, to: Status, at: datetime) -> None:
    """Refuse a move the transition table does not have, a participant's, and a move that is
    the other side's (or the idle job's)."""
    require_change_tickets(user, ticket)
    current = Status(ticket.status)
    if to not in TRANSITIONS[current]:
        raise Conflict.on_field(
            "to",
            f"{ticket.key} is {current.label.lower()}; it cannot become {to.label.lower()}.",
        )
    side = _side(user)
    if side == Side.CUSTOMER and not in_charge(user, ticket, at):
        raise NotAllowed(
            f"Participants see and comment on {ticket.key}; they do not change its status."
        )
    if to not in allowed_moves(current, side):
        who = (
            "Premier Desk itself"
            if Side.SYSTEM in TRANSITIONS[current][to]
            else "Premier Support staff"
        )
        raise NotAllowed(
            f"Only {who} can move {ticket.key} from {current.label.lower()} to {to.label.lower()}."
        )
