"""Fixtures of the spaces tests: Northwind with its license (without products), its named
contact (Grace), its technical contact (``premierdesk.testing.fixtures``) and its space;
Kestrel with its own space and its billing contact (Alan, the contact of another customer)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from premierdesk.customers.models import ContactRole, LicenseContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.spaces.actions import create_space
from premierdesk.testing.fixtures import frozen_at, northwind_license

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

frozen = frozen_at(NOW)


@pytest.fixture
def license(northwind, manager):
    return northwind_license(northwind, manager, "SEN-1234567")


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
