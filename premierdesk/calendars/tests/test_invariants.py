"""A holiday's last day is not before its first, and an exception ends after it starts, on
every write path: ``full_clean`` (the admin, and anything validating) names the field with a
sentence, and the database refuses the rest (a plain save, a bulk insert, an update)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from premierdesk.calendars.models import CalendarException, CalendarHoliday
from premierdesk.calendars.tests.factories import (
    CalendarExceptionFactory,
    CalendarHolidayFactory,
    CoverageCalendarFactory,
)
from premierdesk.calendars.tests.helpers import calendar_form, change_url

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


def refused_by_the_database(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_a_holiday_ending_before_it_starts_is_refused_beside_its_last_day():
    holiday = CalendarHolidayFactory.build(
        calendar=CoverageCalendarFactory.create(), first=date(2027, 12, 26), last=date(2027, 12, 25)
    )
    with pytest.raises(ValidationError) as refused:
        holiday.full_clean()
    assert refused.value.message_dict == {
        "last": [
            "The last day (2027-12-25) is before the first (2027-12-26); a one-day holiday "
            "has the same first and last day."
        ]
    }
    one_day = CalendarHolidayFactory.build(calendar=holiday.calendar, first=holiday.last)
    one_day.full_clean()  # first == last: one day


def test_the_database_refuses_a_holiday_ending_before_it_starts():
    holiday = CalendarHolidayFactory.build(
        calendar=CoverageCalendarFactory.create(), first=date(2027, 12, 26), last=date(2027, 12, 25)
    )
    assert refused_by_the_database(holiday.save)
    assert refused_by_the_database(lambda: CalendarHoliday.objects.bulk_create([holiday]))
    stored = CalendarHolidayFactory.create()
    assert refused_by_the_database(
        lambda: CalendarHoliday.objects.filter(pk=stored.pk).update(last=date(2027, 1, 1))
    )
    assert not CalendarHoliday.objects.exclude(pk=stored.pk).exists()


@pytest.mark.parametrize("length", [timedelta(0), -HOUR])
def test_an_exception_not_ending_after_it_starts_is_refused_beside_its_end(length):
    exception = CalendarExceptionFactory.build(calendar=CoverageCalendarFactory.create())
    exception.ends_at = exception.starts_at + length
    with pytest.raises(ValidationError) as refused:
        exception.full_clean()
    assert refused.value.message_dict == {"ends_at": ["The end must be after the start."]}
    exception.ends_at = exception.starts_at + HOUR
    exception.full_clean()


@pytest.mark.parametrize("length", [timedelta(0), -HOUR])
def test_the_database_refuses_an_exception_not_ending_after_it_starts(length):
    exception = CalendarExceptionFactory.build(calendar=CoverageCalendarFactory.create())
    exception.ends_at = exception.starts_at + length
    assert refused_by_the_database(exception.save)
    assert refused_by_the_database(lambda: CalendarException.objects.bulk_create([exception]))
    stored = CalendarExceptionFactory.create()
    assert refused_by_the_database(
        lambda: CalendarException.objects.filter(pk=stored.pk).update(
            ends_at=stored.starts_at + length
        )
    )
    stored.refresh_from_db()
    assert stored.ends_at == stored.starts_at + HOUR


def test_the_admin_shows_the_models_refusal_beside_the_field(as_user, administrator):
    calendar = CoverageCalendarFactory.create()
    backwards = {"first": "2027-12-26", "last": "2027-12-25", "zone": "UTC", "label": "Oops"}
    page = as_user(administrator).post(
        change_url(calendar), calendar_form(calendar, holidays=[backwards])
    )
    assert page.status_code == 200
    [holidays] = [
        f for f in page.context["inline_admin_formsets"] if f.formset.prefix == "holidays"
    ]
    assert list(holidays.formset.forms[0].errors) == ["last"]
    assert not CalendarHoliday.objects.exists()
