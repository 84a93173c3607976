"""When each periodic job runs next. The scheduler claims a due run by moving ``next_run_at``
forward with a conditional update, so any number of schedulers enqueue it once."""

from __future__ import annotations

from django.db import models


class ScheduledJob(models.Model):
    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField(db_index=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    last_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["next_run_at"]

    def __str__(self) -> str:
        return self.name
