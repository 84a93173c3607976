"""The coarse role rules, each pair checked once where it lives, for every role
(``accounts.rules``): the staff console, the administration, revoking an API token."""

from __future__ import annotations

import pytest

from premierdesk.accounts import actions, rules
from premierdesk.lib.errors import NotAllowed, NotFound
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import CUSTOMERS, ROLES, assert_pair, only

pytestmark = pytest.mark.django_db
world = roles.world


@pytest.mark.parametrize(
    ("role", "expected"),
    only(set(ROLES) - CUSTOMERS, (NotAllowed, "Only Premier Support staff can see this.")),
)
def test_use_the_staff_console(world, role, expected):
    user = world[role]
    assert_pair(expected, lambda: rules.may_use_console(user), lambda: rules.require_staff(user))


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_administer(world, role):
    assert rules.may_administer(world[role]) is (role == "administrator")


@pytest.mark.parametrize(
    ("role", "expected"),
    only({"named_contact", "administrator"}, (NotFound, "You have no API token with id")),
)
def test_revoke_grace_s_token(world, role, expected):
    token, _ = actions.create_api_token(world["named_contact"], "monitoring")
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_revoke_token(user, token),
        lambda: rules.require_revoke_token(user, token, token.pk),
    )


def test_a_token_that_is_not_there_answers_like_anothers(world):
    with pytest.raises(NotFound, match=r"You have no API token with id 999\."):
        rules.require_revoke_token(world["administrator"], None, 999)
