"""Coverage calendars in the admin: inline rows and holiday imports on the calendar's page.
Every change is audited row by row, refused with a clear sentence when wrong, and announced
once (the SLA then re-derives open tickets' clocks, in one job)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from premierdesk.audit.models import AuditEntry
from premierdesk.calendars.models import CalendarException, CalendarHoliday, CoverageCalendar
from premierdesk.calendars.tests.helpers import calendar_form, change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(as_user, administrator):
    return as_user(administrator)


@pytest.fixture
def around_the_clock():
    """A calendar without rows, like the default 24x7 one."""
    return CoverageCalendar.objects.create(
        slug="24x7", name="24x7 (weekend critical coverage)", always_open=True
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a request's on-commit work (enqueueing jobs) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


ALOHA = {"first": "2026-05-04", "last": "2026-05-04", "zone": "Pacific/Honolulu", "label": "Aloha"}


def test_changing_and_deleting_inline_rows_is_audited_too(
    admin_client, around_the_clock, committed
):
    holiday = CalendarHoliday.objects.create(
        calendar=around_the_clock, first=date(2026, 12, 25), last=date(2026, 12, 25), zone="UTC"
    )
    closure = CalendarException.objects.create(
        calendar=around_the_clock,
        opens=False,
        starts_at=datetime(2026, 6, 1, 8, tzinfo=UTC),
        ends_at=datetime(2026, 6, 1, 9, tzinfo=UTC),
        label="Power cut",
    )
    changed = {
        "id": str(holiday.pk),
        "first": "2026-12-25",
        "last": "2026-12-26",
        "zone": "UTC",
        "label": "Christmas",
    }
    deleted = {
        "id": str(closure.pk),
        "starts_at_0": "2026-06-01",
        "starts_at_1": "08:00:00",
        "ends_at_0": "2026-06-01",
        "ends_at_1": "09:00:00",
        "label": "Power cut",
        "DELETE": "on",
    }
    with committed():
        response = admin_client.post(
            change_url(around_the_clock),
            calendar_form(around_the_clock, holidays=[changed], exceptions=[deleted]),
        )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="calendars.calendarholiday.changed")
    assert entry.changes == {
        "label": ["holiday", "Christmas"],
        "last": ["2026-12-25", "2026-12-26"],
    }
    assert AuditEntry.objects.filter(
        action="calendars.calendarexception.deleted", object_id=str(closure.pk)
    ).exists()
    assert not CalendarException.objects.exists()
    assert DBTaskResult.objects.count() == 1


@pytest.mark.parametrize(
    ("rows", "said"),
    [
        (
            {"holidays": [ALOHA | {"first": "2026-05-05"}]},
            "The last day (2026-05-04) is before the first (2026-05-05)",
        ),
        (
            {
                "spans": [
                    {
                        "start_day": "4",
                        "start_time": "17:00",
                        "start_zone": "Pacific Time",
                        "end_day": "0",
                        "end_time": "10:00",
                        "end_zone": "Australia/Sydney",
                    }
                ]
            },
            "Pacific Time is not an IANA time zone",
        ),
        (
            {
                "exceptions": [
                    {
                        "opens": "on",
                        "starts_at_0": "2026-06-01",
                        "starts_at_1": "09:00",
                        "ends_at_0": "2026-06-01",
                        "ends_at_1": "09:00",
                        "label": "Extra cover",
                    }
                ]
            },
            "The end must be after the start.",
        ),
    ],
)
def test_wrong_rows_are_refused_with_a_sentence(
    admin_client, around_the_clock, committed, rows, said
):
    with committed():
        page = admin_client.post(
            change_url(around_the_clock), calendar_form(around_the_clock, **rows)
        )
    assert page.status_code == 200
    assert said in page.content.decode()
    assert not AuditEntry.objects.filter(action__startswith="calendars.").exists()
    assert not DBTaskResult.objects.exists()


def test_a_bad_ics_file_is_refused_beside_its_field(admin_client, around_the_clock, committed):
    data = calendar_form(around_the_clock) | {
        "name": "Renamed",
        "ics_file": SimpleUploadedFile("notes.ics", b"shopping list", content_type="text/plain"),
        "zone": "UTC",
    }
    with committed():
        page = admin_client.post(change_url(around_the_clock), data)
    assert page.status_code == 200
    assert "not a readable iCalendar (.ics) file" in page.content.decode()
    assert page.context["adminform"].form.errors["ics_file"]
    around_the_clock.refresh_from_db()
    assert around_the_clock.name != "Renamed"
    assert not DBTaskResult.objects.exists()


def test_a_countrys_holidays_for_a_year_from_the_calendar_page(
    admin_client, around_the_clock, committed
):
    data = calendar_form(around_the_clock) | {
        "country": "AU",
        "subdivision": "NSW",
        "years": "2027",
        "zone": "Australia/Sydney",
    }
    with committed():
        response = admin_client.post(change_url(around_the_clock), data)
    assert response.status_code == 302
    assert around_the_clock.holidays.filter(
        first=date(2027, 1, 26), label="Australia Day (AU-NSW)", zone="Australia/Sydney"
    ).exists()


@pytest.mark.parametrize(
    ("fields", "field", "said"),
    [
        ({"country": "XX", "years": "2027"}, "country", "“XX” is not a country"),
        ({"country": "AU", "years": "2027", "zone": ""}, "zone", "Say which time zone"),
        ({"country": "AU", "years": ""}, "years", "Give at least one year"),
    ],
)
def test_country_imports_are_refused_beside_the_field(
    admin_client, around_the_clock, fields, field, said
):
    data = calendar_form(around_the_clock) | {"zone": "Australia/Sydney"} | fields
    page = admin_client.post(change_url(around_the_clock), data)
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert said in errors[field][0]
    assert not around_the_clock.holidays.exists()


@pytest.mark.parametrize("path", ["coveragecalendar/", "coveragecalendar/add/"])
def test_the_calendar_admin_pages_open(admin_client, around_the_clock, path):
    assert admin_client.get(f"/admin/calendars/{path}").status_code == 200
