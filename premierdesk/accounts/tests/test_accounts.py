"""Account rules: e-mail identity, roles, time zones, Argon2 hashing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from premierdesk.accounts import actions
from premierdesk.accounts.models import Role, User
from premierdesk.audit.models import AuditEntry
from premierdesk.lib.errors import Conflict, InvalidInput

pytestmark = pytest.mark.django_db


def test_create_account_hashes_with_argon2_and_audits(administrator):
    user = actions.create_account(
        administrator,
        email="  New.Person@Example.COM ",
        full_name="New Person",
        role=Role.SUPPORT_MANAGER,
        time_zone="Asia/Kolkata",
        password="long-enough-passphrase",
    )
    assert user.email == "new.person@example.com"
    assert user.password.startswith("argon2$")
    entry = AuditEntry.objects.get(action="accounts.account_created")
    assert entry.actor == administrator
    assert entry.changes["email"] == [None, "new.person@example.com"]


def test_e_mail_is_unique_whatever_its_case(administrator, named_contact):
    with pytest.raises(Conflict, match="already exists"):
        actions.create_account(
            administrator,
            email=named_contact.email.upper(),
            full_name="Twin",
            role=Role.SUPPORT_ENGINEER,
        )


def test_time_zone_must_be_an_iana_name(administrator):
    with pytest.raises(InvalidInput) as refused:
        actions.create_account(
            administrator,
            email="x@example.com",
            full_name="X",
            role=Role.SUPPORT_ENGINEER,
            time_zone="CEST",
        )
    assert refused.value.errors[0].field == "time_zone"
    assert "IANA" in refused.value.errors[0].message


def test_customer_contacts_belong_to_an_organization(administrator, northwind):
    with pytest.raises(InvalidInput, match="must belong to a customer organization"):
        actions.create_account(
            administrator, email="c@example.com", full_name="C", role=Role.CUSTOMER
        )
    with pytest.raises(InvalidInput, match="Staff accounts do not belong"):
        actions.create_account(
            administrator,
            email="s@example.com",
            full_name="S",
            role=Role.SUPPORT_ENGINEER,
            organization_id=northwind.pk,
        )


def test_weak_password_is_refused_with_the_reason(administrator):
    with pytest.raises(InvalidInput) as refused:
        actions.create_account(
            administrator,
            email="w@example.com",
            full_name="W",
            role=Role.SUPPORT_ENGINEER,
            password="12345",
        )
    assert refused.value.errors[0].field == "password"
    assert "too short" in refused.value.detail


def test_only_administrators_reach_the_django_admin(
    as_user, administrator, engineer_sydney, named_contact
):
    assert as_user(administrator).get("/admin/").status_code == 200
    for person in (engineer_sydney, named_contact):
        assert as_user(person).get("/admin/").status_code == 302  # to the admin's sign-in


def test_createsuperuser_makes_an_administrator():
    call_command(
        "createsuperuser",
        "--noinput",
        "--email",
        "Root@Example.com",
        "--full_name",
        "Root",
        verbosity=0,
    )
    user = User.objects.get(email="root@example.com")
    assert user.role == Role.ADMINISTRATOR
    assert user.is_staff
    assert user.has_perm("anything")
