"""SLA attainment by group and month, through the API and the console page (report readers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.sla.actions import sweep
from premierdesk.tickets import actions
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)


@pytest.fixture
def reader(db):
    """A support manager: attainment is a report (reports.rules)."""
    return UserFactory.create(role=Role.SUPPORT_MANAGER, email="sam@premier.example")


@pytest.fixture
def answered(contact, engineer, second_engineer, frozen):
    """Three tickets: two answered in time (one per engineer's office), one answered late."""
    on_time = open_ticket(contact, SEN, level="L1")
    actions.assign_owner(engineer, on_time.key, owner_email=engineer.email)
    late = open_ticket(contact, SEN, level="L1", summary="late")
    actions.assign_owner(engineer, late.key, owner_email=second_engineer.email)
    other = open_ticket(contact, SEN, level="L2", summary="other office")
    actions.assign_owner(engineer, other.key, owner_email=second_engineer.email)
    frozen.shift(20 * M)
    actions.add_comment(engineer, on_time.key, body="On it")
    actions.add_comment(second_engineer, other.key, body="On it")
    frozen.shift(40 * M)
    actions.add_comment(second_engineer, late.key, body="Sorry for the wait")
    return on_time, late, other


def test_attainment_by_office_and_level(as_user, answered, engineer, second_engineer, reader):
    staff = as_user(reader)
    by_office = staff.get("/api/v1/sla/attainment?by=office").json()
    offices = {engineer.engineer.office.slug: (1, 0), second_engineer.engineer.office.slug: (2, 1)}
    assert {r["group"]: (r["measured"], r["breached"]) for r in by_office} == offices
    assert {r["month"] for r in by_office} == {"2026-05-01"}
    second = next(r for r in by_office if r["group"] == second_engineer.engineer.office.slug)
    assert second["attainment"] == 50.0
    by_level = staff.get("/api/v1/sla/attainment?by=level").json()
    assert {r["group"]: (r["met"], r["breached"]) for r in by_level} == {"L1": (1, 1), "L2": (1, 0)}


def test_a_running_clock_counts_once_the_sweep_finds_it_breached(as_user, contact, reader):
    open_ticket(contact, SEN, level="L1")
    assert as_user(reader).get("/api/v1/sla/attainment?by=level").json() == []
    sweep(NOW + 31 * M)  # warnings, then the breach
    rows = as_user(reader).get("/api/v1/sla/attainment?by=level").json()
    assert [(r["group"], r["measured"], r["breached"]) for r in rows] == [("L1", 1, 1)]


def test_reports_are_for_managers(as_user, answered, contact, engineer):
    for person in (contact, engineer):
        assert as_user(person).get("/api/v1/sla/attainment").status_code == 403
        assert as_user(person).get("/console/sla/attainment/").status_code == 403


def test_unknown_grouping_is_refused(as_user, reader):
    response = as_user(reader).get("/api/v1/sla/attainment?by=colour")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "by"


def test_the_console_page_shows_the_table_in_constant_queries(as_user, answered, reader):
    client = as_user(reader)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/console/sla/attainment/?by=level")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<td>L1</td><td>2</td><td>1</td><td>1</td><td>50.0 %</td>" in html
    assert len(captured) <= 6
