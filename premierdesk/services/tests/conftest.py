"""Fixtures for the services tests: Northwind's Premier license SEN-1234567 (Jira Software and
Confluence, New York time) with Grace as its active named contact (``contact``, in
``premierdesk.testing.fixtures``), a Berlin customer for the daylight-saving cases, and
engineers skilled in Jira Software."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory, add_approved
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.testing.fixtures import frozen_at

NOW = datetime(2026, 5, 20, 12, 0, tzinfo=UTC)  # a Wednesday
SEN = "SEN-1234567"
BERLIN_SEN = "SEN-7000001"

frozen = frozen_at(NOW)


@pytest.fixture
def sen():
    return SEN


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
def office(db):
    return OfficeFactory(name="Amsterdam", slug="amsterdam", time_zone="Europe/Amsterdam")


def skilled_in_jira(office, products, full_name: str, email: str):
    engineer = EngineerFactory.create(office=office, user__full_name=full_name, user__email=email)
    engineer.skills.set([products["jira-software"]])
    return engineer


@pytest.fixture
def jira_engineer(office, products):
    return skilled_in_jira(office, products, "Sanne de Vries", "sanne@premier.example")


@pytest.fixture
def other_engineer(office, products):
    return skilled_in_jira(office, products, "Priya Raman", "priya@premier.example")
