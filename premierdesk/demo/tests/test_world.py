"""The demo world's licenses: each organization has a Premier license with named contacts, one
addition waiting for approval and one temporary cover in the coming weeks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.audit.models import AuditEntry
from premierdesk.customers import actions
from premierdesk.customers.models import (
    ChangeStatus,
    ContactRole,
    License,
    LicenseContact,
    NamedContact,
    Organization,
)
from premierdesk.demo import world

pytestmark = pytest.mark.django_db
LOADED_AT = datetime(2026, 6, 15, 13, 45, tzinfo=UTC)


@pytest.fixture
def loaded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(LOADED_AT, tick=False) as clock:
        world.load()
        yield clock


def premier_license(org: Organization) -> License:
    return License.objects.get(organization=org, offering__slug="premier")


def test_each_organization_has_a_valid_premier_license(loaded):
    today = timezone.now().date()
    for org in Organization.objects.all():
        license = premier_license(org)
        assert license.valid_from <= today - timedelta(days=300)
        assert license.valid_until >= today + timedelta(days=300)
        assert license.products.filter(covered=False).count() == 0
    kestrel = premier_license(Organization.objects.get(slug="kestrel"))
    assert not kestrel.products.filter(slug__in=["bamboo", "fisheye"]).exists()
    northwind = premier_license(Organization.objects.get(slug="northwind"))
    assert northwind.products.count() == len(world.COVERED_PRODUCTS)


def test_each_license_has_a_primary_billing_and_technical_contact(loaded):
    for license in License.objects.all():
        for role in ContactRole:
            contact = LicenseContact.objects.get(license=license, role=role, is_primary=True)
            assert contact.person.organization_id == license.organization_id
            assert contact.person.check_password(world.DEMO_PASSWORD)


def test_named_contacts_fit_with_a_slot_left_for_the_pending_addition(loaded):
    now = timezone.now()
    for license in License.objects.all():
        active = actions.active_contacts(license, now)
        assert 1 <= len(active) < license.named_contact_slots
        pending = NamedContact.objects.get(license=license, status=ChangeStatus.PENDING)
        assert not pending.person.has_usable_password()  # invited: signs up first


def test_the_demo_named_contact_is_active_and_the_participant_is_not_a_contact(loaded):
    now = timezone.now()
    for _, slug, _, (_, contact_email), (_, participant_email) in world.ORGANIZATIONS:
        license = premier_license(Organization.objects.get(slug=slug))
        active = {c.person.email for c in actions.active_contacts(license, now)}
        assert contact_email in active
        participant = User.objects.get(email=participant_email)
        assert not NamedContact.objects.filter(person=participant).exists()
        assert not LicenseContact.objects.filter(person=participant).exists()
        assert not actions.may_manage(participant, license, now)


def test_each_license_has_one_approved_cover_in_the_coming_weeks(loaded):
    now = timezone.now()
    for license in License.objects.all():
        cover = NamedContact.objects.get(
            license=license, status=ChangeStatus.APPROVED, covers__isnull=False
        )
        assert now < cover.starts_at <= now + timedelta(weeks=4)
        assert cover.ends_at is not None
        inside = cover.starts_at + timedelta(days=1)
        active = {c.person_id for c in actions.active_contacts(license, inside)}
        assert cover.person_id in active
        assert cover.covers is not None
        assert cover.covers.person_id not in active  # on leave, back afterwards
        back = {c.person_id for c in actions.active_contacts(license, cover.ends_at)}
        assert cover.covers.person_id in back


def test_the_slot_limit_holds_after_the_pending_addition_is_approved(loaded):
    erin = User.objects.get(email="enterprise@premier.example")
    for change in NamedContact.objects.filter(status=ChangeStatus.PENDING):
        actions.approve_change(erin, change.pk)  # refused if any instant would be over
    loaded.shift(timedelta(weeks=2))
    for license in License.objects.all():
        assert len(actions.active_contacts(license, timezone.now())) == 3


def test_every_named_contact_change_is_in_the_audit_trail(loaded):
    erin = User.objects.get(email="enterprise@premier.example")
    for license in License.objects.all():
        technical = LicenseContact.objects.get(license=license, role=ContactRole.TECHNICAL).person
        for change in NamedContact.objects.filter(license=license):
            entries = AuditEntry.objects.filter(
                object_type="customers.namedcontact", object_id=str(change.pk)
            )
            requested = entries.get(action__endswith="_requested")
            assert requested.actor == technical
            assert change.requested_by == technical
            if change.status == ChangeStatus.APPROVED:
                assert entries.get(action="customers.named_contact_approved").actor == erin
                assert change.decided_by == erin
    assert AuditEntry.objects.filter(action="customers.named_contact_requested").count() == 9
    assert AuditEntry.objects.filter(action="customers.named_contact_cover_requested").count() == 3
    assert AuditEntry.objects.filter(action="customers.named_contact_approved").count() == 9
