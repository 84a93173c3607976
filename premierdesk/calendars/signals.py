"""``calendar_changed``: what the calendars app tells the apps that read calendars (the SLA
re-derives open tickets' clocks) when a calendar's contents change, without knowing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

from premierdesk.calendars.models import CoverageCalendar

# Sent with ``calendar_ids`` (a set of CoverageCalendar ids) inside the transaction of the
# change, by the admin (a calendar saved with changes, or deleted) and by an import that
# added something; a listener defers its own work until the change commits.
calendar_changed = Signal()


def announce_change(calendar_ids: Iterable[int]) -> None:
    calendar_changed.send(sender=CoverageCalendar, calendar_ids=set(calendar_ids))
