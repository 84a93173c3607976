"""``lib.prepared``: a prepared query gives what its queryset gives, for every value it is
run with, in one query, and refuses a value its SQL does not carry as a parameter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import Count, F

from premierdesk.accounts.models import User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.lib.prepared import NotPreparable, Prepared

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def _entries_by(actor_id: int, action: str):
    return (
        AuditEntry.objects.select_related("actor")
        .filter(actor_id=actor_id, action=action)
        .annotate(label_length=Count("id"))
        .order_by("pk")
    )


ENTRIES_BY = Prepared(_entries_by, int, str)


def _fields(entry: AuditEntry) -> tuple:
    email = entry.actor.email if entry.actor else None
    return (entry.pk, entry.at, entry.action, entry.changes, entry.actor_id, email)


@pytest.fixture
def trail() -> list[User]:
    people = UserFactory.create_batch(3)
    for n, person in enumerate(people):
        for k in range(n + 1):
            AuditEntry.objects.create(
                at=AT + timedelta(hours=k),
                actor=person,
                actor_label=person.email,
                action="one" if k % 2 else "two",
                changes={"n": [k, n]},
            )
    return people


def test_a_prepared_query_gives_what_its_queryset_gives_for_every_value(
    trail, django_assert_num_queries
):
    for person in [*trail, *reversed(trail)]:
        for action in ("one", "two", "none"):
            expected = list(_entries_by(person.pk, action))
            with django_assert_num_queries(1):  # the actor came along: no query for it
                found = ENTRIES_BY.all(person.pk, action)
                assert [_fields(e) for e in found] == [_fields(e) for e in expected]
            assert [e.label_length for e in found] == [e.label_length for e in expected]
    assert ENTRIES_BY.first(trail[0].pk, "none") is None


def test_instants_are_values_too_and_rows_come_as_values_list_gives_them(trail):
    def since(at: datetime, person_id: int):
        rows = AuditEntry.objects.filter(at__gte=at, actor_id=person_id).order_by("at")
        return rows.values_list("at", "changes", F("actor__email"))

    prepared = Prepared(since, datetime, int)
    for at in (AT, AT + timedelta(minutes=30), AT + timedelta(hours=2)):
        for person in trail:
            assert prepared.rows(at, person.pk) == list(since(at, person.pk))


def test_a_value_the_lookup_rewrites_is_refused():
    def containing(text: str):
        return User.objects.filter(email__contains=text)

    with pytest.raises(NotPreparable):
        Prepared(containing, str).all("example")


def test_values_must_be_as_many_as_declared():
    with pytest.raises(TypeError):
        ENTRIES_BY.all(1)
