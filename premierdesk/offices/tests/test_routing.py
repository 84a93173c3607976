"""Routing a new ticket (docs/product/follow-the-sun.md#routing) with frozen time: the office on
duty at a boundary, an office on a local holiday skipped, skill, absence and load, and the weekend
paths."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from premierdesk.calendars.models import CalendarHoliday, CalendarSpan, CoverageCalendar
from premierdesk.catalog.models import Product
from premierdesk.customers.tests.factories import LicenseFactory
from premierdesk.offices.models import Absence, Office, OnCallShift
from premierdesk.offices.routing import Router, route
from premierdesk.offices.tests.factories import EngineerFactory, OfficeFactory
from premierdesk.sla.defaults import AROUND_THE_CLOCK, PREMIER_24X5
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.factories import make_products

pytestmark = pytest.mark.django_db


def office_with_hours(name: str, zone: str, opens: time, closes: time) -> Office:
    calendar = CoverageCalendar.objects.create(slug=f"{name.lower()}-hours", name=f"{name} hours")
    for day in range(5):
        CalendarSpan.objects.create(
            calendar=calendar,
            start_day=day,
            start_time=opens,
            start_zone=zone,
            end_day=day,
            end_time=closes,
            end_zone=zone,
        )
    return OfficeFactory.create(name=name, slug=name.lower(), time_zone=zone, calendar=calendar)


@pytest.fixture
def products():
    return make_products()


@pytest.fixture
def sydney():
    return office_with_hours("Sydney", "Australia/Sydney", time(8), time(18))


@pytest.fixture
def amsterdam():
    return office_with_hours("Amsterdam", "Europe/Amsterdam", time(8), time(18))


def engineer(office: Office, name: str, *skills: Product, max_load: int = 8):
    made = EngineerFactory.create(office=office, user__full_name=name, max_load=max_load)
    made.skills.set(skills)
    return made


def where(product: Product, level: str, at: datetime, weekend=PREMIER_24X5):
    return route(product.pk, level, at, service_week=PREMIER_24X5, level_calendar=weekend)


def test_at_the_end_of_a_day_the_ticket_goes_to_the_next_office(products, sydney, amsterdam):
    jira = products["jira-software"]
    olivia = engineer(sydney, "Olivia", jira)
    sanne = engineer(amsterdam, "Sanne", jira)
    # Tuesday 18:00 in Sydney (AEST) is 08:00 UTC; Amsterdam (CEST) opened at 06:00 UTC.
    closing = datetime(2026, 6, 16, 8, 0, tzinfo=UTC)
    assert where(jira, "L2", closing - timedelta(hours=2, seconds=1)).engineer == olivia
    assert where(jira, "L2", closing - timedelta(seconds=1)).engineer == sanne  # stays longer
    found = where(jira, "L2", closing)
    assert (found.engineer, found.reason) == (sanne, "Amsterdam is on duty")


def test_an_office_on_a_local_holiday_is_skipped(products, sydney, amsterdam):
    jira = products["jira-software"]
    olivia = engineer(sydney, "Olivia", jira)
    sanne = engineer(amsterdam, "Sanne", jira)
    at = datetime(2027, 1, 26, 1, 0, tzinfo=UTC)  # Tuesday 12:00 in Sydney, night in Europe
    assert where(jira, "L3", at).engineer == olivia
    CalendarHoliday.objects.create(
        calendar=sydney.calendar,
        first=date(2027, 1, 26),
        last=date(2027, 1, 26),
        zone="Australia/Sydney",
        label="Australia Day",
    )
    found = where(jira, "L3", at)
    assert (found.engineer, found.reason) == (sanne, "Amsterdam comes on duty first")


def test_skill_absence_and_load_decide_within_the_office(products, sydney):
    jira, bamboo = products["jira-software"], products["bamboo"]
    at = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)
    liam = engineer(sydney, "Liam", bamboo)
    olivia = engineer(sydney, "Olivia", jira)
    noah = engineer(sydney, "Noah", jira)
    first = min(olivia, noah, key=lambda e: e.user_id)
    assert where(jira, "L2", at).engineer == first  # equal loads: lowest account id
    assert where(bamboo, "L2", at).engineer == liam
    Absence.objects.create(
        engineer=first, starts_at=at - timedelta(days=1), ends_at=at + timedelta(days=1)
    )
    other = noah if first == olivia else olivia
    assert where(jira, "L2", at).engineer == other


def test_the_lightest_weighted_load_wins(products, sydney, contact_ticket_for):
    jira = products["jira-software"]
    at = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)
    busy = engineer(sydney, "Busy", jira)
    free = engineer(sydney, "Free", jira)
    contact_ticket_for(busy.user, level="L4")
    assert where(jira, "L2", at).engineer == free


def test_critical_tickets_go_to_the_on_call_engineer_over_the_weekend(products, sydney, amsterdam):
    jira = products["jira-software"]
    engineer(sydney, "Olivia", jira)
    sanne = engineer(amsterdam, "Sanne", jira)
    saturday = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)
    OnCallShift.objects.create(
        engineer=sanne,
        starts_at=saturday - timedelta(hours=6),
        ends_at=saturday + timedelta(hours=6),
    )
    found = where(jira, "L1", saturday, weekend=AROUND_THE_CLOCK)
    assert (found.engineer, found.reason) == (sanne, "on call over the weekend")


def test_other_levels_wait_for_the_office_that_comes_on_duty_first(products, sydney, amsterdam):
    jira = products["jira-software"]
    olivia = engineer(sydney, "Olivia", jira)
    engineer(amsterdam, "Sanne", jira)
    saturday = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)
    found = where(jira, "L3", saturday)
    assert (found.engineer, found.reason) == (olivia, "Sydney comes on duty first")


def test_nobody_skilled_leaves_the_ticket_unassigned(products, sydney):
    engineer(sydney, "Liam", products["bamboo"])
    found = where(products["confluence"], "L2", datetime(2026, 6, 16, 2, 0, tzinfo=UTC))
    assert (found.engineer, found.reason) == (None, "no engineer has the skill")


@pytest.fixture
def contact_ticket_for(northwind, products):
    """Make an open ticket owned by someone, to give them load."""
    license = LicenseFactory.create(organization=northwind)
    opened = datetime(2026, 6, 1, tzinfo=UTC)

    def make(owner, level: str) -> Ticket:
        return Ticket.objects.create(
            license=license,
            organization=northwind,
            product=products["jira-software"],
            product_version="1",
            environment="production",
            level=level,
            summary="load",
            description="load",
            opened_by=owner,
            opened_at=opened,
            status_changed_at=opened,
            updated_at=opened,
            owner=owner,
        )

    return make


def test_a_router_gives_out_tickets_as_one_routing_after_another_would(
    products, sydney, contact_ticket_for
):
    """The handover routes thousands of tickets through one Router that counts loads in
    memory; it must choose exactly what routing each ticket in turn would."""
    jira = products["jira-software"]
    at = datetime(2026, 6, 16, 2, 0, tzinfo=UTC)
    people = [engineer(sydney, name, jira, max_load=9) for name in ("Ava", "Ben", "Cy")]
    contact_ticket_for(people[0].user, level="L1")
    contact_ticket_for(people[2].user, level="L3")
    levels = ["L1", "L2", "L4", "L1", "L3", "L2", "L1", "L1", "L4", "L2"]
    router = Router()
    batched = [
        router.route(jira.pk, level, at, service_week=PREMIER_24X5, level_calendar=PREMIER_24X5)
        for level in levels
    ]
    one_by_one = []
    for level in levels:
        found = where(jira, level, at)
        one_by_one.append(found)
        contact_ticket_for(found.engineer.user, level=level)  # it now carries the ticket
    assert [r.engineer for r in batched] == [r.engineer for r in one_by_one]
    assert len({r.engineer for r in batched}) == 3  # the load spread over all three
