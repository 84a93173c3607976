"""The outbox: a message exists exactly when its change commits, is never queued twice, and
is delivered at least once with a Message-ID derived from the event and the recipient, so a
resend after a crash is the same message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import transaction

from premierdesk.notifications import actions
from premierdesk.notifications.actions import (
    CLAIM_LEASE,
    MAX_ATTEMPTS,
    claim,
    deliver_due,
    queue_email,
)
from premierdesk.notifications.models import DeliveryStatus, OutboxMessage
from premierdesk.notifications.queries import message_id
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)

frozen = frozen_at(NOW)


def queue(event: str = "test.event:1", to: str = "Grace@Northwind.example") -> bool:
    with transaction.atomic():
        return queue_email(event, to, "Subject\n line", "Body")


@pytest.mark.django_db(transaction=True)
def test_queue_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        queue_email("test.event:1", "a@example.com", "s", "b")


def test_a_rolled_back_change_leaves_no_message():
    with pytest.raises(ValueError, match="change failed"), transaction.atomic():
        queue_email("test.event:1", "a@example.com", "s", "b")
        raise ValueError("the change failed")
    assert OutboxMessage.objects.count() == 0


def test_the_same_event_for_the_same_recipient_is_queued_once():
    assert queue() is True
    assert queue() is False
    assert queue(to="grace@northwind.example") is False  # addresses compare case-blind
    assert queue(to="dan@northwind.example") is True
    assert OutboxMessage.objects.count() == 2


def test_delivery_sends_once_with_the_derived_message_id():
    queue()
    report = deliver_due(NOW)
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    (sent,) = mail.outbox
    assert sent.to == ["grace@northwind.example"]
    assert sent.subject == "Subject line"
    assert sent.message()["Message-ID"] == message_id("test.event:1", "grace@northwind.example")
    row = OutboxMessage.objects.get()
    assert (row.status, row.sent_at, row.next_attempt_at) == (DeliveryStatus.SENT, NOW, None)
    assert deliver_due(NOW + timedelta(days=1)).sent == 0
    assert len(mail.outbox) == 1


def test_message_ids_differ_per_event_and_per_recipient():
    ids = {
        message_id("e:1", "a@example.com"),
        message_id("e:2", "a@example.com"),
        message_id("e:1", "b@example.com"),
    }
    assert len(ids) == 3
    assert message_id("e:1", "A@example.com") == message_id("e:1", "a@example.com")


def test_a_claimed_message_is_not_taken_by_a_second_worker():
    queue()
    row = OutboxMessage.objects.get()
    assert claim(row.pk, row.next_attempt_at, NOW) is True
    # A second worker read the same due time before the first claimed it: it gets nothing.
    assert claim(row.pk, row.next_attempt_at, NOW) is False
    assert deliver_due(NOW).sent == 0  # the claim holds until its lease ends


def test_a_worker_killed_mid_delivery_leaves_it_to_be_sent_again_as_the_same_message(
    monkeypatch,
):
    queue()
    row = OutboxMessage.objects.get()

    def killed_after_sending(message):
        mail.outbox.append(message.message_id)  # the mail server got it...
        raise SystemExit("worker killed")  # ...and the worker died before marking it sent

    monkeypatch.setattr(actions, "send", killed_after_sending)
    with pytest.raises(SystemExit):
        deliver_due(NOW)
    monkeypatch.undo()
    assert deliver_due(NOW + CLAIM_LEASE - timedelta(seconds=1)).sent == 0
    assert deliver_due(NOW + CLAIM_LEASE).sent == 1
    assert mail.outbox[0] == mail.outbox[1].message()["Message-ID"] == row.message_id


def test_a_failing_mail_server_is_retried_with_backoff_then_given_up(monkeypatch, frozen):
    queue()

    def refuse(message):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(actions, "send", refuse)
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        report = deliver_due(datetime.now(UTC))
        assert report.retrying == 1
        due_at = OutboxMessage.objects.get().next_attempt_at
        assert due_at is not None
        waits.append(due_at - datetime.now(UTC))
        frozen.move_to(due_at)
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360)]
    assert deliver_due(datetime.now(UTC)).failed == 1
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts, row.next_attempt_at) == (
        DeliveryStatus.FAILED,
        MAX_ATTEMPTS,
        None,
    )
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in row.last_error


def test_the_outbox_is_read_only_in_the_admin(as_user, administrator):
    queue()
    row = OutboxMessage.objects.get()
    page = as_user(administrator).get(f"/admin/notifications/outboxmessage/{row.pk}/change/")
    assert page.status_code == 200
    assert "Save" not in page.content.decode()


def test_one_delivery_job_per_transaction_however_many_messages(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for n in range(3):
            queue_email(f"test.event:{n}", "a@example.com", "s", "b")
    assert len(callbacks) == 1
