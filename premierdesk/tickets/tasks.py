"""Periodic ticket work: idle tickets go inactive, then close (policy)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from premierdesk.jobs.schedule import periodic
from premierdesk.tickets.actions import advance_idle_tickets


@periodic(every=timedelta(minutes=5))
@task()
def advance_idle() -> int:
    return advance_idle_tickets(timezone.now())
