"""Who reads the reports and of which organizations, checked once where the rule lives, for
every role (``reports.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.lib.errors import NotAllowed
from premierdesk.reports import rules
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import assert_pair, only

pytestmark = pytest.mark.django_db
world = roles.world
MANAGERS = {"enterprise_manager", "escalation_manager", "support_manager", "administrator"}


@pytest.mark.parametrize(
    ("role", "expected"),
    only(MANAGERS, (NotAllowed, "Reports are for support, enterprise and escalation managers.")),
)
def test_read_the_reports(world, role, expected):
    user = world[role]
    assert_pair(
        expected, lambda: rules.may_read_reports(user), lambda: rules.require_read_reports(user)
    )


@pytest.mark.parametrize("role", sorted(MANAGERS))
def test_an_enterprise_managers_figures_are_their_organizations(world, role):
    counted = rules.report_organizations(world[role])
    assert counted == ([world.organization.pk] if role == "enterprise_manager" else None)
