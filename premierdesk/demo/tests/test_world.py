"""The demo world's licenses: each organization has a Premier license with named contacts, one
addition waiting for approval and one temporary cover in the coming weeks; and its tickets, in
every status, opened by those named contacts and worked by the demo's engineers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from premierdesk.accounts.models import Role, User
from premierdesk.audit.models import AuditEntry
from premierdesk.calendars.models import CalendarException
from premierdesk.catalog.models import Level, Product
from premierdesk.customers import actions, queries, rules
from premierdesk.customers.models import (
    ChangeStatus,
    ContactRole,
    License,
    LicenseContact,
    NamedContact,
    Organization,
)
from premierdesk.demo import rota, world
from premierdesk.demo import tickets as demo_tickets
from premierdesk.demo.tests.conftest import LOADED_AT
from premierdesk.lib.coverage import Calendar, Holiday, Interval, WeeklySpan, closed_intervals
from premierdesk.offices.duty import OfficeHours, gaps
from premierdesk.offices.models import Handover, Office, OnCallShift
from premierdesk.offices.routing import office_hours, route
from premierdesk.sla.defaults import AROUND_THE_CLOCK, PREMIER_24X5, WEEKEND_LEVELS
from premierdesk.sla.policy import service_week
from premierdesk.tickets.models import (
    Comment,
    Environment,
    EventKind,
    Status,
    Ticket,
    TicketPolicy,
    TimelineEvent,
    Visibility,
)
from premierdesk.tickets.rules import is_ticket_staff

pytestmark = pytest.mark.django_db


def premier_license(org: Organization) -> License:
    return License.objects.get(organization=org, offering__slug="premier")


def test_each_organization_has_a_valid_premier_license(loaded):
    today = timezone.now().date()
    for org in Organization.objects.all():
        license = premier_license(org)
        assert license.valid_from <= today - timedelta(days=300)
        assert license.valid_until >= today + timedelta(days=300)
        assert license.products.filter(covered=False).count() == 0
    kestrel = premier_license(Organization.objects.get(slug="kestrel"))
    assert not kestrel.products.filter(slug__in=["bamboo", "fisheye"]).exists()
    northwind = premier_license(Organization.objects.get(slug="northwind"))
    assert northwind.products.count() == len(world.COVERED_PRODUCTS)


def test_each_license_has_a_primary_billing_and_technical_contact(loaded):
    for license in License.objects.all():
        for role in ContactRole:
            contact = LicenseContact.objects.get(license=license, role=role, is_primary=True)
            assert contact.person.organization_id == license.organization_id
            assert contact.person.check_password(world.DEMO_PASSWORD)


def test_named_contacts_fit_with_a_slot_left_for_the_pending_addition(loaded):
    now = timezone.now()
    for license in License.objects.all():
        active = queries.active_contacts(license, now)
        assert 1 <= len(active) < license.named_contact_slots
        pending = NamedContact.objects.get(license=license, status=ChangeStatus.PENDING)
        assert pending.person is None  # invited: the account is made when approved
        assert not User.objects.filter(email=pending.invited_email).exists()


def test_the_demo_named_contact_is_active_and_the_participant_is_not_a_contact(loaded):
    now = timezone.now()
    for _, slug, _, (_, contact_email), (_, participant_email) in world.ORGANIZATIONS:
        license = premier_license(Organization.objects.get(slug=slug))
        active = {c.person_email for c in queries.active_contacts(license, now)}
        assert contact_email in active
        participant = User.objects.get(email=participant_email)
        assert not NamedContact.objects.filter(person=participant).exists()
        assert not LicenseContact.objects.filter(person=participant).exists()
        assert not rules.may_manage(participant, license, now)


def test_each_license_has_one_approved_cover_in_the_coming_weeks(loaded):
    now = timezone.now()
    for license in License.objects.all():
        cover = NamedContact.objects.get(
            license=license, status=ChangeStatus.APPROVED, covers__isnull=False
        )
        assert now < cover.starts_at <= now + timedelta(weeks=4)
        assert cover.ends_at is not None
        inside = cover.starts_at + timedelta(days=1)
        active = {c.person_id for c in queries.active_contacts(license, inside)}
        assert cover.person_id in active
        assert cover.covers is not None
        assert cover.covers.person_id not in active  # on leave, back afterwards
        back = {c.person_id for c in queries.active_contacts(license, cover.ends_at)}
        assert cover.covers.person_id in back


def test_the_slot_limit_holds_after_the_pending_addition_is_approved(loaded):
    erin = User.objects.get(email="enterprise@premier.example")
    for change in NamedContact.objects.filter(status=ChangeStatus.PENDING):
        actions.approve_change(erin, change.pk)  # refused if any instant would be over
    loaded.shift(timedelta(weeks=2))
    for license in License.objects.all():
        assert len(queries.active_contacts(license, timezone.now())) == 3


def test_every_named_contact_change_is_in_the_audit_trail(loaded):
    erin = User.objects.get(email="enterprise@premier.example")
    for license in License.objects.all():
        technical = LicenseContact.objects.get(license=license, role=ContactRole.TECHNICAL).person
        for change in NamedContact.objects.filter(license=license):
            entries = AuditEntry.objects.filter(
                object_type="customers.namedcontact", object_id=str(change.pk)
            )
            requested = entries.get(action__endswith="_requested")
            assert requested.actor == technical
            assert change.requested_by == technical
            if change.status == ChangeStatus.APPROVED:
                assert entries.get(action="customers.named_contact_approved").actor == erin
                assert change.decided_by == erin
    assert AuditEntry.objects.filter(action="customers.named_contact_requested").count() == 9
    assert AuditEntry.objects.filter(action="customers.named_contact_cover_requested").count() == 3
    assert AuditEntry.objects.filter(action="customers.named_contact_approved").count() == 9


# Tickets ------------------------------------------------------------------------------------


def test_demo_tickets_are_the_listed_ones_in_every_status(loaded):
    today = Ticket.objects.filter(opened_at__gte=LOADED_AT).order_by("pk")
    summaries = list(today.values_list("summary", flat=True))
    assert summaries == [t.summary for t in demo_tickets.DEMO_TICKETS]
    assert 30 <= len(summaries) <= 40
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status)
    opened = AuditEntry.objects.filter(action="tickets.opened").count()
    assert opened == Ticket.objects.count()  # every one through the action


def test_each_organization_has_tickets_in_every_status_and_several_products(loaded):
    for org in Organization.objects.all():
        tickets = Ticket.objects.filter(organization=org)
        assert set(tickets.values_list("status", flat=True)) == set(Status), org
        assert tickets.values("product").distinct().count() >= 5
        assert tickets.values("environment").distinct().count() >= 3
        assert tickets.values("level").distinct().count() == 4


def test_every_ticket_was_opened_by_an_active_named_contact_of_its_license(loaded):
    for ticket in Ticket.objects.select_related("license", "opened_by"):
        active = {c.person_id for c in queries.active_contacts(ticket.license, ticket.opened_at)}
        assert ticket.opened_by_id in active, ticket.key
        assert ticket.license.products.filter(pk=ticket.product_id).exists()


def test_critical_tickets_are_production_with_a_logged_call(loaded):
    opened_as = dict(
        TimelineEvent.objects.filter(kind=EventKind.OPENED).values_list("ticket_id", "data__level")
    )
    critical = [pk for pk, level in opened_as.items() if level == Level.L1]
    assert len(critical) >= 3
    for ticket in Ticket.objects.filter(pk__in=critical):
        assert ticket.environment == Environment.PRODUCTION
        assert ticket.calls.exists(), ticket.key
    assert not Ticket.objects.filter(level=Level.L1).exclude(environment="production").exists()


def test_every_ticket_has_a_skilled_owner_from_routing_on(loaded):
    for ticket in Ticket.objects.exclude(owner=None).select_related("owner__engineer"):
        assert ticket.owner is not None
        engineer = ticket.owner.engineer
        assert ticket.office_id == engineer.office_id
        assert engineer.skills.filter(pk=ticket.product_id).exists(), ticket.key
    assert not Ticket.objects.filter(owner=None).exists()  # routing owns each new ticket
    routed = TimelineEvent.objects.filter(kind=EventKind.OWNER_CHANGED, actor=None)
    assert routed.count() == Ticket.objects.count()
    assert TimelineEvent.objects.filter(kind=EventKind.OWNER_CHANGED, data__from__isnull=False)


def test_conversations_have_both_sides_internal_notes_and_participants(loaded):
    public = Comment.objects.filter(visibility=Visibility.PUBLIC)
    assert public.filter(author__role=Role.CUSTOMER).count() >= 15
    assert public.filter(author__role=Role.SUPPORT_ENGINEER).count() >= 30
    internal = Comment.objects.filter(visibility=Visibility.INTERNAL).select_related("author")
    assert internal.count() >= 5
    assert all(is_ticket_staff(note.author) for note in internal)
    participating = Ticket.objects.filter(participants__isnull=False).distinct()
    assert participating.count() >= 3
    for ticket in participating:
        people = ticket.participants.values_list("person_id", flat=True)
        assert ticket.comments.filter(author_id__in=people).exists(), ticket.key


def test_no_customer_is_on_another_organizations_ticket(loaded):
    for ticket in Ticket.objects.all():
        people = {
            ticket.opened_by,
            *(p.person for p in ticket.participants.select_related("person")),
            *(c.author for c in ticket.comments.select_related("author")),
        }
        for person in people:
            if person.is_customer:
                assert person.organization_id == ticket.organization_id, (ticket.key, person)


def test_inactive_tickets_went_quiet_through_the_idle_job_and_the_policy_is_back(loaded):
    inactive = Ticket.objects.filter(status=Status.INACTIVE)
    assert inactive.count() == 3
    for ticket in inactive:
        move = ticket.events.filter(kind=EventKind.STATUS_CHANGED).last()
        assert move is not None
        assert move.actor is None
        assert move.data["reason"] == "No answer from the customer for 0 days."
        assert ticket.idle_transition_at == ticket.status_changed_at + timedelta(days=7)
    assert TicketPolicy.current().inactive_after_days == 7
    changes = AuditEntry.objects.filter(action="tickets.ticketpolicy.changed")
    assert [e.changes for e in changes.order_by("pk")] == [
        {"inactive_after_days": [7, 0]},
        {"inactive_after_days": [0, 7]},
    ]
    for ticket in Ticket.objects.filter(status=Status.WAITING_FOR_CUSTOMER):
        assert ticket.idle_transition_at == ticket.status_changed_at + timedelta(days=7)


def test_nothing_on_a_ticket_is_dated_in_the_future(loaded):
    now = timezone.now()
    assert not TimelineEvent.objects.filter(at__gt=now).exists()
    assert not Ticket.objects.filter(status_changed_at__gt=now).exists()
    closed = Ticket.objects.filter(status=Status.CLOSED)
    assert not closed.filter(resolved_at=None).exists()  # closed after being resolved


def test_every_office_has_working_hours_and_its_countrys_holidays(loaded):
    offices = Office.objects.select_related("calendar")
    assert all(o.calendar is not None for o in offices)
    assert all(o.calendar.holidays.exists() for o in offices if o.calendar)
    assert {h.name for h in office_hours()} == set(offices.values_list("name", flat=True))


def test_the_rota_covers_every_hour_of_the_24x5_week_for_a_year(loaded):
    now = timezone.now()
    assert gaps(office_hours(), service_week(), now, now + timedelta(days=365)) == []


def test_holiday_duty_says_which_holiday_it_covers_and_christmas_is_staffed(loaded):
    duty = CalendarException.objects.filter(opens=True, label__startswith="holiday duty")
    assert duty.exists()
    assert all(e.label.startswith("holiday duty (") for e in duty)
    christmas = datetime(2026, 12, 25, 12, tzinfo=UTC)
    assert duty.filter(starts_at__lte=christmas, ends_at__gt=christmas).exists()
    assert AuditEntry.objects.filter(action="demo.holiday_duty_planned").exists()


def weekends(days: int) -> list[Interval]:
    now = timezone.now()
    return closed_intervals(service_week(), now, now + timedelta(days=days))


def test_every_global_weekend_instant_of_the_next_8_weeks_has_someone_on_call(loaded):
    found = weekends(8 * 7)
    assert len(found) >= 8
    for weekend in found:
        shifts = OnCallShift.objects.filter(starts_at__lte=weekend.start, ends_at__gte=weekend.end)
        assert shifts.exists(), weekend
        at = weekend.start
        while at < weekend.end:  # and hour by hour, the way routing asks
            assert OnCallShift.objects.filter(starts_at__lte=at, ends_at__gt=at).exists(), at
            at += timedelta(hours=1)


def test_each_weekend_team_knows_every_critical_product_and_mixes_offices(loaded):
    critical = {
        p.pk
        for p in Product.objects.filter(covered=True)
        if "L1" in WEEKEND_LEVELS[p.weekend_class]
    }
    teams = []
    for weekend in weekends(8 * 7):
        shifts = OnCallShift.objects.filter(starts_at=weekend.start).select_related("engineer")
        skills = {p.pk for s in shifts for p in s.engineer.skills.all()}
        assert critical <= skills
        assert len({s.engineer.office_id for s in shifts}) >= 2
        teams.append(frozenset(s.engineer_id for s in shifts))
    assert len(set(teams)) > 1  # the roster rotates


def test_a_weekend_critical_ticket_goes_to_the_engineer_on_call(loaded):
    weekend = weekends(14)[0]
    saturday = weekend.start + timedelta(hours=20)
    jira = Product.objects.get(slug="jira-software")
    found = route(
        jira.pk, "L1", saturday, service_week=PREMIER_24X5, level_calendar=AROUND_THE_CLOCK
    )
    on_call = OnCallShift.objects.filter(starts_at__lte=saturday, ends_at__gt=saturday)
    assert found.engineer is not None
    assert found.engineer.pk in set(on_call.values_list("engineer_id", flat=True))
    assert found.reason == "on call over the weekend"


def office(name: str, zone: str, opens: int, closes: int, *off: Holiday) -> OfficeHours:
    days = tuple(WeeklySpan(d, time(opens), zone, d, time(closes)) for d in range(5))
    return OfficeHours(len(name), name, Calendar(name, open_spans=days, holidays=off))


def test_holiday_duty_goes_to_the_office_whose_hours_cover_the_gap_and_closes_it():
    christmas = date(2026, 12, 25)  # a Friday
    east = office("East", "Asia/Tokyo", 6, 20)  # 21:00 to 11:00 UTC
    west = office("West", "UTC", 10, 22, Holiday(christmas, christmas, "UTC", "Xmas"))
    week = Calendar("week", open_spans=(WeeklySpan(0, time(0), "UTC", 4, time(22)),))
    start, end = datetime(2026, 12, 21, tzinfo=UTC), datetime(2026, 12, 28, tzinfo=UTC)
    assert gaps([east, west], week, start, end) == [
        Interval(
            datetime(2026, 12, 25, 11, tzinfo=UTC),
            datetime(2026, 12, 25, 22, tzinfo=UTC),
            "nobody on duty",
        )
    ]
    duties = rota.holiday_duties([east, west], week, start, end)
    assert [(d.office.name, d.interval.reason) for d in duties] == [("West", "holiday duty (Xmas)")]
    staffed = replace(west.calendar, open_exceptions=tuple(d.interval for d in duties))
    assert gaps([east, replace(west, calendar=staffed)], week, start, end) == []


def test_on_call_teams_cover_the_skills_and_share_the_weekends():
    members = [rota.Member(n, n % 3, frozenset({n % 4, (n + 1) % 4})) for n in range(6)]
    teams = rota.on_call_teams(members, frozenset(range(4)), 6)
    assert all(frozenset().union(*(m.skills for m in t)) == frozenset(range(4)) for t in teams)
    assert all(any(m in t for t in teams) for m in members)  # everyone takes a turn
    assert all(len({m.office_id for m in t}) == len(t) for t in teams)  # offices mixed


def test_a_demo_day_of_handovers_is_waiting_in_the_console(loaded):
    """Loaded on a Monday at 13:45 UTC: Austin, São Paulo, Amsterdam and Bengaluru are on
    duty; Amsterdam owns the most critical tickets, closes early, and they go to the offices
    still on duty, some with their owner's note and some flagged."""
    today = Handover.objects.filter(at=LOADED_AT)
    handovers = list(today.select_related("from_office", "to_office", "ticket"))
    assert len(handovers) >= 3
    assert {h.from_office.slug for h in handovers} == {"amsterdam"}
    assert {h.to_office.slug for h in handovers} <= {"austin", "sao-paulo", "bengaluru"}
    assert all(h.acknowledged_at is None for h in handovers)
    assert {h.flagged for h in handovers} == {True, False}
    assert all(h.ticket.level == "L1" or h.ticket.follow_the_sun for h in handovers)
    closed = CalendarException.objects.get(label__startswith="Closed early", starts_at=LOADED_AT)
    assert (closed.starts_at, closed.ends_at) == (
        LOADED_AT,
        datetime(2026, 6, 15, 18, 0, tzinfo=UTC),
    )
    marked = Ticket.objects.filter(follow_the_sun=True)
    assert set(marked.values_list("level", "environment").distinct()) == {("L2", "production")}


def test_the_demo_handovers_reach_the_receivers_and_the_lead_is_alerted_after_30_minutes(
    loaded,
):
    from premierdesk.offices.actions import alert_unacknowledged

    assert alert_unacknowledged(LOADED_AT + timedelta(minutes=29)) == 0
    today = Handover.objects.filter(at=LOADED_AT)
    assert alert_unacknowledged(LOADED_AT + timedelta(minutes=31)) == today.count()
