"""How the calendars app tells the apps that read calendars (the SLA re-derives open tickets'
clocks) that a calendar's contents changed, without knowing them (``lib.hooks``)."""

from __future__ import annotations

from collections.abc import Iterable

from premierdesk.lib.hooks import Hook

# Sent with the ids of the changed calendars inside the transaction of the change, by the admin
# (a calendar saved with changes, or deleted) and by an import that added something; a
# listener defers its own work until the change commits.
calendar_changed: Hook[[set[int]]] = Hook("calendars.calendar_changed")


def announce_change(calendar_ids: Iterable[int]) -> None:
    calendar_changed.send(set(calendar_ids))
