"""Periodic housekeeping of sign-in: throttle rows that no longer hold anything go."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from premierdesk.accounts.actions import prune_throttles
from premierdesk.jobs.schedule import periodic


@periodic(every=timedelta(hours=1))
@task()
def prune_sign_in_throttles() -> int:
    return prune_throttles(timezone.now())
