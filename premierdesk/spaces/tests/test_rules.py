"""Who reads and writes customer spaces, each pair checked once where it lives, for every
role (``spaces.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.customers.tests.factories import OrganizationFactory
from premierdesk.lib.errors import NotAllowed, NotFound
from premierdesk.spaces import rules
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import NOW, TICKET_STAFF, assert_pair, only

pytestmark = pytest.mark.django_db
world = roles.world

STAFF_REFUSAL = (NotAllowed, "Customer spaces are read by Premier Support staff who work tickets.")


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        TICKET_STAFF | {"named_contact"},
        STAFF_REFUSAL,
        participant=(NotAllowed, "Northwind Logistics's space is read by its named, billing"),
    ),
)
def test_read_a_space(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_space(user, NOW),
        lambda: rules.require_read_space(user, NOW),
    )


@pytest.mark.parametrize(("role", "expected"), only(TICKET_STAFF, STAFF_REFUSAL))
def test_read_the_consoles_spaces(world, role, expected):
    user = world[role]
    assert_pair(
        expected, lambda: rules.may_read_spaces(user), lambda: rules.require_read_spaces(user)
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        TICKET_STAFF,
        (NotAllowed, "Only Premier Support staff (support engineers, managers and administrators)"),
    ),
)
def test_write_northwinds_space(world, role, expected):
    user, slug = world[role], world.organization.slug
    assert_pair(
        expected,
        lambda: rules.may_write_spaces(user),
        lambda: rules.require_write_space(user, slug),
    )


def test_another_organizations_space_answers_like_an_unknown_one(world):
    kestrel = OrganizationFactory.create(name="Kestrel Bank", slug="kestrel")
    for role in ("named_contact", "enterprise_manager"):
        with pytest.raises(NotFound, match="There is no customer space kestrel"):
            rules.require_write_space(world[role], kestrel.slug)
    rules.require_write_space(world["support_engineer"], kestrel.slug)
