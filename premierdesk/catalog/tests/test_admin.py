"""Offerings in the admin: a change to a response target, made in the inline rows, is audited
with its before and after like any configuration change."""

from __future__ import annotations

import pytest

from premierdesk.audit.models import AuditEntry
from premierdesk.catalog.models import ResponseTarget
from premierdesk.customers.tests.factories import premier_offering

pytestmark = pytest.mark.django_db


def test_an_inline_target_change_is_audited(as_user, administrator):
    offering = premier_offering()
    targets = list(offering.targets.order_by("level"))
    data = {
        "name": offering.name,
        "slug": offering.slug,
        "named_contact_slots": "3",
        "targets-TOTAL_FORMS": str(len(targets)),
        "targets-INITIAL_FORMS": str(len(targets)),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for n, target in enumerate(targets):
        minutes = 20 if target.level == "L1" else target.initial_response_minutes
        data |= {
            f"targets-{n}-id": str(target.pk),
            f"targets-{n}-offering": str(offering.pk),
            f"targets-{n}-level": target.level,
            f"targets-{n}-initial_response_minutes": str(minutes),
            f"targets-{n}-next_update_minutes": str(target.next_update_minutes or ""),
            f"targets-{n}-resolution_minutes": "",
        }
    response = as_user(administrator).post(f"/admin/catalog/offering/{offering.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ResponseTarget.objects.get(offering=offering, level="L1").initial_response_minutes == 20
    entry = AuditEntry.objects.get(action="catalog.responsetarget.changed")
    assert entry.actor == administrator
    assert entry.changes == {"initial_response_minutes": [30, 20]}
