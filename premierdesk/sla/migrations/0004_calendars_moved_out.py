"""The coverage calendars moved to the calendars app (see calendars 0001): the calendar rule
points at calendars.CoverageCalendar (same column, same table), and sla forgets the four
models, in the migration state only; no table is touched here."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_initial"),
        ("sla", "0003_clock_kind_started"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="calendarrule",
                    name="calendar",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="calendars.coveragecalendar",
                    ),
                ),
                migrations.DeleteModel(name="CalendarSpan"),
                migrations.DeleteModel(name="CalendarHoliday"),
                migrations.DeleteModel(name="CalendarException"),
                migrations.DeleteModel(name="CoverageCalendar"),
            ],
        ),
    ]
