"""An office's working calendar is a calendars.CoverageCalendar now (the model moved from
sla, see calendars 0001): the same column, changed in the migration state only, before sla
forgets its own copy of the model."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_initial"),
        ("offices", "0004_handover_run_lease"),
    ]
    run_before = [
        ("sla", "0004_calendars_moved_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="office",
                    name="calendar",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Working hours (in the office's zone) and holidays: the "
                        "office is on duty whenever this calendar covers the moment.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="offices",
                        to="calendars.coveragecalendar",
                    ),
                ),
            ],
        ),
    ]
