"""Fixtures shared by the customers tests: Northwind's license SEN-1234567, its enterprise
manager and its primary technical contact."""

from __future__ import annotations

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.models import ContactRole, LicenseContact
from premierdesk.customers.tests.factories import LicenseFactory


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
