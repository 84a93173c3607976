"""Fixtures of the spaces tests: Northwind with its license, its named contact (Grace), its
technical contact and its space; Kestrel with its own space and its billing contact (Alan, the
contact of another customer)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.models import ContactRole, LicenseContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.spaces.actions import create_space

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


@pytest.fixture
def manager():
    return UserFactory.create(role=Role.ENTERPRISE_MANAGER, email="em@premier.example")


@pytest.fixture
def license(northwind, manager):
    northwind.enterprise_manager = manager
    northwind.save()
    return LicenseFactory.create(organization=northwind, sen="SEN-1234567")


@pytest.fixture
def technical(license):
    person = UserFactory.create(
        role=Role.CUSTOMER, organization=license.organization, email="tech@northwind.example"
    )
    LicenseContact.objects.create(
        license=license, person=person, role=ContactRole.TECHNICAL, is_primary=True
    )
    return person


@pytest.fixture
def grace(license, technical, manager, named_contact):
    """The named-contact persona, approved on Northwind's license."""
    add_approved(license, technical, manager, named_contact.email)
    return named_contact


@pytest.fixture
def alan(kestrel, other_customer):
    """The contact of another customer: Kestrel's billing contact."""
    license = LicenseFactory.create(organization=kestrel, sen="SEN-7654321")
    LicenseContact.objects.create(license=license, person=other_customer, role=ContactRole.BILLING)
    return other_customer


@pytest.fixture
def northwind_space(northwind, administrator):
    return create_space(northwind, administrator)


@pytest.fixture
def kestrel_space(kestrel, administrator):
    return create_space(kestrel, administrator)
