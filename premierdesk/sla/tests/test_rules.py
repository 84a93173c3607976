"""Who reads which SLA figures, checked once where the rules live, for every role
(``sla.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.lib.errors import NotAllowed
from premierdesk.sla import rules
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import CUSTOMERS, ROLES, assert_pair, only

pytestmark = pytest.mark.django_db
world = roles.world


@pytest.mark.parametrize("role", ROLES)
def test_every_clock_for_vendor_roles_the_first_response_for_customers(world, role):
    assert rules.may_read_every_clock(world[role]) is (role not in CUSTOMERS)


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"enterprise_manager", "escalation_manager", "support_manager", "administrator"},
        (NotAllowed, "Reports are for support, enterprise and escalation managers."),
    ),
)
def test_read_the_attainment(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_attainment(user),
        lambda: rules.require_read_attainment(user),
    )
