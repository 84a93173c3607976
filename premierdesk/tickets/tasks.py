"""Periodic ticket work: idle tickets go inactive, then close (policy); idempotency keys are
forgotten after a day."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from premierdesk.jobs.schedule import periodic
from premierdesk.tickets.actions import advance_idle_tickets
from premierdesk.tickets.idempotency import KEEP_FOR, forget_keys_before


@periodic(every=timedelta(minutes=5))
@task()
def advance_idle() -> int:
    return advance_idle_tickets(timezone.now())


@periodic(every=timedelta(hours=1))
@task()
def forget_idempotency_keys() -> int:
    return forget_keys_before(timezone.now() - KEEP_FOR)
