"""Escalations in the admin: developer teams and the policy are configuration (edited here,
audited); escalations, callbacks and requests change only through their actions."""

from django.contrib import admin

from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.escalations.models import (
    AssistanceRequest,
    CallbackRequest,
    DeveloperTeam,
    Escalation,
    EscalationPolicy,
)


@admin.register(DeveloperTeam)
class DeveloperTeamAdmin(AuditedModelAdmin[DeveloperTeam]):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["products", "members"]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(AuditedModelAdmin[EscalationPolicy]):
    list_display = ["__str__", "callback_response_hours"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyModelAdmin[Escalation]):
    list_display = ["__str__", "reason", "manager", "raised_at", "resolved_at"]
    list_filter = ["reason"]


@admin.register(CallbackRequest)
class CallbackRequestAdmin(ReadOnlyModelAdmin[CallbackRequest]):
    list_display = ["__str__", "wants", "assignee", "due_at", "closed_at"]


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(ReadOnlyModelAdmin[AssistanceRequest]):
    list_display = ["__str__", "team", "urgency", "asked_at", "answered_at"]
    list_filter = ["team", "urgency"]
