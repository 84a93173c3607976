"""Writing the audit trail. Every action of every app calls ``record`` inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from premierdesk.accounts.models import User
from premierdesk.audit.models import AuditEntry
from premierdesk.audit.queries import Changes, diff, json_value, snapshot
from premierdesk.lib import bulk


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    changes: Changes | None = None,
    reason: str = "",
    system: str = "system",
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the transaction that makes the change, so the change
    and its record commit or roll back together."""
    _require_transaction(action)
    entry = _entry(actor, action, obj, changes, reason, system, object_repr)
    entry.save()
    return entry


def record_many(
    actor: User | None,
    action: str,
    changed: Iterable[tuple[models.Model, Changes]],
    *,
    system: str = "system",
) -> int:
    """Append one entry for each changed object, in one insert (a handover of thousands of
    tickets), all at one instant; returns how many. The entries go as plain rows: a model
    instance each cost most of the write. Same rule as ``record``: inside the transaction
    of the change."""
    _require_transaction(action)
    label = actor.email if actor is not None else system
    rows = []
    for obj, changes in changed:
        row = _entry_row(action, obj, changes)
        rows.append({**row, "actor_id": actor.pk if actor else None, "actor_label": label})
    return bulk.insert_rows(AuditEntry, rows)


def record_each(
    actor: User | None,
    entries: Iterable[tuple[str, models.Model, Changes]],
    *,
    system: str = "system",
) -> list[AuditEntry]:
    """Append one entry for each (action, object, changes), in that order and in one insert:
    changes of several kinds made together (the SLA sweep's warnings and breaches). Same rule
    as ``record``: inside the transaction of the change."""
    rows = []
    for action, obj, changes in entries:
        _require_transaction(action)
        rows.append(_entry(actor, action, obj, changes, "", system, None))
    return AuditEntry.objects.bulk_create(rows, batch_size=500)


def _require_transaction(action: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"audit.record({action!r}) must run inside transaction.atomic().")


def _entry(
    actor: User | None,
    action: str,
    obj: models.Model | None,
    changes: Changes | None,
    reason: str,
    system: str,
    object_repr: str | None,
) -> AuditEntry:
    row = _entry_row(action, obj, changes, object_repr)
    label = actor.email if actor is not None else system
    return AuditEntry(actor=actor, actor_label=label, reason=reason, **row)


def _entry_row(
    action: str, obj: models.Model | None, changes: Changes | None, object_repr: str | None = None
) -> dict[str, Any]:
    """What an entry says of the change, whoever made it."""
    object_type = object_id = ""
    if obj is not None:
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
    return {
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": (object_repr if object_repr is not None else str(obj or ""))[:200],
        "changes": {key: [json_value(v) for v in pair] for key, pair in (changes or {}).items()},
    }


@transaction.atomic
def save_configuration(
    actor: User, instance: models.Model, changed_fields: Iterable[str], *, creating: bool
) -> None:
    """Save configuration data edited in the admin (products, offices, policies), recording
    what changed. The admin has no other way to write."""
    fields = list(changed_fields)
    before: dict[str, Any] = {}
    if not creating and instance.pk is not None:
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        if stored is not None:
            before = snapshot(stored, _concrete(stored, fields))
    instance.save()
    after = snapshot(instance, _concrete(instance, fields))
    verb = "created" if creating else "changed"
    record(actor, f"{instance._meta.label_lower}.{verb}", instance, changes=diff(before, after))


@transaction.atomic
def delete_configuration(actor: User, instance: models.Model) -> None:
    record(actor, f"{instance._meta.label_lower}.deleted", instance)
    instance.delete()


def _concrete(instance: models.Model, fields: list[str]) -> list[str]:
    """The changed fields that are stored columns (many-to-many values are recorded by name)."""
    names = []
    for name in fields:
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field has nothing stored to compare
            continue
        if getattr(field, "concrete", False) and not getattr(field, "many_to_many", False):
            names.append(name)
    return names
