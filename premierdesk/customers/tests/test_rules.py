"""The named-contact rules, each pair checked once where it lives: for every role, what
``may_…`` offers and what its ``require_…`` twin refuses (``customers.rules``)."""

from __future__ import annotations

import pytest

from premierdesk.customers import rules
from premierdesk.customers.queries import unknown_sen
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory
from premierdesk.lib.errors import NotAllowed, NotFound
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import NOW, SEN, assert_pair, only

pytestmark = pytest.mark.django_db
world = roles.world

MANAGE_REFUSED = (NotAllowed, f"Only the named, billing and technical contacts of {SEN}")


@pytest.mark.parametrize(
    ("role", "expected"),
    only({"named_contact", "enterprise_manager", "administrator"}, MANAGE_REFUSED),
)
def test_manage_a_licenses_named_contacts(world, role, expected):
    user, license = world[role], world.license
    assert_pair(
        expected,
        lambda: rules.may_manage(user, license, NOW),
        lambda: rules.require_manage(user, license, NOW, unknown_sen(license.sen)),
    )


def test_another_customers_license_answers_like_an_unknown_one(world):
    elsewhere = LicenseFactory.create(organization=OrganizationFactory.create())
    grace = world["named_contact"]
    assert_pair(
        (NotFound, f"No license has the SEN {elsewhere.sen}"),
        lambda: rules.may_manage(grace, elsewhere, NOW),
        lambda: rules.require_manage(grace, elsewhere, NOW, unknown_sen(elsewhere.sen)),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"named_contact", "enterprise_manager", "administrator"},
        (NotAllowed, "Named contacts are managed by the customer's contacts"),
        participant=(NotAllowed, "license, and you are none of these"),
    ),
)
def test_be_offered_the_named_contacts_pages(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_manage_named_contacts(user, NOW),
        lambda: rules.require_manage_named_contacts(user, NOW),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"enterprise_manager", "administrator"},
        (NotAllowed, "Only Northwind Logistics's enterprise manager or an administrator approves"),
    ),
)
def test_approve_named_contact_changes(world, role, expected):
    user, license = world[role], world.license
    assert_pair(
        expected,
        lambda: rules.may_approve(user, license),
        lambda: rules.require_approve(user, license),
    )


def test_another_organizations_enterprise_manager_does_not_decide(world):
    elsewhere = LicenseFactory.create(organization=OrganizationFactory.create(name="Kestrel"))
    erik = world["enterprise_manager"]
    assert_pair(
        (NotAllowed, "Only Kestrel's enterprise manager or an administrator declines"),
        lambda: rules.may_approve(erik, elsewhere),
        lambda: rules.require_approve(erik, elsewhere, verb="declines"),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"enterprise_manager", "administrator"},
        (NotAllowed, "approval queue is for enterprise managers and administrators"),
    ),
)
def test_read_the_approval_queue(world, role, expected):
    user = world[role]
    assert_pair(
        expected,
        lambda: rules.may_read_approval_queue(user),
        lambda: rules.require_read_approval_queue(user),
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    only(
        {"named_contact"},
        (NotAllowed, f"Only the named contacts of {SEN} can ask for weekend standby"),
    ),
)
def test_be_a_named_contact_of_the_license(world, role, expected):
    user, license = world[role], world.license
    assert_pair(
        expected,
        lambda: rules.is_named_contact(user, NOW),
        lambda: rules.require_named_contact(user, license, NOW, to="ask for weekend standby"),
    )
