"""An exception ends after it starts, now in the database too (the admin form alone refused
it before). A stored exception that does not stops the migration with a sentence naming it,
rather than a bare constraint error; nothing is deleted on anyone's behalf."""

from django.db import migrations, models

SHOWN = 10


def refuse_backwards_exceptions(apps, schema_editor):
    exceptions = apps.get_model("calendars", "CalendarException")
    backwards = exceptions.objects.filter(ends_at__lte=models.F("starts_at")).order_by("pk")
    found = [
        f"#{pk} “{label}” of {calendar} ({starts_at:%Y-%m-%d %H:%M} to {ends_at:%Y-%m-%d %H:%M})"
        for pk, label, calendar, starts_at, ends_at in backwards.values_list(
            "pk", "label", "calendar__name", "starts_at", "ends_at"
        )[:SHOWN]
    ]
    if found:
        raise RuntimeError(
            f"{backwards.count()} calendar exceptions end at or before they start, which the "
            f"database will refuse from now on: {'; '.join(found)}. Correct their end (or "
            "delete them: they cover no time) and migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0002_calendars_tables"),
    ]

    operations = [
        migrations.RunPython(refuse_backwards_exceptions, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="calendarexception",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))),
                name="exception_ends_after_start",
            ),
        ),
    ]
