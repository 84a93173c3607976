"""Outbox delivery against a real SMTP server (aiosmtpd on 127.0.0.1): each message arrives
once with its derived Message-ID, an unreachable server means a retry and nothing lost, and a
worker killed after the server took a message leads to a resend that is the same message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections, transaction

from premierdesk.notifications import actions
from premierdesk.notifications.actions import (
    CLAIM_LEASE,
    DeliveryReport,
    deliver_due,
    queue_email,
)
from premierdesk.notifications.models import DeliveryStatus, OutboxMessage
from premierdesk.notifications.queries import message_id, retry_delay
from premierdesk.notifications.tests.smtp_server import SmtpServer, started_smtp_server
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

frozen = frozen_at(NOW, autouse=False)


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    """A running SMTP server that Django's SMTP e-mail backend sends to."""
    server = started_smtp_server()
    for name, value in server.django_settings().items():
        setattr(settings, name, value)
    yield server
    server.stop()


def queue(event: str, to: str, subject: str = "Your request") -> None:
    with transaction.atomic():
        assert queue_email(event, to, subject, f"Body of {event}")


def row_state(row: OutboxMessage) -> tuple[str, int, datetime | None]:
    row.refresh_from_db()
    return row.status, row.attempts, row.next_attempt_at


def test_each_message_reaches_the_server_once_with_its_message_id(smtp, frozen):
    recipients = ["grace@northwind.example", "dan@northwind.example", "alan@kestrel.example"]
    for n, to in enumerate(recipients):
        queue(f"test.event:{n}", to, subject=f"Request {n}")

    report = deliver_due(NOW)

    assert (report.sent, report.retrying, report.failed) == (3, 0, 0)
    by_recipient = {r.rcpt_tos[0]: r for r in smtp.received}
    assert len(smtp.received) == len(by_recipient) == 3
    for n, to in enumerate(recipients):
        received = by_recipient[to]
        assert received.rcpt_tos == [to]
        assert received.message["To"] == to
        assert received.message["Subject"] == f"Request {n}"
        assert received.message["Message-ID"] == message_id(f"test.event:{n}", to)
        assert received.message.get_payload().rstrip("\r\n") == f"Body of test.event:{n}"
    assert OutboxMessage.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == 3

    assert deliver_due(NOW + timedelta(days=1)).sent == 0
    assert len(smtp.received) == 3


def test_an_unreachable_server_means_a_retry_then_delivery_once(smtp, frozen):
    queue("test.event:1", "grace@northwind.example")
    row = OutboxMessage.objects.get()
    smtp.stop()  # nothing listens on the port now

    report = deliver_due(NOW)

    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    assert row_state(row) == (DeliveryStatus.PENDING, 1, NOW + retry_delay(1))
    assert "ConnectionRefusedError" in row.last_error
    assert "Connection refused" in row.last_error
    assert smtp.received == []

    smtp.start()
    assert deliver_due(NOW + retry_delay(1) - timedelta(seconds=1)).sent == 0  # not due yet
    frozen.move_to(NOW + retry_delay(1))
    assert deliver_due(datetime.now(UTC)).sent == 1

    assert smtp.message_ids() == [row.message_id]
    assert row_state(row) == (DeliveryStatus.SENT, 2, None)
    assert row.last_error == ""
    assert deliver_due(NOW + timedelta(days=1)).sent == 0
    assert len(smtp.received) == 1


def assert_resent_as_the_same_message(smtp: SmtpServer, row: OutboxMessage) -> None:
    """After a worker died between the server taking the message and marking it sent: the
    claim holds until its lease ends, then the message goes again as the same message."""
    assert row_state(row) == (DeliveryStatus.PENDING, 1, NOW + CLAIM_LEASE)
    assert len(smtp.received) == 1

    assert deliver_due(NOW + CLAIM_LEASE - timedelta(seconds=1)).sent == 0
    assert deliver_due(NOW + CLAIM_LEASE).sent == 1

    first, second = smtp.received
    assert first.message["Message-ID"] == second.message["Message-ID"] == row.message_id
    assert first.rcpt_tos == second.rcpt_tos == [row.recipient]
    assert first.message["Subject"] == second.message["Subject"] == row.subject
    assert OutboxMessage.objects.count() == 1
    assert row_state(row) == (DeliveryStatus.SENT, 2, None)
    assert row.sent_at == NOW + CLAIM_LEASE
    assert deliver_due(NOW + timedelta(days=1)).sent == 0
    assert len(smtp.received) == 2


def test_a_worker_dying_right_after_the_server_took_the_message_resends_it(
    smtp, frozen, monkeypatch
):
    """In-process: the real SMTP send completes (the server replied 250), then the worker
    dies before it can mark the message sent."""
    queue("test.event:1", "grace@northwind.example")
    row = OutboxMessage.objects.get()
    real_send = actions.send

    def send_then_die(message: OutboxMessage) -> None:
        real_send(message)
        raise SystemExit("worker killed")

    monkeypatch.setattr(actions, "send", send_then_die)
    with pytest.raises(SystemExit):
        deliver_due(NOW)
    monkeypatch.undo()

    assert_resent_as_the_same_message(smtp, row)


# Run by a separate Python process: deliver what is due at argv[2], with the settings
# overrides in argv[1] (the test database's name, the SMTP server's address).
WORKER = """
import json, sys
from datetime import datetime
import django
from django.conf import settings
overrides = json.loads(sys.argv[1])
settings.DATABASES["default"]["NAME"] = overrides.pop("DATABASE_NAME")
for name, value in overrides.items():
    setattr(settings, name, value)
django.setup()
from premierdesk.notifications.actions import deliver_due
print(deliver_due(datetime.fromisoformat(sys.argv[2])), flush=True)
"""


@pytest.mark.postgresql  # SQLite's test database lives in memory: another process can't see it
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_killed_while_the_server_takes_the_message_resends_it(smtp, frozen):
    """A real worker process, killed with SIGKILL once the server has the message but before
    the worker has heard back, so it can neither mark it sent nor schedule a retry."""
    queue("test.event:1", "grace@northwind.example")  # committed: the worker can see it
    row = OutboxMessage.objects.get()
    smtp.handler.holding = True  # keep the message, hold back the "250 accepted"
    overrides = {"DATABASE_NAME": connection.settings_dict["NAME"], **smtp.django_settings()}
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", WORKER, json.dumps(overrides), NOW.isoformat()],
        cwd=Path(django_settings.BASE_DIR).parent,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "premierdesk.settings",
            "PREMIERDESK_VAR_DIR": str(django_settings.VAR_DIR),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        arrived = smtp.handler.arrived.wait(timeout=60)
    finally:
        worker.kill()
        out, err = worker.communicate(timeout=30)
    assert arrived, f"the worker sent nothing; it said:\n{out}\n{err}"
    assert out == ""  # killed before deliver_due returned
    smtp.handler.holding = False
    smtp.handler.released.set()

    assert_resent_as_the_same_message(smtp, row)


# On SQLite the threads share the in-memory test database, whose shared-cache table locks
# fail at once ("database table is locked") instead of waiting: PostgreSQL only.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_exactly_once(smtp, frozen):
    """Two threads, each with its own database connection, deliver the same due messages at
    the same moment; the conditional claim lets exactly one of them send each one."""
    count = 20
    for n in range(count):
        queue(f"test.event:{n}", f"person{n}@northwind.example")
    smtp.handler.delay = 0.02  # a slow server, so the two workers overlap
    start = threading.Barrier(2, timeout=10)
    reports: list[DeliveryReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            reports.append(deliver_due(NOW))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(reports) == 2
    assert sum(r.sent for r in reports) == count
    assert all(r.sent > 0 for r in reports), "the workers did not overlap"
    assert sum(r.retrying + r.failed for r in reports) == 0
    ids = Counter(smtp.message_ids())
    assert len(ids) == count
    assert set(ids.values()) == {1}
    assert set(ids) == set(OutboxMessage.objects.values_list("message_id", flat=True))
    assert OutboxMessage.objects.filter(status=DeliveryStatus.SENT, attempts=1).count() == count
