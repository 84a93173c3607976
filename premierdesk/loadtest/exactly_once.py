"""After a run with several servers, workers and schedulers: did every handover, alert,
survey and e-mail happen exactly once? Queries over the handovers, the tickets' timelines,
the audit trail and the outbox for anything recorded twice, and, when e-mail went to files,
the messages written more than once."""

from __future__ import annotations

import email
import email.policy
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet

from premierdesk.audit.models import AuditEntry
from premierdesk.feedback.models import Invitation
from premierdesk.notifications.models import DeliveryStatus, OutboxMessage
from premierdesk.offices.models import Handover
from premierdesk.tickets.models import EventKind, TimelineEvent

ALERTS = [EventKind.SLA_WARNING, EventKind.SLA_BREACHED]


@dataclass(frozen=True)
class Check:
    area: str  # handovers, alerts, surveys, e-mails
    what: str
    happened: int  # how many there are (since the run began, when asked so)
    duplicates: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.duplicates


def _twice(rows: QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    """The groups of ``fields`` that occur more than once among ``rows``."""
    grouped = rows.order_by().values(*fields).annotate(times=Count("pk")).filter(times__gt=1)
    return list(grouped[:20])


def _check(area: str, what: str, rows: QuerySet[Any], *fields: str) -> Check:
    return Check(area, what, rows.count(), _twice(rows, *fields))


def checks(since: datetime | None = None, mail_dir: Path | None = None) -> list[Check]:
    """Every check, over what happened from ``since`` (everything when None)."""

    def after(name: str) -> Q:
        return Q(**{f"{name}__gte": since}) if since else Q()

    timeline = TimelineEvent.objects.filter(after("at"))
    audit = AuditEntry.objects.filter(after("at"))
    outbox = OutboxMessage.objects.filter(after("created_at"))
    found = [
        _check(
            "handovers",
            "a ticket handed over twice in one end-of-day run",
            Handover.objects.filter(after("at")),
            "ticket",
            "run",
        ),
        _check(
            "handovers",
            "a ticket's timeline showing the same handover twice",
            timeline.filter(kind=EventKind.HANDED_OVER),
            "ticket",
            "at",
        ),
        _check(
            "handovers",
            "the same handover audited twice",
            audit.filter(action="tickets.handed_over"),
            "object_id",
            "at",
        ),
        _check(
            "alerts",
            "the same SLA warning or breach twice on a ticket's timeline",
            timeline.filter(kind__in=ALERTS),
            "ticket",
            "kind",
            "at",
            "data",
        ),
        _check(
            "alerts",
            "a callback's overdue alert twice",
            audit.filter(action="escalations.callback_overdue"),
            "object_id",
        ),
        _check(
            "surveys",
            "two survey invitations for one ticket",
            Invitation.objects.filter(after("sent_at")),
            "ticket",
        ),
        _check(
            "surveys",
            "the same invitation audited twice",
            audit.filter(action="feedback.invited"),
            "object_id",
        ),
        _check(
            "e-mails",
            "one event's e-mail queued twice for one recipient",
            outbox,
            "event_key",
            "recipient",
        ),
    ]
    if mail_dir is not None:
        sent = outbox.filter(status=DeliveryStatus.SENT).values_list("message_id", flat=True)
        found.append(delivered_once(mail_dir, set(sent)))
    return found


def delivered_once(mail_dir: Path, sent: Iterable[str] = ()) -> Check:
    """Each message written to the mail files once (Django's file backend writes a file per
    connection, each holding its messages one after the other)."""
    written = Counter(_message_ids(mail_dir))
    unwritten = {m.strip("<> ") for m in sent} - set(written)
    missing = [{"message_id": m, "times": 0} for m in sorted(unwritten)[:20]]
    twice = [{"message_id": m, "times": n} for m, n in written.items() if n > 1][:20]
    return Check(
        "e-mails",
        "a message delivered twice, or sent and not written",
        sum(written.values()),
        twice + missing,
    )


def _message_ids(mail_dir: Path) -> Iterable[str]:
    separator = "-" * 79  # what Django's file backend writes after each message
    for path in sorted(mail_dir.glob("*.log")):
        for text in path.read_text(errors="replace").split(separator):
            if text.strip():
                message = email.message_from_string(text.strip(), policy=email.policy.default)
                message_id = str(message.get("Message-ID", "")).strip("<> ")
                if message_id:
                    yield message_id


def lines(found: list[Check]) -> list[str]:
    out = []
    for check in found:
        verdict = "exactly once" if check.passed else f"{len(check.duplicates)} TWICE"
        out.append(f"  {check.area:<10} {check.happened:>8}  {verdict:<14} {check.what}")
        out += [f"      {duplicate}" for duplicate in check.duplicates[:5]]
    return out
