"""The admin: developer teams and the callback policy are configuration an administrator edits
(audited); escalations, callbacks and requests are read-only there."""

from __future__ import annotations

import pytest

from premierdesk.audit.models import AuditEntry
from premierdesk.escalations.models import EscalationPolicy

pytestmark = pytest.mark.django_db


def test_the_policy_is_edited_in_the_admin_and_audited(as_user, administrator):
    policy = EscalationPolicy.current()
    url = f"/admin/escalations/escalationpolicy/{policy.pk}/change/"
    response = as_user(administrator).post(url, {"callback_response_hours": "2"})
    assert response.status_code == 302
    assert EscalationPolicy.current().callback_response_hours == 2
    assert AuditEntry.objects.filter(object_type__icontains="escalationpolicy").exists()


@pytest.mark.parametrize(
    "model", ["developerteam", "escalation", "callbackrequest", "assistancerequest"]
)
def test_the_admin_lists_load(as_user, administrator, model):
    assert as_user(administrator).get(f"/admin/escalations/{model}/").status_code == 200


def test_records_are_read_only(as_user, administrator):
    assert as_user(administrator).get("/admin/escalations/escalation/add/").status_code == 403
