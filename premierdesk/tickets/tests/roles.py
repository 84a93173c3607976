"""Every role around one ticket, for the direct tests of each app's ``rules.py``: Northwind's
Premier license with Grace as its active named contact, Dan a participant on the ticket Grace
opened, Olivia its owner (a Sydney engineer), Northwind's enterprise manager, an escalation
manager, a support manager, a developer of the Jira team that was asked about the ticket, and
an administrator. Made through the actions, as in real life, at a frozen Monday morning."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.models import License, Organization
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory, add_approved
from premierdesk.escalations.models import DeveloperTeam
from premierdesk.lib.errors import ActionError
from premierdesk.offices.models import Office
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.tickets import actions
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.factories import make_products, open_ticket

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)  # a Monday
SEN = "SEN-2000001"

# The roles every rule is checked for, as ``accounts.models.Role`` has them (a customer twice:
# the license's named contact, and a participant of the ticket who is no contact).
ROLES = (
    "named_contact",
    "participant",
    "support_engineer",
    "enterprise_manager",
    "escalation_manager",
    "support_manager",
    "developer",
    "administrator",
)
CUSTOMERS = frozenset({"named_contact", "participant"})


@dataclass(frozen=True)
class World:
    people: dict[str, User]
    organization: Organization
    license: License
    office: Office
    ticket: Ticket
    team: DeveloperTeam

    def __getitem__(self, role: str) -> User:
        return self.people[role]


def make_world() -> World:
    products = make_products()
    northwind = OrganizationFactory.create(name="Northwind Logistics", time_zone="UTC")
    people = {
        "named_contact": UserFactory.create(
            full_name="Grace Hopper", role=Role.CUSTOMER, organization=northwind
        ),
        "participant": UserFactory.create(
            full_name="Dan Park", role=Role.CUSTOMER, organization=northwind
        ),
        "enterprise_manager": UserFactory.create(
            full_name="Erik Manager", role=Role.ENTERPRISE_MANAGER
        ),
        "escalation_manager": UserFactory.create(
            full_name="Erin Escalation", role=Role.ESCALATION_MANAGER
        ),
        "support_manager": UserFactory.create(full_name="Sam Manager", role=Role.SUPPORT_MANAGER),
        "developer": UserFactory.create(full_name="Dev Jira", role=Role.DEVELOPER),
        "administrator": UserFactory.create(full_name="Ada Admin", role=Role.ADMINISTRATOR),
    }
    office = OfficeFactory.create(name="Sydney", slug="sydney", time_zone="Australia/Sydney")
    engineer = EngineerFactory.create(office=office, user__full_name="Olivia Nguyen")
    engineer.skills.set([products["jira-software"]])
    people["support_engineer"] = engineer.user
    northwind.enterprise_manager = people["enterprise_manager"]
    northwind.save()
    license = LicenseFactory.create(organization=northwind, sen=SEN)
    license.products.set([products["jira-software"], products["confluence"]])
    manager = people["enterprise_manager"]
    add_approved(license, manager, manager, people["named_contact"].email)
    ticket = open_ticket(people["named_contact"], SEN)
    actions.add_participant(people["named_contact"], ticket.key, email=people["participant"].email)
    if ticket.owner_id != engineer.user_id:  # routing gives it to her, the only engineer
        actions.assign_owner(people["support_manager"], ticket.key, owner_email=engineer.user.email)
    team = DeveloperTeam.objects.create(name="Jira developers", slug="jira")
    team.products.set([products["jira-software"]])
    team.members.set([people["developer"]])
    people = {role: User.objects.get(pk=person.pk) for role, person in people.items()}
    return World(people, northwind, license, office, Ticket.objects.get(pk=ticket.pk), team)


@pytest.fixture
def world(db: None) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield make_world()


# What a rule answers one role: True (offered, and ``require_…`` passes), or the refusal its
# ``require_…`` twin raises, with words of its text.
Expected = bool | tuple[type[ActionError], str]


def assert_pair(expected: Expected, may: Callable[[], bool], require: Callable[[], object]) -> None:
    """The rule's two answers agree with the table: ``may`` says True exactly when ``require``
    passes, and otherwise ``require`` refuses as the table says."""
    if expected is True:
        assert may() is True
        require()
        return
    assert expected is not False, "say which refusal the role gets"
    refusal, words = expected
    assert may() is False
    with pytest.raises(refusal) as refused:
        require()
    assert type(refused.value) is refusal
    assert _any_key(words) in _any_key(refused.value.detail)


def _any_key(text: str) -> str:
    # The tables name the world's ticket PS-1; on PostgreSQL its id is whatever the sequence
    # gives (sequences do not roll back with the test), so any ticket key reads alike.
    return re.sub(r"PS-\d+", "PS-n", text)


def table(**answers: Expected) -> list[tuple[str, Expected]]:
    """A rule's expected answer for each role, as ``parametrize`` takes it; every role must
    have one."""
    assert set(answers) == set(ROLES), f"missing: {set(ROLES) - set(answers)}"
    return list(answers.items())


def only(allowed: set[str], refusal: Expected, **others: Expected) -> list[tuple[str, Expected]]:
    """True for the roles in ``allowed``; ``others`` for the roles named; ``refusal`` for the
    rest."""
    return table(**{role: True if role in allowed else others.get(role, refusal) for role in ROLES})


# Those who work tickets (``tickets.rules.TICKET_STAFF``).
TICKET_STAFF = {
    "support_engineer",
    "enterprise_manager",
    "escalation_manager",
    "support_manager",
    "administrator",
}
