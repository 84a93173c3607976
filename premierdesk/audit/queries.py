"""Reading the audit trail, shared by the console page and the API."""

from __future__ import annotations

from dataclasses import dataclass

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
