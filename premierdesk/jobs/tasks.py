"""Periodic housekeeping of the job system itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from premierdesk.jobs.schedule import periodic

# Finished job records are kept this long for administrators to inspect (policy).
KEEP_FINISHED_JOBS = timedelta(days=30)


@periodic(every=timedelta(hours=6))
@task()
def prune_finished_jobs() -> int:
    """Delete records of jobs that finished (successfully or not) over 30 days ago."""
    cutoff = timezone.now() - KEEP_FINISHED_JOBS
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
