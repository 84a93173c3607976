"""premierdesk rota who and premierdesk coverage, on a small rota with frozen facts."""

from __future__ import annotations

import io
import json
from datetime import date, time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from premierdesk.calendars.models import CalendarHoliday
from premierdesk.customers.tests.factories import premier_offering
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.offices.tests.test_routing import office_with_hours
from premierdesk.tickets.tests.factories import make_products

pytestmark = pytest.mark.django_db


@pytest.fixture
def rota():
    premier_offering()
    products = make_products()
    offices = [
        office_with_hours("Sydney", "Australia/Sydney", time(7), time(20)),
        office_with_hours("Amsterdam", "Europe/Amsterdam", time(7), time(20)),
        office_with_hours("Austin", "America/Chicago", time(7), time(20)),
    ]
    sanne = EngineerFactory.create(office=offices[1], user__email="sanne@premier.example")
    sanne.skills.set([products["jira-software"]])
    return offices


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rota_who_says_who_is_on_duty_and_where_a_ticket_goes(rota):
    text = run("rota", "who", "--at", "2026-06-16T10:00:00Z", "--product", "jira-software")
    assert "on duty: Amsterdam until 2026-06-16T18:00:00+00:00" in text
    assert "a new ticket goes to sanne@premier.example (Amsterdam): Amsterdam is on duty" in text
    data = json.loads(run("rota", "who", "--at", "2026-06-16T10:00:00Z", "--json"))
    assert [d["office"] for d in data["on_duty"]] == ["Amsterdam"]
    assert data["next"]["office"] == "Austin"


def test_rota_who_refuses_a_time_without_offset(rota):
    with pytest.raises(CommandError, match="has no offset"):
        run("rota", "who", "--at", "2026-06-16T10:00")


def test_coverage_exits_zero_without_gaps_and_one_with_them(rota):
    assert "No gap" in run("coverage", "--from", "2026-06-15", "--to", "2026-06-19")
    CalendarHoliday.objects.create(
        calendar=rota[2].calendar,
        first=date(2026, 6, 17),
        last=date(2026, 6, 17),
        zone="America/Chicago",
        label="office day out",
    )
    out = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("coverage", "--from", "2026-06-15", "--to", "2026-06-19", stdout=out)
    assert stopped.value.code == 1
    assert "gap 2026-06-17 18:00 to 2026-06-17 21:00 UTC (3.0 h)" in out.getvalue()


def test_coverage_refuses_a_bad_date(rota):
    with pytest.raises(CommandError, match="is not a date"):
        run("coverage", "--from", "June", "--to", "2026-06-19")
