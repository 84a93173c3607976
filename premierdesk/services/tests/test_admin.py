"""The services policy is data: an administrator changes it in the admin, audited, and the
standby rules follow at once."""

from __future__ import annotations

import pytest

from premierdesk.audit.models import AuditEntry
from premierdesk.services.models import ServicePolicy

pytestmark = pytest.mark.django_db


def test_a_policy_change_is_audited(as_user, administrator):
    policy = ServicePolicy.current()
    data = {
        "standby_notice_days": "14",
        "standby_max_hours": "10",
        "first_reminder_hours": "48",
        "second_reminder_hours": "0",
    }
    response = as_user(administrator).post(
        f"/admin/services/servicepolicy/{policy.pk}/change/", data
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert policy.standby_rules().notice.days == 14
    assert [r.total_seconds() / 3600 for r in policy.reminders()] == [48]
    entry = AuditEntry.objects.get(action="services.servicepolicy.changed")
    assert entry.changes["standby_notice_days"] == [21, 14]


def test_requests_are_read_only_in_the_admin(as_user, administrator):
    client = as_user(administrator)
    assert client.get("/admin/services/standbyrequest/").status_code == 200
    assert client.get("/admin/services/standbyrequest/add/").status_code == 403
