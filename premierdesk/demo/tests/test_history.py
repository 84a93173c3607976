"""The demo's past looks real: tickets opened over six months with resolution times and survey
answers (so the reports have months to compare), log files attached through the action, and
a handover waiting for each engineer the README names, whatever the hour the demo loads."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest
from django.core.files.storage import storages

from premierdesk.accounts.models import User
from premierdesk.audit.models import AuditEntry
from premierdesk.demo.handovers import WAITING_FOR
from premierdesk.demo.tests.conftest import LOADED_AT
from premierdesk.feedback.models import Answer
from premierdesk.offices.mine import to_acknowledge
from premierdesk.reports.queries import Period, resolution, satisfaction, volume
from premierdesk.tickets.models import Attachment, Status, Ticket

pytestmark = pytest.mark.django_db
SIX_MONTHS = Period(date(2025, 12, 1), date(2026, 5, 1))  # before the day it loads


def test_tickets_were_opened_over_six_months_with_every_level(loaded):
    opened = list(Ticket.objects.values_list("opened_at", flat=True))
    assert min(opened) < LOADED_AT - timedelta(days=170)
    assert max(opened) <= LOADED_AT
    months = {(at.year, at.month) for at in opened}
    assert len(months) >= 6
    past = Ticket.objects.filter(opened_at__lt=LOADED_AT - timedelta(days=14))
    assert past.count() >= 40
    assert set(past.values_list("level", flat=True)) == {"L1", "L2", "L3", "L4"}
    assert all(at.weekday() < 5 for at in past.values_list("opened_at", flat=True))
    assert not past.exclude(status__in=[Status.CLOSED, Status.RESOLVED]).exists()


def test_the_reports_have_months_to_compare(loaded):
    resolved = resolution("level", SIX_MONTHS)
    assert len({row[1] for row in resolved.rows}) >= 5
    hours: dict[str, list[float]] = {level: [] for level in ("L1", "L2", "L3", "L4")}
    for level, _, _, average in resolved.rows:
        hours[level].append(average)
    # Critical tickets are resolved in hours, questions in days.
    assert max(hours["L1"]) < 12 < min(hours["L4"])
    assert len({row[1] for row in volume("organization", SIX_MONTHS).rows}) >= 5
    answered = satisfaction("office", SIX_MONTHS)
    assert len({row[1] for row in answered.rows}) >= 3
    assert Answer.objects.filter(answered_at__lt=LOADED_AT - timedelta(days=14)).count() >= 10


def test_some_tickets_carry_a_log_file_stored_through_the_attach_action(loaded):
    attachments = list(Attachment.objects.select_related("ticket", "uploaded_by"))
    assert len(attachments) >= 5
    assert AuditEntry.objects.filter(action="tickets.attached").count() == len(attachments)
    storage = storages["attachments"]
    for attachment in attachments:
        assert attachment.file_name.endswith(".log")
        assert attachment.uploaded_by_id == attachment.ticket.opened_by_id
        assert attachment.uploaded_at - attachment.ticket.opened_at < timedelta(minutes=10)
        with storage.open(attachment.storage_name) as stored:
            content = stored.read()
        assert 500 < len(content) < 20_000
        assert hashlib.sha256(content).hexdigest() == attachment.sha256


def waiting(email: str, now: datetime) -> list[str]:
    pending = to_acknowledge(User.objects.get(email=email), now).pending
    return [received.handover.ticket.key for received in pending]


def test_the_engineers_the_readme_names_each_have_a_handover_to_acknowledge(loaded):
    for email, _, _ in WAITING_FOR:
        assert waiting(email, LOADED_AT), email
