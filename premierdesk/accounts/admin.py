"""Admin for accounts. Accounts are created through the action layer so they are audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from premierdesk.accounts.models import ApiToken, SignInThrottle, User
from premierdesk.audit.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(AuditedModelAdmin[User]):
    list_display = ["email", "full_name", "role", "organization", "time_zone", "is_active"]
    list_filter = ["role", "is_active", "organization"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["email", "password", "last_login", "date_joined"]
    fields = [
        "email",
        "full_name",
        "role",
        "organization",
        "time_zone",
        "is_active",
        "password",
        "last_login",
        "date_joined",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New accounts come from `premierdesk createsuperuser`, demo data or invitations,
        # all of which go through accounts.actions.create_account.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: the audit trail keeps pointing at the account


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SignInThrottle)
class SignInThrottleAdmin(AuditedModelAdmin[SignInThrottle]):
    list_display = ["key", "failures", "first_failure_at", "locked_until"]
    search_fields = ["key"]
