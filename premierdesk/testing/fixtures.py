"""The fixtures every app's tests share, registered for all of them by the root conftest.

Personas: a named contact and a participant of one customer, a contact of another
customer, an engineer in Sydney and one in Amsterdam, and an administrator. Around them,
Northwind's Premier license (Jira Software and Confluence, SEN ``sen``) with its enterprise
manager and Grace as its active named contact, her ticket, and Kestrel's for isolation.

A package's conftest (or a test module) keeps only what is its own: the instant its tests run
at (``frozen = frozen_at(NOW)``), attachments kept in each test's folder, another ``sen``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from pytest_django import Settings

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.catalog.models import Product
from premierdesk.customers.models import ContactRole, License, LicenseContact, Organization
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory, add_approved
from premierdesk.notifications.actions import DeliveryReport
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.factories import make_products, open_ticket

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday: when the ticket tests run
SEN = "SEN-2000001"  # Northwind's Premier license in the ticket tests
KESTREL_SEN = "SEN-3000001"


# Factories of fixtures a package or module binds to its own name -------------------------------


def frozen_at(now: datetime, *, autouse: bool = True) -> object:
    """The fixture ``frozen`` (``frozen = frozen_at(NOW)``): each test runs at ``now``, the
    clock standing still until the test moves it; the fixture is that clock."""

    @pytest.fixture(autouse=autouse)
    def frozen() -> Iterator[time_machine.Traveller]:
        with time_machine.travel(now, tick=False) as clock:
            yield clock

    return frozen


def attachments_in_test_folder() -> object:
    """The fixture ``attachments_dir``, used by every test of the package that binds it:
    attachments go to the test's own folder, never to var/."""

    @pytest.fixture(autouse=True)
    def attachments_dir(settings: Settings, tmp_path: Path) -> Path:
        root = tmp_path / "attachments"
        # Assigning STORAGES (not mutating it) fires setting_changed, which empties Django's
        # cache of storage instances, so attachment_storage() sees the new location.
        settings.STORAGES = {
            **settings.STORAGES,
            "attachments": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(root)},
            },
        }
        return root

    return attachments_dir


def staff(full_name: str, email: str, role: Role) -> object:
    """A fixture making one person (``developer = staff("Dev Jira", …, Role.DEVELOPER)``)."""

    @pytest.fixture
    def person(db: None) -> User:
        return UserFactory.create(full_name=full_name, email=email, role=role)

    return person


# Personas ----------------------------------------------------------------------------------


@pytest.fixture
def northwind() -> Organization:
    return OrganizationFactory.create(name="Northwind Logistics", time_zone="America/New_York")


@pytest.fixture
def kestrel() -> Organization:
    return OrganizationFactory.create(name="Kestrel Bank", time_zone="Europe/London")


@pytest.fixture
def named_contact(northwind: Organization) -> User:
    return UserFactory.create(full_name="Grace Hopper", role=Role.CUSTOMER, organization=northwind)


@pytest.fixture
def participant(northwind: Organization) -> User:
    return UserFactory.create(full_name="Dan Park", role=Role.CUSTOMER, organization=northwind)


@pytest.fixture
def other_customer(kestrel: Organization) -> User:
    return UserFactory.create(full_name="Alan Turing", role=Role.CUSTOMER, organization=kestrel)


@pytest.fixture
def engineer_sydney() -> User:
    office = OfficeFactory.create(name="Sydney", time_zone="Australia/Sydney", country="AU")
    return EngineerFactory.create(office=office, user__full_name="Olivia Nguyen").user


@pytest.fixture
def engineer_amsterdam() -> User:
    office = OfficeFactory.create(name="Amsterdam", time_zone="Europe/Amsterdam", country="NL")
    return EngineerFactory.create(office=office, user__full_name="Sanne de Vries").user


@pytest.fixture
def administrator() -> User:
    return UserFactory.create(full_name="Ada Admin", role=Role.ADMINISTRATOR)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def deliver_mail() -> Callable[[], DeliveryReport]:
    """``deliver_mail()`` runs the outbox delivery a worker would run now; sent mail lands in
    ``django.core.mail.outbox``."""
    from django.utils import timezone

    from premierdesk.notifications.actions import deliver_due

    return lambda: deliver_due(timezone.now())


@pytest.fixture
def as_user() -> Callable[[User], Client]:
    """``as_user(user)`` gives a test client signed in as that person."""
    return signed_in


# Northwind's license, its people and tickets -----------------------------------------------


def northwind_license(
    northwind: Organization, manager: User, sen: str, products: Iterable[Product] = ()
) -> License:
    """Northwind's license ``sen``, with ``manager`` as Northwind's enterprise manager."""
    northwind.enterprise_manager = manager
    northwind.save()
    license = LicenseFactory.create(organization=northwind, sen=sen)
    covered = list(products)
    if covered:
        license.products.set(covered)
    return license


@pytest.fixture
def sen() -> str:
    """The SEN of ``license``; a package whose tests name another overrides it."""
    return SEN


@pytest.fixture
def products(db: None) -> dict[str, Product]:
    return make_products()


@pytest.fixture
def manager(db: None) -> User:
    return UserFactory.create(role=Role.ENTERPRISE_MANAGER, email="em@premier.example")


@pytest.fixture
def license(
    northwind: Organization, manager: User, products: dict[str, Product], sen: str
) -> License:
    covered = [products["jira-software"], products["confluence"]]
    return northwind_license(northwind, manager, sen, covered)


@pytest.fixture
def contact(license: License, named_contact: User, manager: User) -> User:
    """Grace Hopper, an active named contact of Northwind's license."""
    add_approved(license, manager, manager, named_contact.email)
    return named_contact


@pytest.fixture
def technical(license: License) -> User:
    """The primary technical contact of Northwind's license."""
    person = UserFactory.create(
        role=Role.CUSTOMER, organization=license.organization, email="tech@northwind.example"
    )
    LicenseContact.objects.create(
        license=license, person=person, role=ContactRole.TECHNICAL, is_primary=True
    )
    return person


@pytest.fixture
def kestrel_contact(
    kestrel: Organization, other_customer: User, manager: User, products: dict[str, Product]
) -> User:
    """Alan, a named contact of another customer (Kestrel Bank)."""
    kestrel.enterprise_manager = manager
    kestrel.save()
    license = LicenseFactory.create(organization=kestrel, sen=KESTREL_SEN)
    license.products.set([products["jira-software"]])
    add_approved(license, manager, manager, other_customer.email)
    return other_customer


@pytest.fixture
def ticket(contact: User, license: License) -> Ticket:
    return open_ticket(contact, license.sen)


@pytest.fixture
def kestrel_ticket(kestrel_contact: User) -> Ticket:
    return open_ticket(kestrel_contact, KESTREL_SEN, summary="Kestrel's secret outage")


@pytest.fixture
def engineer(engineer_sydney: User) -> User:
    return engineer_sydney


@pytest.fixture
def second_engineer(db: None) -> User:
    return EngineerFactory.create(
        user__full_name="Priya Raman", user__email="priya@premier.example"
    ).user


support_manager = staff("Sam Manager", "sam@premier.example", Role.SUPPORT_MANAGER)
