"""The console's rota pages: the coverage heatmap (counts per UTC hour, gaps of the 24x5 week,
weekend on call) and today's rota (bars, holidays, who is on duty, next and on call)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.calendars.models import CalendarHoliday
from premierdesk.lib.coverage import Calendar, WeeklySpan
from premierdesk.offices import today
from premierdesk.offices.duty import OfficeHours
from premierdesk.offices.models import OnCallShift
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.offices.tests.test_routing import office_with_hours

pytestmark = pytest.mark.django_db
WEDNESDAY = datetime(2026, 6, 17, 12, 0, tzinfo=UTC)  # in the week of Monday 15 June
MONDAY_MORNING = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)


@pytest.fixture
def offices():
    """Sydney 08-18 AEST is 22:00-08:00 UTC; Amsterdam 08-18 CEST is 06:00-16:00 UTC: so two
    offices 06-08 UTC, one 00-06, 08-16 and 22-24, and a gap 16-22 UTC every weekday."""
    sydney = office_with_hours("Sydney", "Australia/Sydney", time(8), time(18))
    amsterdam = office_with_hours("Amsterdam", "Europe/Amsterdam", time(8), time(18))
    return sydney, amsterdam


def cell(html: str, at: datetime) -> tuple[set[str], str]:
    found = re.search(
        rf'<td class="([^"]*)" data-at="{re.escape(at.isoformat())}" title="[^"]*">([^<]*)</td>',
        html,
    )
    assert found, at
    return set(found.group(1).split()), found.group(2)


def coverage(client, query: str = "") -> str:
    response = client.get(f"/console/rota/coverage/{query}")
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(WEDNESDAY, tick=False)
def test_staff_see_offices_per_utc_hour_and_the_gaps(offices, administrator, as_user):
    html = coverage(as_user(administrator))
    assert html.count('<td class="heat ') == 4 * 7 * 24  # this week and the next three
    monday = datetime(2026, 6, 15, tzinfo=UTC)
    at = monday.replace
    assert cell(html, at(hour=3)) == ({"heat", "c1"}, "1")
    assert cell(html, at(hour=7)) == ({"heat", "c2"}, "2")
    assert cell(html, at(hour=12)) == ({"heat", "c1"}, "1")
    assert cell(html, at(hour=18)) == ({"heat", "c0", "gap"}, "0")
    assert cell(html, at(hour=23)) == ({"heat", "c1"}, "1")
    assert "16:00" in html
    assert "gap-row" in html
    # Monday to Friday, 16:00-22:00 UTC, four weeks.
    assert html.count('class="gap-row"') == 4 * 5


@time_machine.travel(WEDNESDAY, tick=False)
def test_weekend_hours_say_whether_someone_is_on_call(offices, administrator, as_user):
    engineer = EngineerFactory.create(office=offices[0], user__full_name="Olivia Nguyen")
    saturday = datetime(2026, 6, 20, tzinfo=UTC)  # the global weekend: Sat 00:00 to Mon 00:00
    OnCallShift.objects.create(
        engineer=engineer, starts_at=saturday, ends_at=saturday.replace(day=21, hour=12)
    )
    html = coverage(as_user(administrator))
    assert cell(html, saturday.replace(hour=5)) == ({"heat", "c0", "weekend", "on-call"}, "☎")
    late_sunday = saturday.replace(day=21, hour=18)
    assert cell(html, late_sunday) == ({"heat", "c0", "weekend", "no-on-call"}, "!")
    # Monday 08:00 in Sydney is Sunday 22:00 UTC: an office in, but still the weekend.
    assert cell(html, saturday.replace(day=21, hour=23))[0] >= {"c1", "weekend"}
    assert "Olivia Nguyen (Sydney)" in html


@time_machine.travel(WEDNESDAY, tick=False)
def test_a_range_is_whole_weeks_and_a_bad_date_is_refused(offices, administrator, as_user):
    client = as_user(administrator)
    html = coverage(client, "?from=2026-07-01&to=2026-07-02")  # a Wednesday and Thursday
    assert html.count('<td class="heat ') == 7 * 24
    assert 'data-at="2026-06-29T00:00:00+00:00"' in html  # from its Monday
    assert client.get("/console/rota/coverage/?from=soon").status_code == 422
    assert client.get("/console/rota/coverage/?from=2026-01-01&to=2027-01-01").status_code == 422


@time_machine.travel(WEDNESDAY, tick=False)
def test_with_the_evening_staffed_the_page_says_there_is_no_gap(offices, administrator, as_user):
    office_with_hours("Sao Paulo", "America/Sao_Paulo", time(13), time(21))  # 16-24 UTC
    html = coverage(as_user(administrator))
    assert "No gap: every hour of the 24x5 week" in html
    assert " gap" not in between(html, 'id="heatmap"', "</table>")
    assert html.count('class="gap-row"') == 0
    assert cell(html, datetime(2026, 6, 15, 18, tzinfo=UTC)) == ({"heat", "c1"}, "1")


def test_customers_are_refused_both_pages(offices, named_contact, as_user):
    client = as_user(named_contact)
    assert client.get("/console/rota/coverage/").status_code == 403
    assert client.get("/console/rota/").status_code == 403


def page_queries(client, weeks: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        coverage(client, f"?from=2026-06-15&to={date(2026, 6, 14 + 7 * weeks - 6)}")
    return len(queries)


@time_machine.travel(WEDNESDAY, tick=False)
def test_queries_do_not_grow_with_the_weeks_shown(offices, administrator, as_user):
    engineer = EngineerFactory.create(office=offices[0])
    OnCallShift.objects.create(
        engineer=engineer,
        starts_at=datetime(2026, 6, 20, tzinfo=UTC),
        ends_at=datetime(2026, 6, 21, tzinfo=UTC),
    )
    client = as_user(administrator)
    page_queries(client, 1)  # warms the policy cache
    assert page_queries(client, 1) == page_queries(client, 3)


def rota(client) -> str:
    response = client.get("/console/rota/")
    assert response.status_code == 200
    return response.content.decode()


def between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_todays_rota_shows_bars_now_next_and_on_call(offices, administrator, as_user):
    engineer = EngineerFactory.create(office=offices[1], user__full_name="Sanne de Vries")
    OnCallShift.objects.create(
        engineer=engineer,
        starts_at=datetime(2026, 6, 15, 6, tzinfo=UTC),
        ends_at=datetime(2026, 6, 15, 9, tzinfo=UTC),
    )
    html = rota(as_user(administrator))
    now = between(html, 'id="on-duty-now"', 'id="next-on-duty"')
    assert now.index("Amsterdam") < now.index("Sydney")  # staying longest first
    assert "Sydney" in between(html, 'id="next-on-duty"', "</div>")
    assert "Mon 22:00" in between(html, 'id="next-on-duty"', "</div>")
    assert "Sanne de Vries (Amsterdam)" in between(html, 'id="on-call-now"', "</div>")
    amsterdam = between(html, 'data-office="Amsterdam"', 'class="now"')
    assert 'data-left="25.000" data-width="41.667"' in amsterdam  # 06:00 to 16:00 UTC
    sydney = between(html, 'data-office="Sydney"', 'class="now"')
    assert 'data-left="0.000" data-width="33.333"' in sydney  # 00:00 to 08:00
    assert 'data-left="91.667" data-width="8.333"' in sydney  # 22:00 to midnight
    assert 'class="now" data-left="29.167"' in html


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_an_office_on_holiday_shows_it_and_is_not_on_duty(offices, administrator, as_user):
    _, amsterdam = offices
    CalendarHoliday.objects.create(
        calendar=amsterdam.calendar,
        first=date(2026, 6, 15),
        last=date(2026, 6, 15),
        zone="Europe/Amsterdam",
        label="Company day",
    )
    html = rota(as_user(administrator))
    lane = between(html, 'data-office="Amsterdam"', 'class="now"')
    assert "Company day" in lane
    assert "off duty all day" in lane
    assert "Amsterdam" not in between(html, 'id="on-duty-now"', 'id="next-on-duty"')


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_rota_is_drawn_in_the_viewers_zone_or_in_utc_on_request(offices, as_user):
    viewer = UserFactory.create(role=Role.SUPPORT_ENGINEER, time_zone="Europe/Amsterdam")
    client = as_user(viewer)
    html = rota(client)
    assert "in <strong>Europe/Amsterdam</strong>, your time zone" in html
    amsterdam = between(html, 'data-office="Amsterdam"', 'class="now"')
    assert 'data-left="33.333" data-width="41.667"' in amsterdam  # 08:00 to 18:00 CEST
    assert ">08:00\u201318:00<" in amsterdam  # an en dash between
    utc = client.get("/console/rota/?zone=UTC").content.decode()
    amsterdam_utc = between(utc, 'data-office="Amsterdam"', 'class="now"')
    assert 'data-left="25.000" data-width="41.667"' in amsterdam_utc
    refused = client.get("/console/rota/?zone=Mars/Olympus")
    assert refused.status_code == 422
    assert "not an IANA time zone" in refused.content.decode()


def test_a_day_daylight_saving_shortens_has_23_hours_on_the_time_line():
    """Sunday 29 March 2026 in Amsterdam: 02:00 becomes 03:00, so the day is 23 hours long
    and its ticks and bars are placed by the real time elapsed."""
    calendar = Calendar(
        name="Amsterdam",
        open_spans=(WeeklySpan(6, time(9), "Europe/Amsterdam", 6, time(12)),),
    )
    office = OfficeHours(1, "Amsterdam", calendar)
    now = datetime(2026, 3, 29, 10, 0, tzinfo=UTC)  # 12:00 CEST
    drawn = today.rota([office], [], now, "Europe/Amsterdam")
    assert drawn.day == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)
    ticks = {t.label: t.left for t in drawn.ticks}
    assert ticks["03:00"] == round(100 * 2 / 23, 3)  # two real hours after midnight
    [bar] = drawn.lanes[0].bars
    assert (bar.left, bar.width) == (round(100 * 8 / 23, 3), round(100 * 3 / 23, 3))
    assert drawn.now_left == round(100 * 11 / 23, 3)
