"""``__among`` finds exactly what ``__in`` finds, on a key or a reference, and on PostgreSQL
sends the list as one array parameter however long it is."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[User]:
    return UserFactory.create_batch(5)


def _ids(rows) -> list[int]:
    return sorted(rows.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "pick", [[0], [1, 3], [0, 1, 2, 3, 4], [2, 2, 2], [], [4, None], [None]], ids=repr
)
def test_among_finds_what_in_finds(people, pick):
    values: list[Any] = [people[n].pk if n is not None else None for n in pick]
    values_with_strangers: list[Any] = [*values, max(p.pk for p in people) + 1000]
    for given in (values, values_with_strangers):
        among, within = User.objects.filter(pk__among=given), User.objects.filter(pk__in=given)
        assert _ids(among) == _ids(within)
        outside = User.objects.exclude(pk__among=given)
        assert _ids(outside) == _ids(User.objects.exclude(pk__in=given))


def test_among_on_a_reference_finds_the_rows_that_refer(people):
    for n, person in enumerate(people):
        AuditEntry.objects.create(
            actor=person if n % 2 else None, actor_label=person.email, action="test", object_id=n
        )
    wanted = [people[1].pk, people[3].pk, people[4].pk]
    found = AuditEntry.objects.filter(actor__among=wanted).values_list("actor_label", flat=True)
    assert sorted(found) == sorted([people[1].email, people[3].email])
    by_instance = AuditEntry.objects.filter(actor__among=[people[1], people[2]])
    assert list(by_instance.values_list("actor_label", flat=True)) == [people[1].email]


def test_a_long_list_goes_as_one_parameter_on_postgresql(people):
    many = [p.pk for p in people] + list(range(10**6, 10**6 + 5000))
    with CaptureQueriesContext(connection) as queries:
        assert _ids(User.objects.filter(pk__among=many)) == sorted(p.pk for p in people)
    (sql,) = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert " IN (" not in sql
    else:
        assert " IN (" in sql
