"""Reading Premier services: who sees which standby requests and health checks.

Staff see all; a customer sees their own organization's, and nothing of another's. Every page,
API endpoint and feed reads through here, so the rule is written once.
"""

from __future__ import annotations

from django.db.models import QuerySet

from premierdesk.accounts.models import User
from premierdesk.services.models import HealthCheck, StandbyRequest

STANDBY_RELATIONS = (
    "organization",
    "license",
    "product",
    "requested_by",
    "engineer__user",
    "engineer__office",
    "decided_by",
)


def visible_standby(user: User) -> QuerySet[StandbyRequest]:
    requests = StandbyRequest.objects.select_related(*STANDBY_RELATIONS).order_by("starts_at", "pk")
    if user.is_support_staff:
        return requests
    return requests.filter(organization_id=user.organization_id or 0)


HEALTH_CHECK_RELATIONS = (
    "organization",
    "license",
    "product",
    "requested_by",
    "engineer__user",
    "engineer__office",
)


def visible_health_checks(user: User) -> QuerySet[HealthCheck]:
    checks = HealthCheck.objects.select_related(*HEALTH_CHECK_RELATIONS).order_by(
        "-requested_at", "-pk"
    )
    if user.is_support_staff:
        return checks
    return checks.filter(organization_id=user.organization_id or 0)
