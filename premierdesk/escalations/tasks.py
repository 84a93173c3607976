"""Escalation jobs: every minute, alert the support managers of callbacks past their due time."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from premierdesk.escalations.actions import alert_overdue_callbacks
from premierdesk.jobs.schedule import periodic


@periodic(every=timedelta(minutes=1))
@task()
def alert_callbacks() -> int:
    return alert_overdue_callbacks(timezone.now())
