"""Background jobs run only after their transaction commits, and record their outcome."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from premierdesk.audit.models import AuditEntry
from premierdesk.jobs.actions import enqueue_due_jobs, enqueue_on_commit, sync_schedule
from premierdesk.jobs.models import ScheduledJob
from premierdesk.jobs.schedule import REGISTRY
from premierdesk.jobs.tasks import prune_finished_jobs
from premierdesk.jobs.tests.sample_tasks import always_fails, leave_trace

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker() -> None:
    call_command("worker", "--batch", "--interval", "0")


def test_job_is_not_queued_before_commit_and_runs_after():
    with transaction.atomic():
        enqueue_on_commit(leave_trace, "after commit")
        assert DBTaskResult.objects.count() == 0  # nothing a worker could pick up yet
    assert DBTaskResult.objects.count() == 1
    run_worker()
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == "after commit"
    assert AuditEntry.objects.filter(action="test.job_ran", reason="after commit").count() == 1


def test_job_of_a_rolled_back_transaction_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(leave_trace, "rolled back")
        raise RuntimeError("the change failed")
    run_worker()
    assert DBTaskResult.objects.count() == 0
    assert not AuditEntry.objects.filter(action="test.job_ran").exists()


def test_failed_job_keeps_its_error_for_administrators():
    with transaction.atomic():
        enqueue_on_commit(always_fails)
    run_worker()
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert result.exception_class_path == "builtins.ValueError"
    assert "the disk is full" in result.traceback


def test_failed_jobs_are_visible_in_the_admin(as_user, administrator):
    with transaction.atomic():
        enqueue_on_commit(always_fails)
    run_worker()
    page = as_user(administrator).get("/admin/django_tasks_database/dbtaskresult/")
    assert page.status_code == 200
    assert "always_fails" in page.content.decode()


NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_scheduler_enqueues_each_due_job_once_per_interval():
    sync_schedule(NOW)
    first = enqueue_due_jobs(NOW)
    assert set(first) == set(REGISTRY)
    assert enqueue_due_jobs(NOW) == []  # a second scheduler at the same moment finds nothing
    job = REGISTRY["premierdesk.jobs.tasks.prune_finished_jobs"]
    row = ScheduledJob.objects.get(name=job.name)
    assert row.next_run_at == NOW + job.every
    assert job.name not in enqueue_due_jobs(NOW + job.every - timedelta(seconds=1))
    assert job.name in enqueue_due_jobs(NOW + job.every)


def test_a_run_claimed_by_another_scheduler_is_not_enqueued_again():
    sync_schedule(NOW)
    name = "premierdesk.jobs.tasks.prune_finished_jobs"
    # The other scheduler claims the run between our read and our update.
    stale = ScheduledJob.objects.get(name=name)
    ScheduledJob.objects.filter(pk=stale.pk).update(next_run_at=NOW + timedelta(hours=6))
    before = DBTaskResult.objects.count()
    enqueue_due_jobs(NOW)
    assert DBTaskResult.objects.filter(task_path__endswith="prune_finished_jobs").count() == 0
    assert DBTaskResult.objects.count() == before + len(REGISTRY) - 1


def test_prune_removes_only_old_finished_jobs():
    with transaction.atomic():
        enqueue_on_commit(leave_trace, "old")
        enqueue_on_commit(leave_trace, "recent")
    run_worker()
    old = DBTaskResult.objects.get(return_value="old")
    DBTaskResult.objects.filter(pk=old.pk).update(finished_at=NOW - timedelta(days=31))
    DBTaskResult.objects.exclude(pk=old.pk).update(finished_at=NOW - timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        assert prune_finished_jobs.call() == 1
    assert list(DBTaskResult.objects.values_list("return_value", flat=True)) == ["recent"]


def test_scheduler_command_runs_once(capsys):
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "enqueued premierdesk.jobs.tasks.prune_finished_jobs" in out
