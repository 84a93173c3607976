"""The migration that lets a request invite an address (customers 0003) applied to a database
already holding named-contact windows: every window keeps its person, and the new checks hold
from then on."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.models import ChangeStatus, NamedContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved

BEFORE = ("customers", "0002_licenses_and_named_contacts")
AFTER = ("customers", "0003_invited_named_contacts")


def migrate(target: tuple[str, str] | None = None) -> None:
    """To ``target``, or without one to the latest schema of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_windows_keep_their_person_and_the_new_checks_hold():
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    license = LicenseFactory.create()
    license.organization.enterprise_manager = manager
    license.organization.save()
    person = UserFactory.create(role=Role.CUSTOMER, organization=license.organization)
    approved = add_approved(license, manager, manager, person.email)
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:  # what 0002 knew: no invited address
            cursor.execute("SELECT id, person_id, status FROM customers_namedcontact")
            assert cursor.fetchall() == [(approved.pk, person.pk, "approved")]
    finally:
        migrate(AFTER)  # forward on the data 0002 held
        migrate()  # and every app's later migrations that going back undid

    # The tests after this one find the whole schema again.
    executor = MigrationExecutor(connection)
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
    row = NamedContact.objects.get()
    assert (row.person_id, row.invited_email, row.invited_name) == (person.pk, "", "")
    assert row.status == ChangeStatus.APPROVED
    now = timezone.now()
    common = {"license": license, "starts_at": now, "requested_by": manager, "requested_at": now}
    with pytest.raises(IntegrityError), transaction.atomic():
        NamedContact.objects.create(**common)  # names nobody
    with pytest.raises(IntegrityError), transaction.atomic():
        NamedContact.objects.create(
            **common, invited_email="new@example.com", status=ChangeStatus.APPROVED
        )
    NamedContact.objects.create(**common, invited_email="new@example.com", invited_name="New")
