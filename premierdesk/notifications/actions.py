"""Queue e-mail in the outbox (inside the caller's transaction) and deliver what is due.

Delivery is at least once: a worker claims a message by pushing its due time forward with a
conditional update (so two workers never send it at the same time), sends it, then marks it
sent. A worker killed after sending but before marking leaves the claim to expire, and the
message is sent again with the same Message-ID, which mail clients treat as one message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from premierdesk.audit.models import AuditEntry
from premierdesk.notifications.models import DeliveryStatus, OutboxMessage
from premierdesk.notifications.queries import message_id, retry_delay

# How long a claimed message is left alone before another worker may retry it (policy).
CLAIM_LEASE = timedelta(minutes=5)
# Give up (status failed, visible in the admin) after this many attempts, about a day of
# retrying (policy).
MAX_ATTEMPTS = 12


def notify(
    event_key: str,
    recipients: Iterable[str],
    template: str,
    context: dict[str, object],
    *,
    new_event: bool = False,
) -> int:
    """Queue one e-mail per recipient for ``event_key``, rendered from
    ``notifications/<template>_subject.txt`` and ``_body.txt``. Returns how many were new.
    ``new_event``: the key names a row made in this transaction (``tickets.owner:<event id>``),
    so nothing can be queued for it yet and the messages are inserted without looking."""
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"notifications/{template}_subject.txt", context)
    body = render_to_string(f"notifications/{template}_body.txt", context)
    recipients = sorted({*recipients} - {""})
    if new_event:
        return queue_new_emails(event_key, recipients, subject, body)
    return sum(queue_email(event_key, r, subject, body) for r in recipients)


@dataclass(frozen=True)
class Notice:
    """One ``notify`` call, for ``notify_all``."""

    event_key: str
    recipients: Iterable[str]
    template: str
    context: dict[str, object]


def notify_all(notices: Iterable[Notice]) -> int:
    """``notify`` for many events at once (the SLA sweep's alerts): the same messages, with
    one query for those already queued and one insert for the rest. Returns how many were
    new."""
    messages = []
    for notice in notices:
        context = {**notice.context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"notifications/{notice.template}_subject.txt", context)
        body = render_to_string(f"notifications/{notice.template}_body.txt", context)
        recipients = sorted({*notice.recipients} - {""})
        messages += [(notice.event_key, r, subject, body) for r in recipients]
    return queue_emails(messages)


def notify_of(
    entry: AuditEntry,
    recipients: Iterable[str],
    context: dict[str, object],
    *,
    template: str = "",
    ids: tuple[object, ...] = (),
) -> int:
    """Queue the e-mail of a change just recorded, under the audit entry's own verb: the event
    ``<action>:<object id>`` (``<action>:<ids…>`` when given), from the template named by the
    action without its app (``services.standby_requested``: ``standby_requested``) unless
    ``template`` names another. Returns how many were new."""
    return notify_of_action(
        entry.action, ids or (entry.object_id,), recipients, context, template=template
    )


def notify_of_action(
    action: str,
    ids: tuple[object, ...],
    recipients: Iterable[str],
    context: dict[str, object],
    *,
    template: str = "",
) -> int:
    """``notify_of`` by the audited action's name, for changes recorded in bulk
    (``audit.record_many`` hands back no entries): the event ``<action>:<ids…>``."""
    event_key = ":".join([action, *(str(i) for i in ids)])
    return notify(event_key, recipients, template or action.partition(".")[2], context)


def notify_each(event_key: str, template: str, contexts: Mapping[str, dict[str, object]]) -> int:
    """Queue one e-mail for ``event_key`` to each recipient, rendered from that recipient's
    own context (an end of day telling each engineer of the tickets they took over): two
    queries however many there are. As with ``notify``, a recipient who has this event's
    message already gets nothing more. Returns how many were new."""
    if not connection.in_atomic_block:
        raise RuntimeError("notify_each() must run inside the transaction of its change.")
    wanted = {r.strip().lower(): context for r, context in contexts.items() if r.strip()}
    queued = OutboxMessage.objects.filter(event_key=event_key, recipient__in=list(wanted))
    already = set(queued.values_list("recipient", flat=True))
    new = [r for r in wanted if r not in already]
    now = timezone.now()
    messages = []
    for recipient in new:
        context = {**wanted[recipient], "site_url": settings.SITE_URL}
        subject = render_to_string(f"notifications/{template}_subject.txt", context)
        messages.append(
            OutboxMessage(
                event_key=event_key,
                recipient=recipient,
                message_id=message_id(event_key, recipient),
                subject=" ".join(subject.split())[:250],
                body=render_to_string(f"notifications/{template}_body.txt", context),
                created_at=now,
                next_attempt_at=now,
            )
        )
    # A concurrent writer of the same event's message wins; this one adds nothing.
    OutboxMessage.objects.bulk_create(messages, ignore_conflicts=True)
    if messages:
        _deliver_after_commit()
    return len(messages)


def queue_email(event_key: str, recipient: str, subject: str, body: str) -> bool:
    """Put one message in the outbox, in the caller's transaction; the worker sends it after
    commit. Queuing the same event for the same recipient again adds nothing (returns False)."""
    if not connection.in_atomic_block:
        raise RuntimeError("queue_email() must run inside the transaction of its change.")
    recipient = recipient.strip().lower()
    now = timezone.now()
    _, created = OutboxMessage.objects.get_or_create(
        event_key=event_key,
        recipient=recipient,
        defaults={
            "message_id": message_id(event_key, recipient),
            "subject": " ".join(subject.split())[:250],
            "body": body,
            "created_at": now,
            "next_attempt_at": now,
        },
    )
    if created:
        _deliver_after_commit()
    return created


def queue_new_emails(event_key: str, recipients: list[str], subject: str, body: str) -> int:
    """``queue_email`` for each recipient of an event made in this transaction: one insert.
    (Ids are never reused, so a key naming a new row is new; a clash would fail the change.)"""
    if not connection.in_atomic_block:
        raise RuntimeError("queue_new_emails() must run inside the transaction of its change.")
    now = timezone.now()
    messages = [
        OutboxMessage(
            event_key=event_key,
            recipient=recipient,
            message_id=message_id(event_key, recipient),
            subject=" ".join(subject.split())[:250],
            body=body,
            created_at=now,
            next_attempt_at=now,
        )
        for recipient in dict.fromkeys(r.strip().lower() for r in recipients)
    ]
    OutboxMessage.objects.bulk_create(messages)
    if messages:
        _deliver_after_commit()
    return len(messages)


def queue_emails(messages: Iterable[tuple[str, str, str, str]]) -> int:
    """``queue_email`` for many (event key, recipient, subject, body) at once: one query for
    the messages already queued, one insert for the rest. Returns how many were new."""
    if not connection.in_atomic_block:
        raise RuntimeError("queue_emails() must run inside the transaction of its change.")
    now = timezone.now()
    rows: dict[tuple[str, str], OutboxMessage] = {}
    for event_key, recipient, subject, body in messages:
        recipient = recipient.strip().lower()
        rows.setdefault(
            (event_key, recipient),
            OutboxMessage(
                event_key=event_key,
                recipient=recipient,
                message_id=message_id(event_key, recipient),
                subject=" ".join(subject.split())[:250],
                body=body,
                created_at=now,
                next_attempt_at=now,
            ),
        )
    queued = OutboxMessage.objects.filter(event_key__in={key for key, _ in rows})
    known = set(queued.values_list("event_key", "recipient"))
    new = [row for key, row in rows.items() if key not in known]
    OutboxMessage.objects.bulk_create(new, batch_size=500)
    if new:
        _deliver_after_commit()
    return len(new)


def _deliver_after_commit() -> None:
    """One delivery job per transaction, however many messages it queued."""
    if any(getattr(entry[1], "delivers_outbox", False) for entry in connection.run_on_commit):
        return
    from premierdesk.notifications.tasks import deliver_outbox  # tasks imports this module

    def deliver() -> None:
        deliver_outbox.enqueue()

    deliver.delivers_outbox = True  # type: ignore[attr-defined]
    transaction.on_commit(deliver, robust=False)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def deliver_due(now: datetime, limit: int = 100) -> DeliveryReport:
    """Send each message due at ``now`` that this worker manages to claim."""
    report = DeliveryReport()
    due = (
        OutboxMessage.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "next_attempt_at")[:limit]
    )
    for pk, due_at in list(due):
        if claim(pk, due_at, now):
            _attempt(OutboxMessage.objects.get(pk=pk), now, report)
    return report


def claim(pk: int, due_at: datetime | None, now: datetime) -> bool:
    """Take the message for this worker; False if another worker took it first."""
    with transaction.atomic():
        return (
            OutboxMessage.objects.filter(
                pk=pk, status=DeliveryStatus.PENDING, next_attempt_at=due_at
            ).update(next_attempt_at=now + CLAIM_LEASE, attempts=F("attempts") + 1)
            == 1
        )


def _attempt(message: OutboxMessage, now: datetime, report: DeliveryReport) -> None:
    try:
        send(message)
    except Exception as exc:  # any failure of the mail server means "retry later"
        _failed_attempt(message, now, f"{type(exc).__name__}: {exc}", report)
    else:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=DeliveryStatus.SENT, sent_at=now, next_attempt_at=None, last_error=""
        )
        report.sent += 1


def send(message: OutboxMessage) -> None:
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Message-ID": message.message_id},
    ).send()


def _failed_attempt(
    message: OutboxMessage, now: datetime, error: str, report: DeliveryReport
) -> None:
    if message.attempts >= MAX_ATTEMPTS:
        changes: dict[str, object] = {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
        report.failed += 1
    else:
        changes = {"next_attempt_at": now + retry_delay(message.attempts)}
        report.retrying += 1
    OutboxMessage.objects.filter(pk=message.pk).update(last_error=error[:2000], **changes)
