"""Fixtures for the escalation tests, which run like the ticket tests (at their NOW, with the
ticket fixtures of ``premierdesk.testing.fixtures``: Northwind's license, Grace, her ticket,
Kestrel's ticket): escalation and support managers, and the developer teams of Jira Software
and Confluence."""

from __future__ import annotations

from datetime import datetime

import pytest

from premierdesk.accounts.models import Role, User
from premierdesk.catalog.models import Offering
from premierdesk.customers.models import License
from premierdesk.customers.tests.factories import LicenseFactory
from premierdesk.escalations.models import DeveloperTeam
from premierdesk.testing.fixtures import NOW, attachments_in_test_folder, frozen_at, staff
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.tests.factories import make_products

frozen = frozen_at(NOW)
attachments_dir = attachments_in_test_folder()

escalation_manager = staff("Erin Escalation", "erin@premier.example", Role.ESCALATION_MANAGER)
second_escalation_manager = staff("Eli Escalation", "eli@premier.example", Role.ESCALATION_MANAGER)
support_manager = staff("Sam Support", "sam@premier.example", Role.SUPPORT_MANAGER)
developer = staff("Dev Jira", "dev@premier.example", Role.DEVELOPER)
confluence_developer = staff("Dev Confluence", "conf-dev@premier.example", Role.DEVELOPER)


def developer_team(name: str, slug: str, product: str, member: User) -> DeveloperTeam:
    catalog = make_products()
    team = DeveloperTeam.objects.create(name=name, slug=slug)
    team.products.set([catalog[product]])
    team.members.set([member])
    return team


@pytest.fixture
def jira_team(db, developer):
    return developer_team("Jira developers", "jira", "jira-software", developer)


@pytest.fixture
def confluence_team(db, confluence_developer):
    return developer_team("Confluence developers", "confluence", "confluence", confluence_developer)


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
