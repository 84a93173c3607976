"""Fixtures for the API toolkit's tests: a Premier license with an active named contact and
one open ticket (as in the tickets app's tests)."""

from __future__ import annotations

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.factories import make_products, open_ticket

SEN = "SEN-3000001"


@pytest.fixture
def contact(northwind, named_contact):
    """Grace Hopper, an active named contact of Northwind's Premier license."""
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    northwind.enterprise_manager = manager
    northwind.save()
    products = make_products()
    license = LicenseFactory.create(organization=northwind, sen=SEN)
    license.products.set([products["jira-software"], products["confluence"]])
    add_approved(license, manager, manager, named_contact.email)
    return named_contact


@pytest.fixture
def ticket(contact) -> Ticket:
    return open_ticket(contact, SEN)
