"""``lib.bulk`` writes what ``bulk_create`` and ``update`` would: every kind of value (text
that COPY must escape, JSON, instants in any zone, empty references) arrives as given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from premierdesk.accounts.models import User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.lib import bulk

pytestmark = pytest.mark.django_db
COLUMNS = ("at", "actor", "actor_label", "object_id", "object_repr", "changes", "reason")


def _entries(actor: User, action: str) -> list[AuditEntry]:
    at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    return [
        AuditEntry(
            at=at + timedelta(minutes=n),
            actor=actor if n % 2 else None,
            actor_label="follow the sun",
            action=action,
            object_id=str(n),
            object_repr="tab\there, newline\nthere, back\\slash, quote ' \" and ünïcode",
            changes={"owner": [None, f"{n}@example.com"], "flag": [True, False], "n": [1, 1.5]},
            reason="" if n % 3 else "Reason\r\nwith \\N and\ttabs",
        )
        for n in range(7)
    ] + [
        AuditEntry(
            at=datetime(2026, 3, 29, 3, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
            actor=None,
            actor_label="system",
            action=action,
            object_id="zone",
            changes={},
        )
    ]


def _stored(action: str) -> list[tuple[object, ...]]:
    rows = AuditEntry.objects.filter(action=action).order_by("object_id", "pk")
    return list(rows.values_list(*COLUMNS))


def test_insert_stores_what_bulk_create_stores():
    actor = UserFactory.create()
    with transaction.atomic():
        AuditEntry.objects.bulk_create(_entries(actor, "lib.bulk_created"))
        assert bulk.insert(_entries(actor, "lib.bulk_inserted")) == 8
    assert _stored("lib.bulk_inserted") == _stored("lib.bulk_created")
    assert len(_stored("lib.bulk_inserted")) == 8
    assert _stored("lib.bulk_inserted")[-1][0] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_insert_of_nothing_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk.insert([]) == 0


def test_update_gives_each_row_its_own_values_in_one_statement(django_assert_num_queries):
    users = UserFactory.create_batch(5)
    names = {u.pk: {"full_name": f"Name {n % 2}", "is_active": n != 3} for n, u in enumerate(users)}
    with django_assert_num_queries(1):
        assert bulk.update(type(users[0]), names, time_zone="Asia/Tokyo") == 5
    for user in users:
        user.refresh_from_db()
        assert (user.full_name, user.is_active, user.time_zone) == (
            names[user.pk]["full_name"],
            names[user.pk]["is_active"],
            "Asia/Tokyo",
        )


def test_insert_rows_stores_what_insert_stores_and_defaults_what_rows_leave_out():
    actor = UserFactory.create()
    entries = _entries(actor, "lib.bulk_rowed")
    rows = [
        {
            "at": e.at,
            "actor_id": e.actor_id,
            "actor_label": e.actor_label,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "changes": e.changes,
        }
        | ({"reason": e.reason} if e.object_id != "zone" else {})
        for e in entries
    ]
    with transaction.atomic():
        bulk.insert(_entries(actor, "lib.bulk_inserted"))
        assert bulk.insert_rows(AuditEntry, rows[:7]) == 7
        assert bulk.insert_rows(AuditEntry, rows[7:]) == 1  # without a reason: the default
    assert _stored("lib.bulk_rowed") == _stored("lib.bulk_inserted")
