"""Fixtures for the escalation tests: the ticket fixtures (Northwind's license, Grace, her
ticket, Kestrel's ticket, frozen time), escalation and support managers, and the developer
teams of Jira Software and Confluence."""

from __future__ import annotations

from datetime import datetime

import pytest

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.catalog.models import Offering
from premierdesk.customers.models import License
from premierdesk.customers.tests.factories import LicenseFactory
from premierdesk.escalations.models import DeveloperTeam
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.tests.conftest import (  # noqa: F401 - fixtures, found by name
    attachments_dir,
    contact,
    engineer,
    frozen,
    kestrel_ticket,
    license,
    manager,
    products,
    ticket,
)
from premierdesk.tickets.tests.factories import make_products


@pytest.fixture
def escalation_manager(db):
    return UserFactory.create(
        full_name="Erin Escalation", email="erin@premier.example", role=Role.ESCALATION_MANAGER
    )


@pytest.fixture
def second_escalation_manager(db):
    return UserFactory.create(
        full_name="Eli Escalation", email="eli@premier.example", role=Role.ESCALATION_MANAGER
    )


@pytest.fixture
def support_manager(db):
    return UserFactory.create(
        full_name="Sam Support", email="sam@premier.example", role=Role.SUPPORT_MANAGER
    )


@pytest.fixture
def developer(db):
    return UserFactory.create(
        full_name="Dev Jira", email="dev@premier.example", role=Role.DEVELOPER
    )


@pytest.fixture
def confluence_developer(db):
    return UserFactory.create(
        full_name="Dev Confluence", email="conf-dev@premier.example", role=Role.DEVELOPER
    )


@pytest.fixture
def jira_team(db, developer):
    catalog = make_products()
    team = DeveloperTeam.objects.create(name="Jira developers", slug="jira")
    team.products.set([catalog["jira-software"]])
    team.members.set([developer])
    return team


@pytest.fixture
def confluence_team(db, confluence_developer):
    catalog = make_products()
    team = DeveloperTeam.objects.create(name="Confluence developers", slug="confluence")
    team.products.set([catalog["confluence"]])
    team.members.set([confluence_developer])
    return team


def select_license(organization_id: int) -> License:
    offering, _ = Offering.objects.get_or_create(
        slug="select", defaults={"name": "Select", "named_contact_slots": 3}
    )
    return LicenseFactory.create(organization_id=organization_id, offering=offering)


def bare_ticket(lic: License, product_id: int, opener: User, level: str, at: datetime) -> Ticket:
    """A ticket row made directly, for queue tests that need other offerings than Premier
    (only Premier tickets can be opened through the action)."""
    return Ticket.objects.create(
        license=lic,
        organization_id=lic.organization_id,
        product_id=product_id,
        product_version="1.0",
        environment="production",
        level=level,
        summary=f"{lic.offering.slug} {level}",
        description="-",
        opened_by=opener,
        opened_at=at,
        status=Status.IN_PROGRESS,
        status_changed_at=at,
        updated_at=at,
    )
