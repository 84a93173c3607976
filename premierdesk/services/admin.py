"""Admin: the services policy is configuration (audited saves); standby requests, health
checks and findings change only through their actions, so the admin shows them. Feed tokens
are secrets' digests and are not shown."""

from __future__ import annotations

from django.contrib import admin

from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.services.models import Finding, HealthCheck, ServicePolicy, StandbyRequest


@admin.register(ServicePolicy)
class ServicePolicyAdmin(AuditedModelAdmin[ServicePolicy]):
    list_display = [
        "__str__",
        "standby_notice_days",
        "standby_max_hours",
        "first_reminder_hours",
        "second_reminder_hours",
    ]


@admin.register(StandbyRequest)
class StandbyRequestAdmin(ReadOnlyModelAdmin[StandbyRequest]):
    list_display = ["key", "organization", "product", "starts_at", "ends_at", "status", "engineer"]
    list_filter = ["status", "product"]
    search_fields = ["organization__name", "plan"]


@admin.register(HealthCheck)
class HealthCheckAdmin(ReadOnlyModelAdmin[HealthCheck]):
    list_display = ["key", "organization", "product", "environment", "status", "agreed_date"]
    list_filter = ["status", "product", "environment"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyModelAdmin[Finding]):
    list_display = ["__str__", "health_check", "severity", "status"]
    list_filter = ["severity", "status"]
