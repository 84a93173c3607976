"""Admin for organizations and licenses (audited). Named-contact windows are read-only here:
they change only through the request/approve/remove actions, which check the slot limit."""

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from premierdesk.accounts.models import User
from premierdesk.audit.admin import AuditedModelAdmin, ReadOnlyModelAdmin
from premierdesk.customers.actions import onboard_organization
from premierdesk.customers.models import License, LicenseContact, NamedContact, Organization


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin[Organization]):
    list_display = ["name", "time_zone", "enterprise_manager"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(
        self, request: HttpRequest, obj: Organization, form: ModelForm[Organization], change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # Onboarding: a new organization gets its customer space in the same transaction.
        assert isinstance(request.user, User)
        onboard_organization(request.user, obj, list(form.changed_data))


@admin.register(License)
class LicenseAdmin(AuditedModelAdmin[License]):
    list_display = ["sen", "organization", "offering", "valid_from", "valid_until"]
    list_filter = ["offering", "organization"]
    search_fields = ["sen", "organization__name"]
    filter_horizontal = ["products"]


@admin.register(LicenseContact)
class LicenseContactAdmin(AuditedModelAdmin[LicenseContact]):
    list_display = ["person", "role", "is_primary", "license"]
    list_filter = ["role"]


@admin.register(NamedContact)
class NamedContactAdmin(ReadOnlyModelAdmin[NamedContact]):
    list_display = [
        "person",
        "invited_email",
        "license",
        "status",
        "starts_at",
        "ends_at",
        "covers",
    ]
    list_filter = ["status"]
    search_fields = ["person__email", "invited_email", "license__sen"]
