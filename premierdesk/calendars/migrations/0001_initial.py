"""The calendar models move here from sla without touching their tables: this migration
creates them in the migration state only, on the tables sla made (``sla_*``), and hands the
models' content types over (so permissions and admin history follow); sla 0004 drops them
from its own state, and 0002 here gives the tables this app's names."""

import django.db.models.deletion
from django.db import migrations, models

import premierdesk.lib.zones

MOVED = ["coveragecalendar", "calendarspan", "calendarholiday", "calendarexception"]
WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


def _move_content_types(apps, source, target):
    """Relabel the models' content types, unless the target's exist already (then the old
    ones are left for ``remove_stale_contenttypes``)."""
    content_types = apps.get_model("contenttypes", "ContentType")
    taken = set(
        content_types.objects.filter(app_label=target, model__in=MOVED).values_list(
            "model", flat=True
        )
    )
    content_types.objects.filter(app_label=source, model__in=MOVED).exclude(
        model__in=taken
    ).update(app_label=target)


def content_types_to_calendars(apps, schema_editor):
    _move_content_types(apps, "sla", "calendars")


def content_types_to_sla(apps, schema_editor):
    _move_content_types(apps, "calendars", "sla")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("sla", "0003_clock_kind_started"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CoverageCalendar",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("slug", models.SlugField(max_length=64, unique=True)),
                        ("name", models.CharField(max_length=100, unique=True)),
                        (
                            "always_open",
                            models.BooleanField(
                                default=False,
                                help_text="All time is covered except what closed spans take out.",
                            ),
                        ),
                        ("description", models.TextField(blank=True)),
                    ],
                    options={"ordering": ["name"], "db_table": "sla_coveragecalendar"},
                ),
                migrations.CreateModel(
                    name="CalendarSpan",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "closes",
                            models.BooleanField(
                                default=False,
                                help_text="Takes time out (e.g. the global weekend) rather "
                                "than adding it.",
                            ),
                        ),
                        ("start_day", models.PositiveSmallIntegerField(choices=WEEKDAYS)),
                        ("start_time", models.TimeField()),
                        (
                            "start_zone",
                            models.CharField(
                                max_length=64,
                                validators=[premierdesk.lib.zones.validate_time_zone],
                            ),
                        ),
                        ("end_day", models.PositiveSmallIntegerField(choices=WEEKDAYS)),
                        ("end_time", models.TimeField()),
                        (
                            "end_zone",
                            models.CharField(
                                max_length=64,
                                validators=[premierdesk.lib.zones.validate_time_zone],
                            ),
                        ),
                        ("label", models.CharField(blank=True, max_length=100)),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="spans",
                                to="calendars.coveragecalendar",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["calendar", "start_day", "start_time"],
                        "db_table": "sla_calendarspan",
                    },
                ),
                migrations.CreateModel(
                    name="CalendarHoliday",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("first", models.DateField()),
                        ("last", models.DateField()),
                        (
                            "zone",
                            models.CharField(
                                max_length=64,
                                validators=[premierdesk.lib.zones.validate_time_zone],
                            ),
                        ),
                        ("label", models.CharField(default="holiday", max_length=100)),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="holidays",
                                to="calendars.coveragecalendar",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["calendar", "first"],
                        "db_table": "sla_calendarholiday",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("last__gte", models.F("first"))),
                                name="holiday_ends_after_start",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="CalendarException",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "opens",
                            models.BooleanField(
                                help_text="Adds covered time; otherwise takes it out."
                            ),
                        ),
                        ("starts_at", models.DateTimeField()),
                        ("ends_at", models.DateTimeField()),
                        ("label", models.CharField(max_length=100)),
                        (
                            "calendar",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="exceptions",
                                to="calendars.coveragecalendar",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["calendar", "starts_at"],
                        "db_table": "sla_calendarexception",
                    },
                ),
            ],
        ),
        migrations.RunPython(content_types_to_calendars, content_types_to_sla),
    ]
