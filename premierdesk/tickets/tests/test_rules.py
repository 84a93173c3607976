"""The ticket rules, each pair checked once where it lives: for every role, what ``may_…``
offers and what its ``require_…`` twin refuses (``tickets.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.catalog.models import Level
from premierdesk.lib.errors import Conflict, NotAllowed
from premierdesk.tickets import actions, rules
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import (
    NOW,
    ROLES,
    TICKET_STAFF,
    Expected,
    assert_pair,
    only,
    table,
)

pytestmark = pytest.mark.django_db
world = roles.world

DEVELOPERS = (NotAllowed, "Developers read")
PARTICIPANTS = (NotAllowed, "Participants see and comment")


IN_CHARGE = table(
    named_contact=True,
    participant=PARTICIPANTS,
    support_engineer=True,
    enterprise_manager=True,
    escalation_manager=True,
    support_manager=True,
    developer=DEVELOPERS,
    administrator=True,
)
ALL_BUT_DEVELOPERS = table(
    named_contact=True,
    participant=True,
    support_engineer=True,
    enterprise_manager=True,
    escalation_manager=True,
    support_manager=True,
    developer=DEVELOPERS,
    administrator=True,
)


@pytest.mark.parametrize(
    ("role", "expected"),
    only(TICKET_STAFF, (NotAllowed, "Only Premier Support staff who work tickets see the ticket")),
)
def test_work_tickets(world, role, expected):
    user = world[role]
    assert_pair(
        expected, lambda: rules.is_ticket_staff(user), lambda: rules.require_work_tickets(user)
    )


@pytest.mark.parametrize(("role", "expected"), ALL_BUT_DEVELOPERS)
def test_change_tickets(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_change_tickets(user),
        lambda: rules.require_change_tickets(user, ticket),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    table(
        named_contact=True,
        participant=(NotAllowed, "Only the named contacts of Northwind Logistics's licenses"),
        **{
            role: (NotAllowed, "Premier tickets are opened by the customer's named contacts")
            for role in ROLES
            if role not in ("named_contact", "participant")
        },
    ),
)
def test_open_ticket(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_open_ticket(user, NOW),
        lambda: rules.require_open_ticket(user, NOW),
    )


@pytest.mark.parametrize(("role", "expected"), IN_CHARGE)
def test_add_participant(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_add_participant(user, ticket, NOW),
        lambda: rules.require_add_participant(user, ticket, NOW),
    )


@pytest.mark.parametrize(("role", "expected"), IN_CHARGE)
def test_change_level(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_change_level(user, ticket, NOW),
        lambda: rules.require_change_level(user, ticket, NOW),
    )


def test_the_level_of_a_resolved_ticket_stays_until_it_is_reopened(world):
    resolved = actions.transition(world["named_contact"], world.ticket.key, to="resolved")
    assert_pair(
        (Conflict, "is resolved; reopen it first"),
        lambda: rules.may_change_level(world["support_engineer"], resolved, NOW),
        lambda: rules.require_change_level(world["support_engineer"], resolved, NOW),
    )


@pytest.mark.parametrize(("role", "expected"), ALL_BUT_DEVELOPERS)
def test_comment(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_comment(user, ticket),
        lambda: rules.require_comment(user, ticket),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        TICKET_STAFF,
        (NotAllowed, "Only Premier Support staff write internal comments"),
        developer=DEVELOPERS,
    ),
)
def test_internal_comment(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_comment(user, ticket, internal=True),
        lambda: rules.require_comment(user, ticket, internal=True),
    )


def test_nobody_comments_on_a_closed_ticket(world):
    closed = _closed(world)
    for user in (world["named_contact"], world["support_engineer"], world["administrator"]):
        _assert_no_comment(user, closed)


def _assert_no_comment(user, closed: Ticket) -> None:
    assert_pair(
        (Conflict, "is closed. Open a new ticket and mention"),
        lambda: rules.may_comment(user, closed),
        lambda: rules.require_comment(user, closed),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    table(
        named_contact=True,
        **{
            role: (NotAllowed, "Only the author of a comment can edit it.")
            for role in ROLES
            if role != "named_contact"
        },
    ),
)
def test_edit_comment(world, role, expected):
    comment = actions.add_comment(world["named_contact"], world.ticket.key, body="It is slow.")
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_edit_comment(user, comment),
        lambda: rules.require_edit_comment(user, comment),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(TICKET_STAFF, (NotAllowed, "Only Premier Support staff log phone calls")),
)
def test_log_call(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_log_call(user),
        lambda: rules.require_log_call(user, ticket),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(TICKET_STAFF, (NotAllowed, "Only Premier Support staff assign owners")),
)
def test_assign_owner(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_assign_owner(user),
        lambda: rules.require_assign_owner(user, ticket),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(TICKET_STAFF, (NotAllowed, "Only Premier Support staff mark or unmark follow the sun")),
)
def test_mark_follow_the_sun(world, role, expected):
    user, ticket = world[role], world.ticket
    assert ticket.level == Level.L2
    assert_pair(
        expected,
        lambda: rules.may_mark_follow_the_sun(user, ticket),
        lambda: rules.require_mark_follow_the_sun(user, ticket),
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (Level.L1, (Conflict, "L1 tickets always follow the sun")),
        (Level.L2, True),
        (Level.L3, (Conflict, "Raise it to L2 first")),
        (Level.L4, (Conflict, "Raise it to L2 first")),
    ],
)
def test_only_l2_has_the_choice_to_follow_the_sun(world, level, expected):
    ticket = world.ticket
    ticket.level = level
    staff = world["support_engineer"]
    assert_pair(
        expected,
        lambda: rules.may_mark_follow_the_sun(staff, ticket),
        lambda: rules.require_mark_follow_the_sun(staff, ticket),
    )
    assert rules.always_follows_the_sun(ticket) is (level == Level.L1)


def test_which_tickets_an_end_of_day_hands_over(world):
    ticket = world.ticket

    def following() -> list[Ticket]:
        return list(Ticket.objects.filter(rules.FOLLOWS_THE_SUN))

    assert following() == []  # L2, not marked
    actions.set_follow_the_sun(world["support_engineer"], ticket.key, on=True)
    assert following() == [ticket]
    actions.change_level(world["named_contact"], ticket.key, level="L3")  # unmarks it
    assert following() == []
    actions.change_level(world["named_contact"], ticket.key, level="L1")
    assert following() == [ticket]


@pytest.mark.parametrize(("role", "expected"), ALL_BUT_DEVELOPERS)
def test_attach(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_attach(user, ticket),
        lambda: rules.require_attach(user, ticket),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        TICKET_STAFF,
        (NotAllowed, "Only Premier Support staff attach internal files"),
        developer=DEVELOPERS,
    ),
)
def test_attach_internal_files(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_attach(user, ticket, internal=True),
        lambda: rules.require_attach(user, ticket, internal=True),
    )


def test_nobody_attaches_to_a_closed_ticket(world):
    closed = _closed(world)
    assert_pair(
        (Conflict, "is closed. Open a new ticket and attach the file there."),
        lambda: rules.may_attach(world["support_engineer"], closed),
        lambda: rules.require_attach(world["support_engineer"], closed),
    )


STAFF_MOVES = [Status.IN_PROGRESS, Status.WAITING_FOR_CUSTOMER, Status.RESOLVED]


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("named_contact", [Status.RESOLVED]),
        ("participant", []),
        ("support_engineer", STAFF_MOVES),
        ("enterprise_manager", STAFF_MOVES),
        ("escalation_manager", STAFF_MOVES),
        ("support_manager", STAFF_MOVES),
        ("developer", []),
        ("administrator", STAFF_MOVES),
    ],
)
def test_the_moves_offered_from_waiting_for_support(world, role, offered):
    assert world.ticket.status == Status.WAITING_FOR_SUPPORT
    assert rules.offered_moves(world[role], world.ticket, NOW) == offered


@pytest.mark.parametrize(
    ("role", "expected"),
    table(
        named_contact=True,
        participant=(NotAllowed, "they do not change its status"),
        support_engineer=True,
        enterprise_manager=True,
        escalation_manager=True,
        support_manager=True,
        developer=DEVELOPERS,
        administrator=True,
    ),
)
def test_move_to_resolved(world, role, expected):
    _assert_move(world, role, Status.RESOLVED, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    table(
        named_contact=(NotAllowed, "Only Premier Support staff can move"),
        participant=(NotAllowed, "they do not change its status"),
        support_engineer=True,
        enterprise_manager=True,
        escalation_manager=True,
        support_manager=True,
        developer=DEVELOPERS,
        administrator=True,
    ),
)
def test_move_to_in_progress(world, role, expected):
    _assert_move(world, role, Status.IN_PROGRESS, expected)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "developer"])
def test_no_role_moves_a_ticket_where_the_table_has_no_move(world, role):
    _assert_move(world, role, Status.CLOSED, (Conflict, "it cannot become closed"))


def test_only_the_idle_job_makes_a_ticket_inactive(world):
    staff = world["support_engineer"]
    waiting = actions.transition(staff, world.ticket.key, to="waiting_for_customer")
    assert_pair(
        (NotAllowed, "Only Premier Desk itself can move"),
        lambda: rules.may_move(staff, waiting, Status.INACTIVE, NOW),
        lambda: rules.require_move(staff, waiting, Status.INACTIVE, NOW),
    )


def _assert_move(world, role: str, to: Status, expected: Expected) -> None:
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_move(user, ticket, to, NOW),
        lambda: rules.require_move(user, ticket, to, NOW),
    )


def _closed(world) -> Ticket:
    key = world.ticket.key
    actions.transition(world["named_contact"], key, to="resolved")
    return actions.transition(world["named_contact"], key, to="closed")
