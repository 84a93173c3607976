"""The offices API: who is on duty at an instant, and the coverage proof (staff only)."""

from __future__ import annotations

from datetime import date, time

import pytest

from premierdesk.calendars.models import CalendarHoliday
from premierdesk.offices.tests.test_routing import office_with_hours

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    return [
        office_with_hours("Sydney", "Australia/Sydney", time(7), time(20)),
        office_with_hours("Amsterdam", "Europe/Amsterdam", time(7), time(20)),
        office_with_hours("Austin", "America/Chicago", time(7), time(20)),
    ]


def test_on_duty_at_an_instant(as_user, administrator, offices):
    body = as_user(administrator).get("/api/v1/on-duty?at=2026-06-16T12:00:00Z").json()
    assert [d["office"] for d in body["on_duty"]] == ["austin", "amsterdam"]
    assert body["on_duty"][1]["ends_at"] == "2026-06-16T18:00:00Z"
    assert body["next"]["office"] == "sydney"
    assert body["next"]["starts_at"] == "2026-06-16T21:00:00Z"


def test_the_coverage_proof_lists_each_gap(as_user, administrator, offices):
    client = as_user(administrator)
    week = client.get("/api/v1/coverage?from=2026-06-15&to=2026-06-19").json()
    # Amsterdam closes 18:00 UTC, Austin (CDT) opens 12:00 and closes 01:00, Sydney opens 21:00.
    assert week["covered"] is True
    CalendarHoliday.objects.create(
        calendar=offices[2].calendar,
        first=date(2026, 6, 17),
        last=date(2026, 6, 17),
        zone="America/Chicago",
        label="office day out",
    )
    gapped = client.get("/api/v1/coverage?from=2026-06-15&to=2026-06-19").json()
    assert gapped["covered"] is False
    assert [(g["starts_at"], g["ends_at"]) for g in gapped["gaps"]] == [
        ("2026-06-17T18:00:00Z", "2026-06-17T21:00:00Z")
    ]


def test_offices_and_engineers_are_for_staff(as_user, named_contact, offices):
    client = as_user(named_contact)
    for url in (
        "/api/v1/offices",
        "/api/v1/engineers",
        "/api/v1/on-duty",
        "/api/v1/coverage?from=2026-06-15&to=2026-06-19",
    ):
        assert client.get(url).status_code == 403, url


def test_a_too_long_range_is_refused(as_user, administrator, offices):
    response = as_user(administrator).get("/api/v1/coverage?from=2026-01-01&to=2028-01-01")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "to"
