"""The exactly-once check finds what happened twice, and passes when nothing did."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend
from django.utils import timezone

from premierdesk.audit.actions import record
from premierdesk.loadtest import exactly_once
from premierdesk.tickets.models import EventKind, TimelineEvent, Visibility


def _warn(ticket, at):
    data = {"clock": "first_response", "cycle": 1, "share": 50}
    return TimelineEvent.objects.create(
        ticket=ticket,
        at=at,
        actor_label="Premier Desk",
        kind=EventKind.SLA_WARNING,
        visibility=Visibility.INTERNAL,
        data=data,
    )


def _failed(found):
    return [(c.area, c.what) for c in found if not c.passed]


@pytest.mark.django_db
def test_clean_data_passes(ticket):
    _warn(ticket, timezone.now())
    record(None, "tickets.handed_over", ticket, system="follow the sun")
    found = exactly_once.checks()
    assert _failed(found) == []
    alerts = next(c for c in found if c.area == "alerts" and "SLA" in c.what)
    assert alerts.happened == 1


@pytest.mark.django_db
def test_a_planted_duplicate_alert_is_found(ticket):
    at = timezone.now()
    _warn(ticket, at)
    _warn(ticket, at)
    found = exactly_once.checks(since=at)
    assert _failed(found) == [
        ("alerts", "the same SLA warning or breach twice on a ticket's timeline")
    ]
    duplicate = next(c for c in found if not c.passed).duplicates[0]
    assert (duplicate["ticket"], duplicate["times"]) == (ticket.pk, 2)


def _send(folder: Path, *message_ids: str) -> None:
    messages = [
        EmailMessage("Hi", "Body", "desk@example.com", ["a@example.com"], headers={"Message-ID": m})
        for m in message_ids
    ]
    EmailBackend(file_path=str(folder)).send_messages(messages)


def test_each_mail_written_once_passes_and_one_written_twice_is_found(tmp_path):
    _send(tmp_path, "<one@desk>", "<two@desk>")
    once = exactly_once.delivered_once(tmp_path, ["<one@desk>", "<two@desk>"])
    assert once.passed
    assert once.happened == 2
    _send(tmp_path, "<two@desk>")  # a second worker delivering the same message again
    twice = exactly_once.delivered_once(tmp_path, ["<one@desk>", "<two@desk>"])
    assert twice.duplicates == [{"message_id": "two@desk", "times": 2}]


def test_a_message_marked_sent_but_never_written_is_found(tmp_path):
    _send(tmp_path, "<one@desk>")
    check = exactly_once.delivered_once(tmp_path, ["<one@desk>", "<lost@desk>"])
    assert check.duplicates == [{"message_id": "lost@desk", "times": 0}]
