"""Admin: when each periodic job runs next. (Each job's state and error are on the
django-tasks-db "Task results" admin page.)"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from premierdesk.jobs.models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin[ScheduledJob]):
    list_display = ["name", "next_run_at", "last_enqueued_at", "last_task_id"]
    readonly_fields = ["name", "next_run_at", "last_enqueued_at", "last_task_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
