"""The policy is read once per revision: a ticket change costs two queries for it, and any
change to calendars or rules, by any route, is seen at once."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.calendars.models import CalendarHoliday, CoverageCalendar
from premierdesk.sla.models import SlaPolicy
from premierdesk.sla.policy import policy_for

pytestmark = pytest.mark.django_db


def test_the_policy_is_cached_until_its_data_changes(ticket):
    policy_for(ticket)
    with CaptureQueriesContext(connection) as captured:
        policy_for(ticket)
    assert len(captured) == 2  # the revision check and the offering's targets
    before = SlaPolicy.objects.get(pk=1).revision
    weekend = CoverageCalendar.objects.get(slug="24x7")
    CalendarHoliday.objects.create(
        calendar=weekend, first=date(2026, 5, 4), last=date(2026, 5, 4), zone="UTC", label="x"
    )
    assert SlaPolicy.objects.get(pk=1).revision != before
    holidays = policy_for(ticket).calendar_for("L1").holidays
    assert [h.label for h in holidays] == ["x"]
