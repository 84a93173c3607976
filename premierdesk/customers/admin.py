"""Admin for customer organizations (audited)."""

from django.contrib import admin

from premierdesk.audit.admin import AuditedModelAdmin
from premierdesk.customers.models import Organization


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin[Organization]):
    list_display = ["name", "time_zone", "enterprise_manager"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
