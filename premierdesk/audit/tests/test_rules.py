"""Who reads the audit trail, checked once where the rule lives, for every role
(``audit.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.audit import rules
from premierdesk.lib.errors import NotAllowed
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import assert_pair, only

pytestmark = pytest.mark.django_db
world = roles.world


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"support_manager", "administrator"},
        (NotAllowed, "The audit trail is read by support managers and administrators."),
    ),
)
def test_read_the_trail(world, role, expected):
    user = world[role]
    assert_pair(
        expected, lambda: rules.may_read_trail(user), lambda: rules.require_read_trail(user)
    )


def test_a_deactivated_support_manager_reads_no_trail(world):
    manager = world["support_manager"]
    manager.is_active = False
    assert_pair(
        (NotAllowed, "The audit trail is read by"),
        lambda: rules.may_read_trail(manager),
        lambda: rules.require_read_trail(manager),
    )
