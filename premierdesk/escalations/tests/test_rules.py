"""The "more help" rules, each pair checked once where it lives, for every role
(``escalations.rules``): who escalates, asks for a callback or asks the developers, who
resolves, closes and answers what was asked, and who reads the lists."""

from __future__ import annotations

import pytest

from premierdesk.escalations import actions, rules
from premierdesk.lib.errors import Conflict, NotAllowed
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import (
    CUSTOMERS,
    NOW,
    ROLES,
    TICKET_STAFF,
    assert_pair,
    only,
)

pytestmark = pytest.mark.django_db
world = roles.world

IN_CHARGE = TICKET_STAFF | {"named_contact"}
CALLBACK = actions.CallbackInput(wants="support_manager", complaint="Slow.", phone="+1 555 0100")


def _not_in_charge(what: str) -> tuple[type[NotAllowed], str]:
    return (
        NotAllowed,
        f"Only PS-1's named contacts, the person who opened it and Premier Support {what}",
    )


@pytest.mark.parametrize(("role", "expected"), only(IN_CHARGE, _not_in_charge("escalate it")))
def test_escalate(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_escalate(user, ticket, NOW),
        lambda: rules.require_escalate(user, ticket, NOW),
    )


def test_a_ticket_is_escalated_once_at_a_time_and_never_when_closed(world):
    grace, ticket = world["named_contact"], world.ticket
    actions.escalate(grace, ticket.key, reason="critical_bug")
    assert_pair(
        (Conflict, "PS-1 is already escalated"),
        lambda: rules.may_escalate(world["support_engineer"], ticket, NOW),
        lambda: rules.require_escalate(world["support_engineer"], ticket, NOW),
    )
    ticket_actions.transition(grace, ticket.key, to="resolved")
    closed = ticket_actions.transition(grace, ticket.key, to="closed")
    assert_pair(
        (Conflict, "PS-1 is closed. Open a new ticket"),
        lambda: rules.may_escalate(grace, closed, NOW),
        lambda: rules.require_escalate(grace, closed, NOW),
    )


@pytest.mark.parametrize(
    ("role", "expected"), only(IN_CHARGE, _not_in_charge("ask for a manager callback"))
)
def test_ask_for_a_callback(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_request_callback(user, ticket, NOW),
        lambda: rules.require_request_callback(user, ticket, NOW),
    )


def test_one_open_callback_each(world):
    grace, ticket = world["named_contact"], world.ticket
    actions.request_callback(grace, ticket.key, CALLBACK)
    assert_pair(
        (Conflict, "You already asked for a callback on PS-1"),
        lambda: rules.may_request_callback(grace, ticket, NOW),
        lambda: rules.require_request_callback(grace, ticket, NOW),
    )
    assert rules.may_request_callback(world["support_engineer"], ticket, NOW)


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        TICKET_STAFF,
        (NotAllowed, "Only Premier Support staff ask the developers for help on PS-1."),
    ),
)
def test_ask_the_developers(world, role, expected):
    user, ticket = world[role], world.ticket
    assert_pair(
        expected,
        lambda: rules.may_ask_developers(user, ticket),
        lambda: rules.require_ask_developers(user, ticket),
    )


def test_nobody_asks_the_developers_about_a_resolved_ticket(world):
    resolved = ticket_actions.transition(world["named_contact"], world.ticket.key, to="resolved")
    assert_pair(
        (Conflict, "PS-1 is resolved; reopen it first."),
        lambda: rules.may_ask_developers(world["support_engineer"], resolved),
        lambda: rules.require_ask_developers(world["support_engineer"], resolved),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"escalation_manager", "support_manager"},
        (
            NotAllowed,
            "is resolved by its escalation manager, Erin Escalation, or a support manager",
        ),
    ),
)
def test_resolve_an_escalation(world, role, expected):
    escalation = actions.escalate(world["named_contact"], world.ticket.key, reason="critical_bug")
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_resolve_escalation(user, escalation),
        lambda: rules.require_resolve_escalation(user, escalation),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"support_manager"},
        (NotAllowed, "is closed by Sam Manager, who was asked to call, or a support manager"),
    ),
)
def test_close_a_callback(world, role, expected):
    callback = actions.request_callback(world["named_contact"], world.ticket.key, CALLBACK)
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_close_callback(user, callback),
        lambda: rules.require_close_callback(user, callback),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only({"developer"}, (NotAllowed, "Only members of Jira developers answer request")),
)
def test_answer_a_developer_assistance_request(world, role, expected):
    asked = actions.ask_developers(
        world["support_engineer"], world.ticket.key, actions.AssistanceInput(question="Why?")
    )
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_answer_request(user, asked),
        lambda: rules.require_answer_request(user, asked),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        TICKET_STAFF, (NotAllowed, "Only Premier Support staff who work tickets see escalations.")
    ),
)
def test_read_the_escalations(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_escalations(user),
        lambda: rules.require_read_escalations(user),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        TICKET_STAFF | CUSTOMERS,
        (NotAllowed, "Callbacks are seen by the customers who ask and by support staff."),
    ),
)
def test_read_the_callbacks(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_callbacks(user),
        lambda: rules.require_read_callbacks(user),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        set(ROLES) - CUSTOMERS,
        (NotAllowed, "Developer assistance is seen by the developer teams and support staff."),
    ),
)
def test_read_the_developer_assistance(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_assistance(user),
        lambda: rules.require_read_assistance(user),
    )
