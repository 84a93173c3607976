"""API: read the audit trail (support managers and administrators). No endpoint changes it."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from premierdesk.accounts.access import current_user
from premierdesk.audit.models import AuditEntry
from premierdesk.audit.queries import AuditFilter, filtered_entries
from premierdesk.audit.rules import require_read_trail
from premierdesk.restapi.pagination import PagePagination

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    reason: str

    @staticmethod
    def resolve_actor(entry: AuditEntry) -> str:
        return entry.actor_label


class AuditQuery(Schema):
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    actor: str | None = None


@router.get("/audit", response=list[AuditEntryOut], summary="The audit trail, newest first")
@paginate(PagePagination)
def list_entries(request: HttpRequest, filters: Query[AuditQuery]) -> QuerySet[AuditEntry]:
    require_read_trail(current_user(request))
    return filtered_entries(AuditFilter(**filters.dict()))
