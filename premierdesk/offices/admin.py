"""Admin for offices and engineers (audited)."""

from django.contrib import admin

from premierdesk.audit.admin import AuditedModelAdmin
from premierdesk.offices.models import Engineer, Office


@admin.register(Office)
class OfficeAdmin(AuditedModelAdmin[Office]):
    list_display = ["name", "country", "time_zone", "lead"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Engineer)
class EngineerAdmin(AuditedModelAdmin[Engineer]):
    list_display = ["user", "office", "max_load"]
    list_filter = ["office", "skills"]
    filter_horizontal = ["skills"]
