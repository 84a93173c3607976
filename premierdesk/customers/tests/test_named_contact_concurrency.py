"""Two people acting at once, on separate connections: approvals racing for the last slot (the
license row lock serialises them, so exactly one wins and the limit holds), and approvals of
invitations of one address (one account, whichever commits first)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers import actions, queries
from premierdesk.customers.models import ChangeStatus, ContactRole, LicenseContact, NamedContact
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory
from premierdesk.customers.windows import peak
from premierdesk.lib.tests.threads import run_at_once


@pytest.mark.postgresql  # SQLite's test database cannot be shared by threads this way
@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_slot_let_exactly_one_through():
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    organization = OrganizationFactory.create(enterprise_manager=manager)
    license = LicenseFactory.create(organization=organization)
    technical = UserFactory.create(role=Role.CUSTOMER, organization=organization)
    LicenseContact.objects.create(license=license, person=technical, role=ContactRole.TECHNICAL)
    people = [UserFactory.create(role=Role.CUSTOMER, organization=organization) for _ in range(4)]
    for person in people[:2]:
        change = actions.request_named_contact(technical, license.sen, email=person.email)
        actions.approve_change(manager, change.pk)
    racing = [
        actions.request_named_contact(technical, license.sen, email=person.email).pk
        for person in people[2:]
    ]

    outcomes = run_at_once(*(lambda pk=pk: actions.approve_change(manager, pk) for pk in racing))

    assert outcomes[0] == "done"
    assert outcomes[1].startswith("refused: ")
    assert "all are taken" in outcomes[1]
    approved = NamedContact.objects.filter(license=license, status=ChangeStatus.APPROVED)
    assert approved.count() == 3
    assert peak(queries.windows_of(license), datetime(2000, 1, 1, tzinfo=UTC)).count == 3


def _invitations(*organizations_of_licenses):
    """A pending invitation of one new address on each license (of the organizations
    given), and the approver of each."""
    address = "kim.lee@example.com"
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    changes = []
    for organization in organizations_of_licenses:
        organization.enterprise_manager = manager
        organization.save()
        license = LicenseFactory.create(organization=organization)
        technical = UserFactory.create(role=Role.CUSTOMER, organization=organization)
        LicenseContact.objects.create(license=license, person=technical, role=ContactRole.TECHNICAL)
        changes.append(
            actions.request_named_contact(technical, license.sen, email=address, full_name="Kim")
        )
    return address, manager, changes


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_one_invitation_at_once_make_one_account():
    address, manager, (change,) = _invitations(OrganizationFactory.create())

    outcomes = run_at_once(*(lambda: actions.approve_change(manager, change.pk),) * 2)

    assert outcomes == ["done", "refused: This change was already approved."]
    assert User.objects.filter(email=address).count() == 1


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_one_address_approved_on_two_licenses_at_once_is_one_account():
    organization = OrganizationFactory.create()
    address, manager, changes = _invitations(organization, organization)

    outcomes = run_at_once(*(lambda pk=c.pk: actions.approve_change(manager, pk) for c in changes))

    assert outcomes == ["done", "done"]
    (person,) = User.objects.filter(email=address)
    assert person.organization == organization
    assert {c.person_id for c in NamedContact.objects.all()} == {person.pk}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_one_address_approved_for_two_organizations_at_once_goes_to_one():
    address, manager, changes = _invitations(
        OrganizationFactory.create(), OrganizationFactory.create()
    )

    outcomes = run_at_once(*(lambda pk=c.pk: actions.approve_change(manager, pk) for c in changes))

    assert outcomes[0] == "done"
    assert outcomes[1].startswith(
        f"refused: {address} already has a Premier Desk account, of another organization's customer"
    )
    (person,) = User.objects.filter(email=address)
    approved = NamedContact.objects.get(status=ChangeStatus.APPROVED)
    assert approved.person == person
    assert person.organization == approved.license.organization
