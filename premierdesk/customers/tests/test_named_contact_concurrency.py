"""Two people acting at once: approvals racing for the last slot, on separate connections.
The license row lock serialises them, so exactly one wins and the limit holds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from premierdesk.accounts.models import Role
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
