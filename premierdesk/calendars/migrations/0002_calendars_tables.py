"""The moved tables take this app's names (``sla_coveragecalendar`` becomes
``calendars_coveragecalendar``, and so on); foreign keys from other tables follow the rename
on PostgreSQL and on SQLite (3.26 and later).

The rename waits for sla 0004 (and so for offices 0005, which runs before it): until then
their migration state still has sla's copy of the models on the ``sla_*`` tables, and a fresh
database creates, e.g., the office's foreign key to ``sla_coveragecalendar`` in offices 0002;
renaming first would leave that key pointing at a table that is gone."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0001_initial"),
        ("sla", "0004_calendars_moved_out"),
    ]

    operations = [
        migrations.AlterModelTable(name="coveragecalendar", table=None),
        migrations.AlterModelTable(name="calendarspan", table=None),
        migrations.AlterModelTable(name="calendarholiday", table=None),
        migrations.AlterModelTable(name="calendarexception", table=None),
    ]
