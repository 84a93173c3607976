"""The worker's side of the outbox: deliver right after a change commits, and sweep for
retries and for messages a crashed worker left behind."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from premierdesk.jobs.schedule import periodic
from premierdesk.notifications.actions import deliver_due


@periodic(every=timedelta(seconds=30))
@task()
def deliver_outbox() -> dict[str, int]:
    report = deliver_due(timezone.now())
    return {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}
