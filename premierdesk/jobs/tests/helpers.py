"""Running the real worker inside a test that holds the database in a transaction."""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def run_worker_in_test() -> None:
    """Run every queued job with ``premierdesk worker --batch``, keeping the test's connection.

    The worker calls ``close_old_connections()`` as it starts and between jobs; inside a test
    that wraps everything in a transaction (autocommit off) that closes the connection, which
    PostgreSQL then refuses to use. A real worker runs in autocommit, where that call only
    drops dead connections.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", "--batch", "--interval", "0")
