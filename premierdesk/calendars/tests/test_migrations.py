"""A database migrated before the calendars app existed moves forward with its calendars and
their rows, the offices' and rules' calendars and the content types intact, onto tables named
``calendars_*``; and moves back again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from premierdesk.calendars.models import CoverageCalendar

# Where the apps stood before the move; ("calendars", None) unapplies the whole app, and
# with it every migration that needs it.
BEFORE = [("calendars", None), ("sla", "0003_clock_kind_started")]
BEFORE_NODES = [("sla", "0003_clock_kind_started"), ("offices", "0004_handover_run_lease")]
MOVED = ["coveragecalendar", "calendarspan", "calendarholiday", "calendarexception"]


def migrate(targets: Sequence[tuple[str, str | None]] = ()) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets) or executor.loader.graph.leaf_nodes())
    return executor


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def calendar_column_target(table: str) -> str:
    with connection.cursor() as cursor:
        return connection.introspection.get_relations(cursor, table)["calendar_id"][1]


def seed_before_the_move(executor: MigrationExecutor) -> dict[str, int]:
    """Rows written through the models as they were at the previous release."""
    old = executor.loader.project_state(BEFORE_NODES).apps
    calendar = old.get_model("sla", "CoverageCalendar").objects.create(
        slug="sydney-hours", name="Sydney hours"
    )
    old.get_model("sla", "CalendarSpan").objects.create(
        calendar=calendar,
        start_day=0,
        start_time=time(9),
        start_zone="Australia/Sydney",
        end_day=0,
        end_time=time(17),
        end_zone="Australia/Sydney",
    )
    old.get_model("sla", "CalendarHoliday").objects.create(
        calendar=calendar,
        first=date(2027, 1, 26),
        last=date(2027, 1, 26),
        zone="Australia/Sydney",
        label="Australia Day",
    )
    old.get_model("sla", "CalendarException").objects.create(
        calendar=calendar,
        opens=False,
        starts_at=datetime(2027, 3, 1, 1, tzinfo=UTC),
        ends_at=datetime(2027, 3, 1, 2, tzinfo=UTC),
        label="Power cut",
    )
    office = old.get_model("offices", "Office").objects.create(
        name="Sydney", slug="sydney", country="AU", time_zone="Australia/Sydney", calendar=calendar
    )
    rule = old.get_model("sla", "CalendarRule").objects.create(priority=5, calendar=calendar)
    return {"calendar": calendar.pk, "office": office.pk, "rule": rule.pk}


@pytest.mark.django_db(transaction=True)
def test_calendars_offices_and_rules_survive_the_move_and_its_reversal():
    try:
        executor = migrate(BEFORE)
        assert {f"sla_{name}" for name in MOVED} <= tables()
        assert not {f"calendars_{name}" for name in MOVED} & tables()
        assert calendar_column_target("offices_office") == "sla_coveragecalendar"
        content_type = ContentType.objects.get(app_label="sla", model="coveragecalendar")
        ids = seed_before_the_move(executor)

        after = migrate().loader.project_state().apps  # the apps above, without importing them

        assert {f"calendars_{name}" for name in MOVED} <= tables()
        assert not {f"sla_{name}" for name in MOVED} & tables()
        for table in ("offices_office", "sla_calendarrule", "calendars_calendarholiday"):
            assert calendar_column_target(table) == "calendars_coveragecalendar"
        calendar = CoverageCalendar.objects.get(pk=ids["calendar"])
        assert calendar.slug == "sydney-hours"
        assert [h.label for h in calendar.holidays.all()] == ["Australia Day"]
        assert [e.label for e in calendar.exceptions.all()] == ["Power cut"]
        assert calendar.spans.get().start_time == time(9)
        office = after.get_model("offices", "Office").objects.get(pk=ids["office"])
        rule = after.get_model("sla", "CalendarRule").objects.get(pk=ids["rule"])
        assert office.calendar.slug == rule.calendar.slug == "sydney-hours"
        assert office.calendar._meta.label == "calendars.CoverageCalendar"
        moved = ContentType.objects.get(pk=content_type.pk)
        assert (moved.app_label, moved.model) == ("calendars", "coveragecalendar")
        # New rows get fresh ids on the renamed table (its id sequence came along).
        assert CoverageCalendar.objects.create(slug="new", name="New").pk > calendar.pk

        migrate(BEFORE)
        assert calendar_column_target("offices_office") == "sla_coveragecalendar"
        assert ContentType.objects.get(pk=content_type.pk).app_label == "sla"
        with connection.cursor() as cursor:
            cursor.execute("SELECT slug FROM sla_coveragecalendar ORDER BY id")
            assert [slug for (slug,) in cursor.fetchall()] == ["sydney-hours", "new"]
    finally:
        migrate()
        ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_a_stored_exception_ending_before_it_starts_stops_the_constraint_with_a_sentence():
    before_constraint = [("calendars", "0002_calendars_tables")]
    try:
        executor = migrate(before_constraint)
        old = executor.loader.project_state(before_constraint).apps
        calendar = old.get_model("calendars", "CoverageCalendar").objects.create(
            slug="sydney-hours", name="Sydney hours"
        )
        starts_at = datetime(2027, 3, 1, 2, tzinfo=UTC)
        backwards = old.get_model("calendars", "CalendarException").objects.create(
            calendar=calendar, opens=False, starts_at=starts_at, ends_at=starts_at, label="Typo"
        )
        with pytest.raises(RuntimeError) as refused:
            migrate()
        assert str(refused.value).startswith(
            "1 calendar exceptions end at or before they start, which the database will refuse "
            f"from now on: #{backwards.pk} “Typo” of Sydney hours (2027-03-01 02:00 to "
            "2027-03-01 02:00)."
        )
        backwards.delete()
        migrate()
        assert CoverageCalendar.objects.get(pk=calendar.pk).exceptions.count() == 0
    finally:
        with connection.cursor() as cursor:  # whatever the test left, at either state
            cursor.execute("DELETE FROM calendars_calendarexception")
        migrate()
