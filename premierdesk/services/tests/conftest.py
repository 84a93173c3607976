"""Fixtures for the services tests: Northwind's Premier license SEN-1234567 (Jira Software and
Confluence, New York time) with Grace as its active named contact, a Berlin customer for the
daylight-saving cases, a support manager and engineers skilled in Jira Software."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory, add_approved
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.tickets.tests.factories import make_products

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)  # a Wednesday
SEN = "SEN-1234567"
BERLIN_SEN = "SEN-7000001"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def products(db):
    return make_products()


@pytest.fixture
def manager(db):
    return UserFactory.create(role=Role.ENTERPRISE_MANAGER, email="em@premier.example")


@pytest.fixture
def license(northwind, manager, products):
    northwind.enterprise_manager = manager
    northwind.save()
    license = LicenseFactory.create(organization=northwind, sen=SEN)
    license.products.set([products["jira-software"], products["confluence"]])
    return license


@pytest.fixture
def contact(license, named_contact, manager):
    """Grace Hopper, an active named contact of Northwind's license."""
    add_approved(license, manager, manager, named_contact.email)
    return named_contact


@pytest.fixture
def second_contact(license, manager):
    person = UserFactory.create(
        role=Role.CUSTOMER, organization=license.organization, email="linus@northwind.example"
    )
    add_approved(license, manager, manager, person.email)
    return person


@pytest.fixture
def berlin_contact(frozen, manager, products):
    """Klaus, a named contact of a Berlin customer since 1 February 2026 (the clock is left
    there, before that spring's daylight-saving change)."""
    frozen.move_to(datetime(2026, 2, 1, tzinfo=UTC))
    organization = OrganizationFactory.create(
        name="Rhein Stahl", time_zone="Europe/Berlin", enterprise_manager=manager
    )
    license = LicenseFactory.create(organization=organization, sen=BERLIN_SEN)
    license.products.set([products["jira-software"]])
    person = UserFactory.create(
        role=Role.CUSTOMER, organization=organization, email="klaus@rheinstahl.example"
    )
    add_approved(license, manager, manager, person.email)
    return person


@pytest.fixture
def kestrel_contact(kestrel, other_customer, manager, products):
    """Alan, a named contact of another customer (Kestrel Bank)."""
    kestrel.enterprise_manager = manager
    kestrel.save()
    license = LicenseFactory.create(organization=kestrel, sen="SEN-3000001")
    license.products.set([products["jira-software"]])
    add_approved(license, manager, manager, other_customer.email)
    return other_customer


@pytest.fixture
def support_manager(db):
    return UserFactory.create(
        role=Role.SUPPORT_MANAGER, full_name="Sam Manager", email="sam@premier.example"
    )


@pytest.fixture
def office(db):
    return OfficeFactory(name="Amsterdam", slug="amsterdam", time_zone="Europe/Amsterdam")


@pytest.fixture
def jira_engineer(office, products):
    engineer = EngineerFactory.create(
        office=office, user__full_name="Sanne de Vries", user__email="sanne@premier.example"
    )
    engineer.skills.set([products["jira-software"]])
    return engineer


@pytest.fixture
def other_engineer(office, products):
    engineer = EngineerFactory.create(
        office=office, user__full_name="Priya Raman", user__email="priya@premier.example"
    )
    engineer.skills.set([products["jira-software"]])
    return engineer
