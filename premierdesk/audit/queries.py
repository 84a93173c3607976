"""Reading the audit trail, shared by the console page and the API; and the values an entry
records: a model's fields before a change, and what changed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet

from premierdesk.audit.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    actor: str | None = None


def filtered_entries(filters: AuditFilter) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.actor:
        entries = entries.filter(actor_label=filters.actor.strip().lower())
    return entries


Changes = dict[str, list[Any]]


def json_value(value: Any) -> Any:
    """A value as the audit entry stores it in JSON (a model by its id)."""
    if isinstance(value, models.Model):
        return value.pk
    if value is None or type(value) in (str, int, bool):
        return value  # what the round trip through JSON would give back (a handover's e-mails)
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (foreign keys by id), to diff after a change."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = json_value(getattr(instance, attname))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """``{field: [before, after]}`` for every field whose value changed."""
    changed: Changes = {}
    for name in sorted(set(before) | set(after)):
        old, new = json_value(before.get(name)), json_value(after.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed
