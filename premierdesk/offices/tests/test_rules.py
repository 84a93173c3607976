"""The office rules, each pair checked once where it lives: for every role, what ``may_…``
offers and what its ``require_…`` twin refuses (``offices.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.lib.errors import NotAllowed
from premierdesk.offices import rules
from premierdesk.offices.tests.factories import OfficeFactory
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import CUSTOMERS, ROLES, assert_pair, only

pytestmark = pytest.mark.django_db
world = roles.world


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"support_manager", "administrator"},
        (NotAllowed, "Only a support manager or Sydney's lead closes it early."),
    ),
)
def test_close_an_office_early(world, role, expected):
    user, office = world[role], world.office
    assert_pair(
        expected,
        lambda: rules.may_close_early(user, office),
        lambda: rules.require_close_early(user, office),
    )


def test_a_lead_closes_their_own_office_early_and_no_other(world):
    lead = world["support_engineer"]
    world.office.lead = lead
    amsterdam = OfficeFactory.create(name="Amsterdam")
    assert_pair(
        True,
        lambda: rules.may_close_early(lead, world.office),
        lambda: rules.require_close_early(lead, world.office),
    )
    assert_pair(
        (NotAllowed, "Only a support manager or Amsterdam's lead closes it early."),
        lambda: rules.may_close_early(lead, amsterdam),
        lambda: rules.require_close_early(lead, amsterdam),
    )


@pytest.mark.parametrize(
    ("role", "runs"), [(r, r in {"support_manager", "administrator"}) for r in ROLES]
)
def test_who_runs_every_office(world, role, runs):
    assert rules.runs_every_office(world[role]) is runs


@pytest.mark.parametrize(
    ("role", "expected"),
    only({"support_engineer"}, (NotAllowed, "Only PS-1's owner writes its handover note.")),
)
def test_write_a_tickets_handover_note(world, role, expected):
    user, ticket = world[role], world.ticket
    assert ticket.owner == world["support_engineer"]
    assert_pair(
        expected,
        lambda: rules.may_write_handover_note(user, ticket),
        lambda: rules.require_write_handover_note(user, ticket),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"support_engineer", "escalation_manager", "support_manager", "administrator"},
        (NotAllowed, "Handovers and handover notes are read by support engineers"),
    ),
)
def test_read_the_handovers(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_handovers(user),
        lambda: rules.require_read_handovers(user),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(set(ROLES) - CUSTOMERS, (NotAllowed, "The rota is for Premier Support staff.")),
)
def test_read_the_rota(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_rota(user),
        lambda: rules.require_read_rota(user),
    )
