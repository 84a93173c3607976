"""The demo world: believable, complete for each role, loaded only into an empty database."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from premierdesk.accounts.models import Role, User
from premierdesk.audit.models import AuditEntry
from premierdesk.catalog.models import Product, ResponseTarget
from premierdesk.customers.models import Organization
from premierdesk.demo import world
from premierdesk.demo.tests.conftest import attachments_in
from premierdesk.offices.models import Engineer, Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, capsys, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with attachments_in(str(tmp_path)):
        call_command("demo")
    return capsys.readouterr().out


def test_demo_loads_the_products_offices_and_customers(loaded):
    covered = set(Product.objects.filter(covered=True).values_list("slug", flat=True))
    assert covered == {
        "jira-software",
        "jira-service-management",
        "confluence",
        "crowd",
        "bitbucket",
        "bamboo",
        "fisheye",
        "crucible",
    }
    assert not Product.objects.get(slug="jira-align").covered
    zones = dict(Office.objects.values_list("name", "time_zone"))
    assert zones == {
        "Sydney": "Australia/Sydney",
        "Bengaluru": "Asia/Kolkata",
        "Amsterdam": "Europe/Amsterdam",
        "São Paulo": "America/Sao_Paulo",
        "Austin": "America/Chicago",
    }
    assert Organization.objects.count() == 3
    assert len(set(Organization.objects.values_list("time_zone", flat=True))) == 3
    premier_l1 = ResponseTarget.objects.get(offering__slug="premier", level="L1")
    assert premier_l1.initial_response_minutes == 30


def test_every_office_has_skilled_engineers_and_a_lead(loaded):
    for office in Office.objects.all():
        engineers = Engineer.objects.filter(office=office)
        assert engineers.count() >= 2
        assert office.lead is not None
        for engineer in engineers:
            assert engineer.skills.exists()
    for product in Product.objects.filter(covered=True):
        assert product.engineers.exists(), f"nobody is skilled in {product}"


def test_there_is_a_sign_in_for_every_role(loaded):
    roles = set(
        User.objects.filter(email__in=[e for _, e in world.SIGN_INS]).values_list("role", flat=True)
    )
    assert roles == set(Role)
    for _, email in world.SIGN_INS:
        assert email in loaded
    assert world.DEMO_PASSWORD in loaded
    assert User.objects.get(email=world.SIGN_INS[0][1]).check_password(world.DEMO_PASSWORD)


def test_demo_is_audited(loaded):
    assert AuditEntry.objects.filter(action="demo.loaded").count() == 1
    assert (
        AuditEntry.objects.filter(action="accounts.account_created").count() == User.objects.count()
    )


def test_demo_refuses_a_database_that_has_data(loaded):
    with pytest.raises(CommandError, match="already has accounts"):
        call_command("demo")
    assert Organization.objects.count() == 3
