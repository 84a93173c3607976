"""The audit trail is written inside the change's transaction and can never be altered."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from premierdesk.accounts import actions
from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.actions import record, save_configuration
from premierdesk.audit.models import AppendOnlyError, AuditEntry
from premierdesk.audit.queries import diff, snapshot
from premierdesk.catalog.models import Product

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(administrator):
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        record(administrator, "test.outside")


def test_entry_rolls_back_with_the_change(administrator):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        actions.create_api_token(administrator, "doomed")
        1 / 0  # noqa: B018 - the change fails after its audit entry was written
    assert not AuditEntry.objects.filter(action="accounts.api_token_created").exists()


def test_entry_records_who_what_when_and_the_change(administrator):
    token, _ = actions.create_api_token(administrator, "monitoring")
    entry = AuditEntry.objects.get(action="accounts.api_token_created")
    assert entry.actor == administrator
    assert entry.actor_label == administrator.email
    assert (entry.object_type, entry.object_id) == ("accounts.apitoken", str(token.pk))
    assert entry.changes == {"name": [None, "monitoring"]}
    assert entry.at is not None


def test_orm_refuses_to_change_or_delete_entries(administrator):
    with transaction.atomic():
        entry = record(administrator, "test.thing")
    entry.action = "test.other"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing"


def test_database_refuses_raw_updates(administrator):
    with transaction.atomic():
        entry = record(administrator, "test.thing")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing"


@pytest.mark.postgresql  # SQLite keeps DELETE, which Django's test flush needs
def test_postgresql_refuses_raw_deletes(administrator):
    with transaction.atomic():
        entry = record(administrator, "test.thing")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": "x"}, {"a": 2, "b": "x", "c": None}) == {"a": [1, 2]}


def test_admin_edits_are_audited_with_before_and_after(administrator):
    product = Product.objects.create(slug="crowd", name="Crowd")
    product.name = "Crowd Data Center"
    save_configuration(administrator, product, ["name"], creating=False)
    entry = AuditEntry.objects.get(action="catalog.product.changed")
    assert entry.changes == {"name": ["Crowd", "Crowd Data Center"]}
    assert snapshot(product, ["name"]) == {"name": "Crowd Data Center"}


def test_admin_change_form_goes_through_the_audited_action(as_user, administrator):
    product = Product.objects.create(slug="crowd", name="Crowd")
    response = as_user(administrator).post(
        reverse("admin:catalog_product_change", args=[product.pk]),
        {
            "slug": "crowd",
            "name": "Crowd DC",
            "weekend_class": "l1_l2",
            "covered": "on",
            "not_covered_reason": "",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="catalog.product.changed")
    assert entry.actor == administrator
    assert entry.changes["name"] == ["Crowd", "Crowd DC"]
    assert entry.changes["weekend_class"] == ["none", "l1_l2"]


def test_admin_offers_no_way_to_edit_or_delete_entries(as_user, administrator):
    with transaction.atomic():
        entry = record(administrator, "test.thing")
    client = as_user(administrator)
    change_url = reverse("admin:audit_auditentry_change", args=[entry.pk])
    page = client.get(change_url)
    assert page.status_code == 200  # can be read
    assert b'name="_save"' not in page.content
    client.post(change_url, {"action": "forged"})
    assert client.get(reverse("admin:audit_auditentry_delete", args=[entry.pk])).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing"


def test_managers_read_the_trail_through_the_api_with_filters(
    as_user, engineer_sydney, administrator
):
    actions.create_api_token(administrator, "one")
    actions.create_api_token(engineer_sydney, "two")
    manager = UserFactory(role=Role.SUPPORT_MANAGER)
    response = as_user(manager).get(
        "/api/v1/audit", {"action": "accounts.api_token_created", "actor": administrator.email}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["actor"] == administrator.email
    assert body["items"][0]["changes"] == {"name": [None, "one"]}


def test_customers_cannot_read_the_trail(as_user, named_contact):
    assert as_user(named_contact).get("/api/v1/audit").status_code == 403
    assert as_user(named_contact).get(reverse("audit:trail")).status_code == 403


def test_console_page_lists_entries_for_administrators(as_user, administrator):
    actions.create_api_token(administrator, "visible token")
    page = as_user(administrator).get(
        reverse("audit:trail"), {"action": "accounts.api_token_created"}
    )
    assert page.status_code == 200
    assert "visible token" in page.content.decode()


def test_console_pager_keeps_the_filters_given_and_no_empty_ones(as_user, administrator):
    with transaction.atomic():
        for n in range(120):
            record(administrator, "tests.paged", administrator, reason=f"entry {n}")
    client = as_user(administrator)
    first = client.get(reverse("audit:trail"), {"action": "tests.paged", "actor": "", "page": "1"})
    html = first.content.decode()
    assert '<a href="?action=tests.paged&amp;page=2">Older →</a>' in html
    assert "Newer</a>" not in html
    second = client.get(reverse("audit:trail"), {"action": "tests.paged", "page": "2"})
    html = second.content.decode()
    assert '<a href="?action=tests.paged&amp;page=1">← Newer</a>' in html
    assert '<a href="?action=tests.paged&amp;page=3">Older →</a>' in html
    unfiltered = client.get(reverse("audit:trail")).content.decode()
    assert '<a href="?page=2">Older →</a>' in unfiltered


@pytest.mark.parametrize(
    "role",
    [Role.SUPPORT_ENGINEER, Role.ENTERPRISE_MANAGER, Role.ESCALATION_MANAGER, Role.DEVELOPER],
)
def test_other_vendor_roles_cannot_read_the_trail(as_user, role):
    # The trail holds the before and after of internal comments on every customer's tickets.
    client = as_user(UserFactory(role=role))
    assert client.get("/api/v1/audit").status_code == 403
    assert client.get(reverse("audit:trail")).status_code == 403


def test_api_has_no_write_endpoint_for_the_trail(as_user, administrator):
    client = as_user(administrator)
    assert client.post("/api/v1/audit", {}, content_type="application/json").status_code == 405
