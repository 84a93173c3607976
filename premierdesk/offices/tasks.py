"""Follow-the-sun jobs, every minute: hand over at each office's end of day, and alert the
receiving lead when a handover is not acknowledged in time."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from premierdesk.jobs.schedule import periodic
from premierdesk.offices.actions import alert_unacknowledged, hand_over_due


@periodic(every=timedelta(minutes=1))
@task()
def hand_over() -> int:
    return hand_over_due(timezone.now())


@periodic(every=timedelta(minutes=1))
@task()
def alert_handovers() -> int:
    return alert_unacknowledged(timezone.now())
