"""Enqueueing background work after commit, and the scheduler's claim of due periodic runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django_tasks.base import Task

from premierdesk.jobs.models import ScheduledJob
from premierdesk.jobs.schedule import REGISTRY


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` once the current transaction commits; never if it rolls back.

    A job must not see a world its caller has not committed yet, and must not run for a
    change that was undone.
    """
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs), robust=False)


def sync_schedule(now: datetime) -> None:
    """Make sure every registered periodic job has a row; new ones are due at once."""
    known = set(ScheduledJob.objects.values_list("name", flat=True))
    for name in REGISTRY.keys() - known:
        ScheduledJob.objects.get_or_create(name=name, defaults={"next_run_at": now})


def enqueue_due_jobs(now: datetime) -> list[str]:
    """Enqueue each periodic job whose time has come; returns the names enqueued.

    The run is claimed by moving ``next_run_at`` forward only if it still holds the value we
    read: when two schedulers race, exactly one update matches.
    """
    enqueued = []
    due = ScheduledJob.objects.filter(name__in=list(REGISTRY), next_run_at__lte=now)
    for row in due.order_by("next_run_at"):
        job = REGISTRY[row.name]
        with transaction.atomic():
            claimed = ScheduledJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
                next_run_at=now + job.every, last_enqueued_at=now
            )
            if claimed == 1:
                result = job.task.enqueue()
                ScheduledJob.objects.filter(pk=row.pk).update(last_task_id=str(result.id))
                enqueued.append(row.name)
    return enqueued
