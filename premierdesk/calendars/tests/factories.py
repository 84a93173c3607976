"""Factories for coverage calendars and their holidays and exceptions."""

from datetime import UTC, date, datetime

import factory

from premierdesk.calendars.models import CalendarException, CalendarHoliday, CoverageCalendar


class CoverageCalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverageCalendar

    slug = factory.Sequence(lambda n: f"calendar-{n}")
    name = factory.Sequence(lambda n: f"Calendar {n}")


class CalendarHolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarHoliday

    calendar = factory.SubFactory(CoverageCalendarFactory)
    first = date(2027, 12, 25)
    last = date(2027, 12, 25)
    zone = "Australia/Sydney"
    label = "Christmas"


class CalendarExceptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarException

    calendar = factory.SubFactory(CoverageCalendarFactory)
    opens = False
    starts_at = datetime(2027, 3, 1, 1, tzinfo=UTC)
    ends_at = datetime(2027, 3, 1, 2, tzinfo=UTC)
    label = "Power cut"
