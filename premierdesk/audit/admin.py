"""Admin: the audit trail is read-only; configuration models save through the audited action."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from premierdesk.accounts.models import User
from premierdesk.audit.actions import delete_configuration, save_configuration
from premierdesk.audit.models import AuditEntry

M = TypeVar("M", bound=models.Model)


class ReadOnlyModelAdmin(admin.ModelAdmin[M]):
    """For records that change only through actions (or never): the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin[AuditEntry]):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "action"]
    date_hierarchy = "at"


class AuditedModelAdmin(admin.ModelAdmin[M]):
    """Every save and delete made in the admin goes into the audit trail."""

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        assert isinstance(request.user, User)
        save_configuration(request.user, obj, form.changed_data, creating=not change)

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        assert isinstance(request.user, User)
        delete_configuration(request.user, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: Any) -> None:
        """Inline rows (a calendar's holidays, an offering's targets) go through the audited
        action one by one, like the object they belong to."""
        assert isinstance(request.user, User)
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            delete_configuration(request.user, obj)
        for obj in formset.new_objects:
            fields = [f.name for f in obj._meta.concrete_fields if not f.primary_key]
            save_configuration(request.user, obj, fields, creating=True)
        for obj, changed_fields in formset.changed_objects:
            save_configuration(request.user, obj, changed_fields, creating=False)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # The bulk delete action bypasses delete_model (and so the audit trail).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
