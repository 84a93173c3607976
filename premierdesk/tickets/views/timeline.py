"""A ticket's timeline events in words, as the ticket page lists them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from premierdesk.catalog.models import Level
from premierdesk.tickets.models import CallDirection, EventKind, Status, TimelineEvent


@dataclass(frozen=True)
class EventRow:
    event: TimelineEvent
    who: str
    what: str


def event_row(event: TimelineEvent) -> EventRow:
    who = event.actor.full_name if event.actor else event.actor_label
    return EventRow(event, who, describe(event))


def describe(event: TimelineEvent) -> str:
    data: dict[str, Any] = event.data or {}
    what = _SENTENCES.get(EventKind(event.kind))
    text = what(data) if what else event.get_kind_display()
    if data.get("reason"):
        text += f" Reason: {data['reason']}"
    return text


def _label(choices: type[models.TextChoices], value: object) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "—")


def _owner(data: dict[str, Any]) -> str:
    office = f" ({data['office']})" if data.get("office") else ""
    return f"Owner: {data.get('from') or 'nobody'} → {data.get('to')}{office}."


def _call(data: dict[str, Any]) -> str:
    direction = _label(CallDirection, data.get("direction"))
    return f"Phone call logged: {direction.lower()}, {data.get('duration_minutes', '?')} min."


def _follow_the_sun(data: dict[str, Any]) -> str:
    if data.get("on"):
        return "Marked to follow the sun: handed over at each office's end of day."
    return "Unmarked: no longer handed over at each office's end of day."


def _escalated(data: dict[str, Any]) -> str:
    return f"Escalated ({data.get('grounds')}); escalation manager: {data.get('manager')}."


_SENTENCES: dict[EventKind, Callable[[dict[str, Any]], str]] = {
    EventKind.OPENED: lambda d: f"Opened the ticket at {_label(Level, d.get('level'))}.",
    EventKind.STATUS_CHANGED: lambda d: (
        f"Status: {_label(Status, d.get('from'))} → {_label(Status, d.get('to'))}."
    ),
    EventKind.LEVEL_CHANGED: lambda d: (
        f"Level: {_label(Level, d.get('from'))} → {_label(Level, d.get('to'))}."
    ),
    EventKind.OWNER_CHANGED: _owner,
    EventKind.PARTICIPANT_ADDED: lambda d: f"Added {d.get('person')} as a participant.",
    EventKind.COMMENTED: lambda d: "Commented.",
    EventKind.COMMENT_EDITED: lambda d: "Edited a comment.",
    EventKind.ATTACHED: lambda d: f"Attached {d.get('file_name') or 'a file'}.",
    EventKind.CALL_LOGGED: _call,
    EventKind.FOLLOW_THE_SUN: _follow_the_sun,
    EventKind.ESCALATED: _escalated,
    EventKind.ESCALATION_RESOLVED: lambda d: f"Escalation resolved: {d.get('outcome')}",
    EventKind.DEVELOPERS_ASKED: lambda d: (
        f"Asked {d.get('team')} for help ({d.get('urgency')} urgency)."
    ),
    EventKind.DEVELOPERS_ANSWERED: lambda d: f"{d.get('team')} answered: {d.get('answer')}",
}
