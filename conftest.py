"""Shared test set-up: fast password hashing for fixtures, the personas, and an API client.

Personas: a named contact and a participant of one customer, a contact of another
customer, an engineer in Sydney and one in Amsterdam, and an administrator.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import OrganizationFactory
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` run in the PostgreSQL pass of `make test` only."""
    if connection.vendor == "postgresql":
        return
    selected = [item for item in items if "postgresql" not in item.keywords]
    deselected = [item for item in items if "postgresql" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


@pytest.fixture
def northwind():
    return OrganizationFactory(name="Northwind Logistics", time_zone="America/New_York")


@pytest.fixture
def kestrel():
    return OrganizationFactory(name="Kestrel Bank", time_zone="Europe/London")


@pytest.fixture
def named_contact(northwind):
    return UserFactory(full_name="Grace Hopper", role=Role.CUSTOMER, organization=northwind)


@pytest.fixture
def participant(northwind):
    return UserFactory(full_name="Dan Park", role=Role.CUSTOMER, organization=northwind)


@pytest.fixture
def other_customer(kestrel):
    return UserFactory(full_name="Alan Turing", role=Role.CUSTOMER, organization=kestrel)


@pytest.fixture
def engineer_sydney():
    office = OfficeFactory(name="Sydney", time_zone="Australia/Sydney", country="AU")
    return EngineerFactory(office=office, user__full_name="Olivia Nguyen").user


@pytest.fixture
def engineer_amsterdam():
    office = OfficeFactory(name="Amsterdam", time_zone="Europe/Amsterdam", country="NL")
    return EngineerFactory(office=office, user__full_name="Sanne de Vries").user


@pytest.fixture
def administrator():
    return UserFactory(full_name="Ada Admin", role=Role.ADMINISTRATOR)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def deliver_mail():
    """``deliver_mail()`` runs the outbox delivery a worker would run now; sent mail lands in
    ``django.core.mail.outbox``."""
    from django.utils import timezone

    from premierdesk.notifications.actions import deliver_due

    return lambda: deliver_due(timezone.now())


@pytest.fixture
def as_user():
    """``as_user(user)`` gives a test client signed in as that person."""
    return signed_in
