"""Tasks used only by the job tests: one leaves a visible trace, one always fails."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from premierdesk.audit.actions import record


@task()
def leave_trace(label: str) -> str:
    with transaction.atomic():
        record(None, "test.job_ran", reason=label, system="test worker")
    return label


@task()
def always_fails() -> None:
    raise ValueError("broken on purpose: the disk is full")
