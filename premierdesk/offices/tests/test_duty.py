"""Who is on duty, from office calendars alone: the order of offices (and how daylight saving
changes it), who comes on next, and the coverage proof checked minute by minute."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from premierdesk.lib.coverage import Calendar, Holiday, WeeklySpan, covered
from premierdesk.offices.duty import OfficeHours, gaps, next_on_duty, on_duty
from premierdesk.sla.defaults import PREMIER_24X5

ZONES = {
    "Sydney": "Australia/Sydney",
    "Bengaluru": "Asia/Kolkata",
    "Amsterdam": "Europe/Amsterdam",
    "São Paulo": "America/Sao_Paulo",
    "Austin": "America/Chicago",
}


def office(
    n: int, name: str, opens: time = time(7), closes: time = time(20), holidays=()
) -> OfficeHours:
    zone = ZONES[name]
    spans = tuple(WeeklySpan(day, opens, zone, day, closes, zone) for day in range(5))
    return OfficeHours(n, name, Calendar(name, open_spans=spans, holidays=tuple(holidays)))


def rota(**holidays) -> list[OfficeHours]:
    return [office(n, name, holidays=holidays.get(name, ())) for n, name in enumerate(ZONES)]


def names(duties) -> list[str]:
    return [d.office.name for d in duties]


def test_the_office_staying_longest_comes_first():
    # Wednesday 12:00 UTC: Austin closes at 01:00 UTC (20:00 CDT), São Paulo at 23:00,
    # Amsterdam at 18:00 (CEST), Bengaluru at 14:30; Sydney is closed.
    at = datetime(2026, 6, 17, 12, 0, tzinfo=UTC)
    assert names(on_duty(rota(), at)) == ["Austin", "São Paulo", "Amsterdam", "Bengaluru"]


def test_daylight_saving_changes_the_order():
    # Sydney works 12:00-21:00, Bengaluru 07:00-16:00 (10:30 UTC). Sydney closes at 11:00 UTC
    # in June (AEST) but at 10:00 UTC in January (AEDT), so the order of the two flips.
    pair = [office(1, "Sydney", time(12), time(21)), office(2, "Bengaluru", time(7), time(16))]
    june = datetime(2026, 6, 16, 5, 0, tzinfo=UTC)
    january = datetime(2026, 1, 13, 5, 0, tzinfo=UTC)
    assert names(on_duty(pair, june)) == ["Sydney", "Bengaluru"]
    assert names(on_duty(pair, january)) == ["Bengaluru", "Sydney"]


def test_an_office_on_a_local_holiday_is_not_on_duty():
    at = datetime(2027, 1, 26, 2, 0, tzinfo=UTC)  # Tuesday, 13:00 in Sydney: Australia Day
    australia_day = Holiday(
        date(2027, 1, 26), date(2027, 1, 26), "Australia/Sydney", "Australia Day"
    )
    assert "Sydney" in names(on_duty(rota(), at))
    assert "Sydney" not in names(on_duty(rota(Sydney=[australia_day]), at))


def test_who_comes_on_next():
    friday_night = datetime(2026, 6, 19, 23, 30, tzinfo=UTC)
    following = next_on_duty(rota(), friday_night)
    assert following is not None
    assert following.office.name == "Sydney"
    assert following.starts_at == datetime(2026, 6, 21, 21, 0, tzinfo=UTC)  # Monday 07:00 AEST


def test_the_demo_shaped_rota_leaves_no_gap_in_a_year():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert gaps(rota(), PREMIER_24X5, start, start + timedelta(days=365)) == []


def test_a_monday_holiday_in_sydney_opens_a_gap_the_proof_shows():
    monday = date(2026, 6, 8)  # King's Birthday in New South Wales
    holiday = Holiday(monday, monday, "Australia/Sydney", "King's Birthday")
    start = datetime(2026, 6, 5, tzinfo=UTC)
    found = gaps(rota(Sydney=[holiday]), PREMIER_24X5, start, start + timedelta(days=7))
    # Monday 10:00 AEST (00:00 UTC) the week begins, and Bengaluru opens at 01:30 UTC.
    assert [(g.start, g.end) for g in found] == [
        (datetime(2026, 6, 8, 0, 0, tzinfo=UTC), datetime(2026, 6, 8, 1, 30, tzinfo=UTC))
    ]


def test_gaps_match_a_minute_by_minute_check():
    thin = [office(1, "Amsterdam", time(9), time(17)), office(2, "Austin", time(9), time(17))]
    start = datetime(2026, 10, 20, tzinfo=UTC)
    end = start + timedelta(days=14)  # across Europe's and the US's clock changes
    found = gaps(thin, PREMIER_24X5, start, end)

    def is_covered(cal: Calendar, at: datetime) -> bool:
        return bool(covered(cal, at, at + timedelta(minutes=1)))

    at = start
    while at < end:
        expected = is_covered(PREMIER_24X5, at) and not any(
            is_covered(o.calendar, at) for o in thin
        )
        assert any(g.start <= at < g.end for g in found) == expected, at
        at += timedelta(minutes=15)
