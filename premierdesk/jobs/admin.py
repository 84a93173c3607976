"""Admin: when each periodic job runs next. (Each job's state and error are on the
django-tasks-db "Task results" admin page.)"""

from django.contrib import admin

from premierdesk.audit.admin import ReadOnlyModelAdmin
from premierdesk.jobs.models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnlyModelAdmin[ScheduledJob]):
    list_display = ["name", "next_run_at", "last_enqueued_at", "last_task_id"]
    readonly_fields = ["name", "next_run_at", "last_enqueued_at", "last_task_id"]
