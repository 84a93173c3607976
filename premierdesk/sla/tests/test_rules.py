"""Who reads which SLA figures, checked once where the rules live, for every role
(``sla.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.sla import rules
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import CUSTOMERS, ROLES

pytestmark = pytest.mark.django_db
world = roles.world


@pytest.mark.parametrize("role", ROLES)
def test_every_clock_for_vendor_roles_the_first_response_for_customers(world, role):
    assert rules.may_read_every_clock(world[role]) is (role not in CUSTOMERS)
