"""Reading Premier services: who sees which standby requests and health checks.

Who reads what is ``services.rules`` (docs/access.md): every page, API endpoint and feed reads
through here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from premierdesk.accounts.models import User
from premierdesk.services.models import HealthCheck, StandbyRequest
from premierdesk.services.rules import services_scope

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
    return requests.filter(services_scope(user))


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
    return checks.filter(services_scope(user))
