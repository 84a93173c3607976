"""The SLA sweep, run every minute: warnings before a breach, and the breach itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from premierdesk.jobs.schedule import periodic
from premierdesk.sla.actions import sweep


@periodic(every=timedelta(minutes=1))
@task()
def sweep_sla() -> int:
    return sweep(timezone.now())
