"""Fixtures for the ticket tests: Northwind's Premier license (Jira Software and Confluence),
Grace as its active named contact, a ticket she opened, and Kestrel's ticket for isolation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.tickets.tests.factories import make_products, open_ticket

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday
SEN = "SEN-2000001"


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
def ticket(contact, license):
    return open_ticket(contact, license.sen)


@pytest.fixture
def kestrel_ticket(kestrel, other_customer, manager, products):
    kestrel.enterprise_manager = manager
    kestrel.save()
    license = LicenseFactory.create(organization=kestrel, sen="SEN-3000001")
    license.products.set([products["jira-software"]])
    add_approved(license, manager, manager, other_customer.email)
    return open_ticket(other_customer, license.sen, summary="Kestrel's secret outage")


@pytest.fixture
def engineer(engineer_sydney):
    return engineer_sydney


@pytest.fixture
def second_engineer(db):
    return EngineerFactory.create(
        user__full_name="Priya Raman", user__email="priya@premier.example"
    ).user


@pytest.fixture(autouse=True)
def attachments_dir(settings, tmp_path):
    """Attachments of every ticket test go to the test's own folder, never to var/."""
    root = tmp_path / "attachments"
    # Assigning STORAGES (not mutating it) fires setting_changed, which empties Django's
    # cache of storage instances.
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
