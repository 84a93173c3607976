"""Importing closures into a calendar: an ICS file's all-day and timed events, a country's
public holidays; each import adds only what is new, is audited and recomputes clocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from premierdesk.audit.models import AuditEntry
from premierdesk.calendars.holidays import import_country, import_ics
from premierdesk.calendars.models import CalendarException, CalendarHoliday, CoverageCalendar
from premierdesk.lib.coverage import covered, wall_instant
from premierdesk.lib.errors import InvalidInput

pytestmark = pytest.mark.django_db
SYDNEY = "Australia/Sydney"


def ics(*events: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Premier Desk tests//EN"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event.strip().splitlines(), "END:VEVENT"]
    return ("\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n").encode()


CHRISTMAS = """
UID:christmas@example.com
SUMMARY:Christmas shutdown
DTSTART;VALUE=DATE:20271224
DTEND;VALUE=DATE:20271228
"""
OFFICE_MOVE = """
UID:move@example.com
SUMMARY:Office move
DTSTART;TZID=Australia/Sydney:20270310T130000
DTEND;TZID=Australia/Sydney:20270310T170000
"""
TOWN_HALL = """
UID:town-hall@example.com
SUMMARY:Town hall
DTSTART:20270311T090000
DURATION:PT2H
"""
CANCELLED = """
UID:picnic@example.com
SUMMARY:Picnic
STATUS:CANCELLED
DTSTART;VALUE=DATE:20270401
"""


@pytest.fixture
def calendar():
    return CoverageCalendar.objects.create(slug="sydney", name="Sydney office", always_open=True)


def test_an_ics_file_adds_holidays_and_closed_times(
    administrator, calendar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        added = import_ics(
            administrator, calendar, ics(CHRISTMAS, OFFICE_MOVE, TOWN_HALL, CANCELLED), SYDNEY
        )
    assert added == 3
    assert list(CalendarHoliday.objects.values_list("first", "last", "zone", "label")) == [
        (date(2027, 12, 24), date(2027, 12, 27), SYDNEY, "Christmas shutdown")
    ]
    closed = CalendarException.objects.order_by("starts_at")
    assert [(e.opens, e.starts_at, e.ends_at, e.label) for e in closed] == [
        (False, utc(2027, 3, 10, 2), utc(2027, 3, 10, 6), "Office move"),  # 13:00 AEDT
        (False, utc(2027, 3, 10, 22), utc(2027, 3, 11, 0), "Town hall"),  # floating, in Sydney
    ]
    entry = AuditEntry.objects.get(action="sla.holidays_imported")
    assert (entry.actor, entry.object_id) == (administrator, str(calendar.pk))
    assert entry.changes["holidays"] == [
        None,
        ["2027-12-24..2027-12-27 Christmas shutdown (Australia/Sydney)"],
    ]
    assert len(entry.changes["closed_exceptions"][1]) == 2
    assert "Australia/Sydney" in entry.reason
    job = DBTaskResult.objects.get()
    assert job.args_kwargs["kwargs"] == {"calendar_ids": [calendar.pk]}


def test_dtend_of_an_all_day_event_is_exclusive(administrator, calendar):
    import_ics(administrator, calendar, ics(CHRISTMAS), SYDNEY)
    start = wall_instant(date(2027, 12, 23), time(0), SYDNEY)
    open_again = wall_instant(date(2027, 12, 28), time(0), SYDNEY)
    pieces = covered(calendar.as_calendar(), start, open_again + timedelta(days=1))
    assert [(p.start, p.end) for p in pieces] == [
        (start, start + timedelta(days=1)),
        (open_again, open_again + timedelta(days=1)),
    ]


def test_importing_the_same_file_again_adds_nothing(
    administrator, calendar, django_capture_on_commit_callbacks
):
    import_ics(administrator, calendar, ics(CHRISTMAS, OFFICE_MOVE), SYDNEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = import_ics(administrator, calendar, ics(CHRISTMAS, OFFICE_MOVE, TOWN_HALL), SYDNEY)
    assert again == 1
    assert (CalendarHoliday.objects.count(), CalendarException.objects.count()) == (1, 2)
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert import_ics(administrator, calendar, ics(CHRISTMAS), SYDNEY) == 0
    assert callbacks == []  # nothing changed: no recompute, no audit entry
    assert AuditEntry.objects.filter(action="sla.holidays_imported").count() == 2


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"this is not a calendar", "not a readable iCalendar (.ics) file"),
        (ics(), "no events (VEVENT)"),
        (ics(CHRISTMAS + "RRULE:FREQ=YEARLY\n"), "“Christmas shutdown” repeats (RRULE or RDATE)"),
        (
            ics("SUMMARY:Backwards\nDTSTART;VALUE=DATE:20270105\nDTEND;VALUE=DATE:20270101"),
            "“Backwards” ends (2027-01-01) before it starts (2027-01-05)",
        ),
        (
            ics("SUMMARY:Moon base\nDTSTART;TZID=Moon/Base:20270105T100000\nDURATION:PT1H"),
            "time zone “Moon/Base”, which neither the file (VTIMEZONE) nor the IANA",
        ),
        (ics("SUMMARY:Someday\nDTEND;VALUE=DATE:20270101"), "“Someday” has no usable start"),
    ],
)
def test_a_file_with_a_problem_is_refused_whole(administrator, calendar, content, said):
    with pytest.raises(InvalidInput) as refused:
        import_ics(administrator, calendar, content, SYDNEY)
    assert said in refused.value.detail
    assert [e.field for e in refused.value.errors] == ["ics_file"]
    assert not CalendarException.objects.exists()


def test_one_bad_event_refuses_the_good_ones_too(administrator, calendar):
    with pytest.raises(InvalidInput):
        import_ics(administrator, calendar, ics(OFFICE_MOVE, CHRISTMAS + "RDATE:20281224"), SYDNEY)
    assert not CalendarException.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_zone_must_be_an_iana_zone(administrator, calendar):
    with pytest.raises(InvalidInput) as refused:
        import_ics(administrator, calendar, ics(CHRISTMAS), "Sydney")
    assert [e.field for e in refused.value.errors] == ["zone"]
    assert "Sydney is not an IANA time zone" in refused.value.detail


def test_a_countrys_public_holidays_for_a_year(administrator, calendar):
    added = import_country(administrator, calendar, "au", [2027], SYDNEY, subdivision="nsw")
    assert added == CalendarHoliday.objects.count() > 10
    australia_day = CalendarHoliday.objects.get(first=date(2027, 1, 26))
    assert (australia_day.last, australia_day.zone, australia_day.label) == (
        date(2027, 1, 26),
        SYDNEY,
        "Australia Day (AU-NSW)",
    )
    assert CalendarHoliday.objects.filter(
        first=date(2027, 12, 25), last=date(2027, 12, 25)
    ).exists()
    entry = AuditEntry.objects.get(action="sla.holidays_imported")
    assert entry.reason == "public holidays of AU-NSW in 2027"
    assert import_country(administrator, calendar, "AU", [2027], SYDNEY, subdivision="NSW") == 0


def test_holidays_close_the_calendar_on_the_local_day(administrator, calendar):
    import_country(administrator, calendar, "AU", [2027], SYDNEY, subdivision="NSW")
    day_start = wall_instant(date(2027, 1, 26), time(0), SYDNEY)
    day = covered(calendar.as_calendar(), day_start, day_start + timedelta(days=1))
    assert day == []
    assert day_start == utc(2027, 1, 25, 13)  # AEDT, UTC+11


@pytest.mark.parametrize(
    ("country", "subdivision", "years", "field", "said"),
    [
        ("XX", None, [2027], "country", "“XX” is not a country the holidays package knows"),
        ("AU", "Atlantis", [2027], "subdivision", "AU has no subdivision “Atlantis”"),
        ("AU", None, [], "years", "Give at least one year"),
        ("AU", None, [27], "years", "27 is not a year between 1950 and 2100"),
    ],
)
def test_country_refusals(administrator, calendar, country, subdivision, years, field, said):
    with pytest.raises(InvalidInput) as refused:
        import_country(administrator, calendar, country, years, SYDNEY, subdivision=subdivision)
    assert said in refused.value.detail
    assert [e.field for e in refused.value.errors] == [field]
    assert not CalendarHoliday.objects.exists()


def test_an_unknown_subdivision_lists_the_known_ones(administrator, calendar):
    with pytest.raises(InvalidInput) as refused:
        import_country(administrator, calendar, "AU", [2027], SYDNEY, subdivision="ZZ")
    assert "NSW" in refused.value.detail
    assert "VIC" in refused.value.detail


def utc(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)
