"""Tickets' stored clocks follow their timeline, and the sweep warns and announces a breach
once, to the right people, however often it runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.calendars.models import CalendarHoliday, CoverageCalendar
from premierdesk.sla.actions import sweep
from premierdesk.sla.models import TicketClock
from premierdesk.tickets import actions
from premierdesk.tickets.models import EventKind, Ticket
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)


def stored(ticket, kind: str, cycle: int = 1) -> TicketClock:
    return TicketClock.objects.get(ticket=ticket, kind=kind, cycle=cycle)


def test_opening_starts_first_response_and_resolution(ticket):
    first = stored(ticket, "first_response")
    assert (first.target_minutes, first.due_at, first.level) == (120, NOW + 120 * M, "L2")
    assert first.threshold_times() == [NOW + 60 * M, NOW + 90 * M, NOW + 120 * M]
    assert first.next_alert_at == NOW + 60 * M
    assert stored(ticket, "resolution").due_at is None  # tracked, no target by default
    assert Ticket.objects.get(pk=ticket.pk).sla_due_at == NOW + 120 * M


def test_a_public_response_stops_first_response_an_internal_note_does_not(ticket, engineer, frozen):
    frozen.shift(10 * M)
    actions.add_comment(engineer, ticket.key, body="Looking", internal=True)
    assert stored(ticket, "first_response").stopped_at is None
    frozen.shift(10 * M)
    actions.add_comment(engineer, ticket.key, body="We are on it.")
    first = stored(ticket, "first_response")
    assert (first.stopped_at, first.counted_seconds, first.due_at) == (NOW + 20 * M, 1200, None)
    assert first.next_alert_at is None
    assert Ticket.objects.get(pk=ticket.pk).sla_due_at is None


def test_a_logged_call_is_a_first_response(ticket, engineer, frozen):
    frozen.shift(5 * M)
    actions.log_call(engineer, ticket.key, actions.CallInput("outbound", "+1", "Grace", NOW, 4))
    assert stored(ticket, "first_response").stopped_at == NOW + 5 * M


def test_a_customer_comment_starts_next_update_and_waiting_pauses_it(
    ticket, engineer, contact, frozen
):
    actions.add_comment(engineer, ticket.key, body="Send logs please")
    frozen.shift(30 * M)
    actions.add_comment(contact, ticket.key, body="Here they are")
    update = stored(ticket, "next_update")
    assert update.due_at == NOW + 30 * M + 240 * M
    frozen.shift(60 * M)
    actions.transition(engineer, ticket.key, to="waiting_for_customer")
    update = stored(ticket, "next_update")
    assert (update.due_at, update.paused_by, update.next_alert_at) == (
        None,
        "waiting_for_customer",
        None,
    )


def test_a_level_change_after_20_minutes_is_due_10_minutes_later(ticket, contact, frozen):
    Ticket.objects.filter(pk=ticket.pk).update(level="L3")
    ticket.events.filter(kind=EventKind.OPENED).update(data={"level": "L3"})
    frozen.shift(20 * M)
    actions.change_level(contact, ticket.key, level="L1", reason="Now down")
    first = stored(ticket, "first_response")
    assert (first.level, first.target_minutes, first.due_at) == ("L1", 30, NOW + 30 * M)


@pytest.fixture
def lead_and_escalation(engineer, second_engineer):
    office = second_engineer.engineer.office
    office.lead = UserFactory.create(role=Role.SUPPORT_ENGINEER, email="lead@premier.example")
    office.save()
    return UserFactory.create(role=Role.ESCALATION_MANAGER, email="escalation@premier.example")


def test_the_sweep_warns_at_50_and_75_percent_then_announces_the_breach_once(
    contact, engineer, second_engineer, lead_and_escalation, deliver_mail, frozen
):
    critical = open_ticket(contact, SEN, level="L1")
    actions.assign_owner(engineer, critical.key, owner_email=second_engineer.email)
    deliver_mail()
    mail.outbox.clear()

    def sweep_at(minutes: int) -> list[tuple[str, list[str]]]:
        made = sweep(NOW + minutes * M)
        again = sweep(NOW + minutes * M)  # a second sweeper at the same moment says nothing
        assert again == 0
        deliver_mail()
        sent = [(str(m.subject), sorted(m.to)) for m in mail.outbox]
        mail.outbox.clear()
        assert len(sent) >= made
        return sent

    assert sweep_at(14) == []
    assert sweep_at(15) == [
        (
            f"[{critical.key}] 50% of the First response target used (L1 critical)",
            [second_engineer.email],
        )
    ]
    assert [s for s, _ in sweep_at(23)] == [
        f"[{critical.key}] 75% of the First response target used (L1 critical)"
    ]
    breach = sweep_at(31)
    assert [s for s, _ in breach] == [
        f"[{critical.key}] SLA breached: first response (L1 critical)"
    ] * 3
    assert sorted(to for _, (to,) in breach) == [
        "escalation@premier.example",
        "lead@premier.example",
        second_engineer.email,
    ]
    assert sweep_at(600) == []
    events = critical.events.filter(kind__in=[EventKind.SLA_WARNING, EventKind.SLA_BREACHED])
    assert [(e.kind, e.visibility) for e in events] == [
        ("sla_warning", "internal"),
        ("sla_warning", "internal"),
        ("sla_breached", "internal"),
    ]


def test_an_answer_before_the_warning_silences_the_sweep(ticket, engineer, frozen):
    frozen.shift(59 * M)
    actions.add_comment(engineer, ticket.key, body="Answered in time")
    assert sweep(NOW + 600 * M) == 0


def test_customers_see_the_first_response_clock_staff_see_all(
    as_user, ticket, contact, engineer, frozen
):
    frozen.shift(5 * M)
    customer = as_user(contact).get(f"/api/v1/tickets/{ticket.key}/sla").json()
    assert [c["kind"] for c in customer] == ["first_response"]
    assert customer[0]["due_at"] == "2026-05-04T11:00:00Z"
    assert customer[0]["state"] == "running"
    staff = as_user(engineer).get(f"/api/v1/tickets/{ticket.key}/sla").json()
    assert [c["kind"] for c in staff] == ["first_response", "resolution"]
    assert staff[0]["pieces"] == [
        {
            "start": "2026-05-04T09:00:00Z",
            "end": "2026-05-04T09:05:00Z",
            "counted": True,
            "reason": "covered by 24x7 (weekend critical coverage)",  # L2 on Jira Software
        }
    ]
    assert staff[0]["counted_minutes"] == 5


def test_a_settled_clock_keeps_its_record_when_the_calendar_changes_later(
    as_user, contact, engineer, frozen
):
    critical = open_ticket(contact, SEN, level="L1")
    frozen.shift(40 * M)
    actions.add_comment(engineer, critical.key, body="Sorry, late")  # breached at 30 min
    calendar = CoverageCalendar.objects.get(slug="24x7")
    CalendarHoliday.objects.create(
        calendar=calendar, first=NOW.date(), last=NOW.date(), zone="UTC", label="company day"
    )
    actions.add_comment(contact, critical.key, body="Thanks")  # the ticket changes again
    first = stored(critical, "first_response")
    assert (first.counted_seconds, first.breached_at) == (2400, NOW + 30 * M)
    shown = as_user(engineer).get(f"/api/v1/tickets/{critical.key}/sla").json()[0]
    assert (shown["counted_minutes"], shown["state"]) == (40, "breached")
