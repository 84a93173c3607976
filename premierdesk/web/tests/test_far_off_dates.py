"""Far-off dates typed into a page, a form or a command are refused with the accepted range,
never an overflow (the API's own inputs are checked in restapi/tests)."""

from __future__ import annotations

from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.services.forms import ScheduleForm
from premierdesk.sla.management.commands.sla import parse_opened
from premierdesk.tickets.forms import CallForm

pytestmark = pytest.mark.django_db

RANGE = "between the years 2000 and 2100"


def test_a_date_time_field_refuses_a_far_off_instant_beside_the_field():
    form = CallForm(data={"started_at": "9999-12-31T23:00"}, zone=ZoneInfo("Australia/Sydney"))
    assert not form.is_valid()
    assert RANGE in form.errors["started_at"][0]


def test_a_date_field_refuses_a_far_off_date():
    form = ScheduleForm(data={"agreed_date": "0001-01-01"}, engineers=[])
    assert not form.is_valid()
    assert RANGE in form.errors["agreed_date"][0]


def test_the_coverage_page_refuses_a_far_off_day(as_user):
    client = as_user(UserFactory.create(role=Role.SUPPORT_MANAGER))
    response = client.get("/console/rota/coverage/?from=9999-12-31")
    assert response.status_code == 422
    assert RANGE in response.content.decode()


def test_the_reports_page_refuses_a_far_off_month(as_user):
    client = as_user(UserFactory.create(role=Role.SUPPORT_MANAGER))
    response = client.get("/console/reports/?since=0001-01")
    # The report's form shows it beside the field, with what was typed kept.
    assert response.status_code == 400
    page = response.content.decode()
    assert RANGE in page
    assert 'value="0001-01"' in page


@pytest.mark.parametrize(
    "args",
    [
        ("rota", "who", "--at", "9999-12-31T23:00+00:00"),
        ("coverage", "--from", "9999-12-30", "--to", "9999-12-31"),
    ],
)
def test_commands_refuse_a_far_off_instant_in_one_line(args):
    with pytest.raises(CommandError, match=RANGE):
        call_command(*args, stdout=StringIO(), stderr=StringIO())


def test_the_sla_command_refuses_a_far_off_opening():
    with pytest.raises(CommandError, match=RANGE):
        parse_opened("9999-12-31T23:00Z")
