"""Recomputing open tickets' clocks after the configuration changes: a holiday moves what is
still to come, settled clocks keep their figures, and only tickets that may use the changed
calendar are touched."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from premierdesk.calendars.models import CalendarHoliday, CoverageCalendar
from premierdesk.jobs.tests.helpers import run_worker_in_test
from premierdesk.sla import recalc
from premierdesk.sla.models import CalendarRule, TicketClock
from premierdesk.sla.policy import policy_for
from premierdesk.sla.recalc import recompute_after_commit, recompute_open_clocks
from premierdesk.tickets import actions
from premierdesk.tickets.models import OPEN_STATUSES, Ticket
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
M = timedelta(minutes=1)


def stored(ticket, kind: str = "first_response", cycle: int = 1) -> TicketClock:
    return TicketClock.objects.get(ticket=ticket, kind=kind, cycle=cycle)


def around_the_clock() -> CoverageCalendar:
    """The calendar of L1, and of L2 on Jira Software (the default rules)."""
    return CoverageCalendar.objects.get(slug="24x7")


def holiday(calendar: CoverageCalendar, day: date, zone: str) -> CalendarHoliday:
    return CalendarHoliday.objects.create(
        calendar=calendar, first=day, last=day, zone=zone, label="Lei Day"
    )


def queue() -> list[int]:
    return list(
        Ticket.objects.filter(status__in=OPEN_STATUSES)
        .order_by("sla_due_at")
        .values_list("pk", flat=True)
    )


def test_a_holiday_ahead_of_a_running_clock_moves_its_due_time_and_the_queue(ticket, contact):
    weekday_ticket = open_ticket(contact, SEN, level="L3")  # Premier 24x5, due in 8 h
    assert stored(ticket).due_at == NOW + 120 * M
    assert queue() == [ticket.pk, weekday_ticket.pk]

    # 4 May in Honolulu is 10:00 UTC on the 4th to 10:00 UTC on the 5th: one of the two
    # hours is counted before it, the other after.
    holiday(around_the_clock(), date(2026, 5, 4), "Pacific/Honolulu")
    assert recompute_open_clocks(NOW, calendar_ids={around_the_clock().pk}) == 1

    moved = datetime(2026, 5, 5, 11, 0, tzinfo=UTC)
    assert stored(ticket).due_at == moved
    assert stored(ticket).threshold_times()[0] == NOW + 60 * M  # 50 % before the holiday
    assert Ticket.objects.get(pk=ticket.pk).sla_due_at == moved
    assert stored(weekday_ticket).due_at == NOW + 480 * M
    assert queue() == [weekday_ticket.pk, ticket.pk]


def test_a_stopped_clock_keeps_its_figures_when_a_holiday_is_added_over_its_past(
    contact, engineer, frozen
):
    critical = open_ticket(contact, SEN, level="L1")  # 30 minutes, 24x7
    frozen.shift(40 * M)
    actions.add_comment(engineer, critical.key, body="On it, sorry for the wait.")
    before = stored(critical)
    assert (before.counted_seconds, before.breached_at) == (2400, NOW + 30 * M)

    frozen.shift(20 * M)
    holiday(around_the_clock(), date(2026, 5, 4), "UTC")
    assert recompute_open_clocks(NOW + 60 * M) == 1

    after = stored(critical)
    assert (after.counted_seconds, after.breached_at, after.stopped_at) == (
        2400,
        NOW + 30 * M,
        NOW + 40 * M,
    )
    assert after.computed_at == before.computed_at
    # The running resolution clock was re-derived: the whole day is now a holiday.
    resolution = stored(critical, "resolution")
    assert (resolution.counted_seconds, resolution.computed_at) == (0, NOW + 60 * M)


def test_only_tickets_that_may_use_the_changed_calendar_are_recomputed(
    ticket, kestrel_ticket, kestrel, frozen
):
    own = CoverageCalendar.objects.create(slug="kestrel", name="Kestrel hours", always_open=True)
    CalendarRule.objects.create(priority=1, calendar=own, organization=kestrel)
    assert recompute_open_clocks(NOW) == 2  # a rule changed: every open ticket

    frozen.shift(5 * M)
    holiday(own, date(2026, 5, 5), "Europe/London")
    assert recompute_open_clocks(NOW + 5 * M, calendar_ids={own.pk}) == 1
    assert stored(kestrel_ticket).computed_at == NOW + 5 * M
    assert stored(ticket).computed_at == NOW


def test_a_level_held_in_the_past_counts_for_which_calendars_matter(contact, frozen):
    was_weekday = open_ticket(contact, SEN, level="L3")  # Premier 24x5 while at L3
    frozen.shift(10 * M)
    actions.change_level(contact, was_weekday.key, level="L1", reason="Production is down")
    now_24x7 = open_ticket(contact, SEN, level="L1")
    weekdays = CoverageCalendar.objects.get(slug="premier-24x5")

    assert recompute_open_clocks(NOW + 10 * M, calendar_ids={weekdays.pk}) == 1
    assert stored(was_weekday).computed_at == NOW + 10 * M
    assert recompute_open_clocks(NOW + 10 * M, calendar_ids={around_the_clock().pk}) == 2
    assert now_24x7.pk in queue()


def test_closed_tickets_are_left_as_they_are(ticket, engineer, frozen):
    actions.transition(engineer, ticket.key, to="resolved")
    resolved_at = stored(ticket).computed_at
    frozen.shift(60 * M)
    assert recompute_open_clocks(NOW + 60 * M) == 0
    assert stored(ticket).computed_at == resolved_at


def test_each_batch_is_its_own_transaction(ticket, contact, frozen, monkeypatch):
    second = open_ticket(contact, SEN, level="L3")
    frozen.shift(M)
    real = recalc._rederive  # what each batch's transaction runs, replaced below

    def fail_with_second(tickets, now):
        if second.pk in [t.pk for t in tickets]:
            raise RuntimeError("the database went away")
        return real(tickets, now)

    monkeypatch.setattr(recalc, "_rederive", fail_with_second)
    with pytest.raises(RuntimeError):
        recompute_open_clocks(NOW + M, batch=1)
    assert stored(ticket).computed_at == NOW + M  # kept: its own transaction had committed
    assert stored(second).computed_at == NOW

    with pytest.raises(RuntimeError):
        recompute_open_clocks(NOW + 2 * M, batch=2)
    assert stored(ticket).computed_at == NOW + M  # one batch with the second: rolled back


def test_the_job_is_enqueued_on_commit_and_recomputes(ticket, django_capture_on_commit_callbacks):
    holiday(around_the_clock(), date(2026, 5, 4), "Pacific/Honolulu")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        recompute_after_commit({around_the_clock().pk, around_the_clock().pk})
        assert not DBTaskResult.objects.exists()
    job = DBTaskResult.objects.get()
    assert job.task_path == "premierdesk.sla.recalc.recompute_open_clocks_task"
    assert job.args_kwargs["kwargs"] == {"calendar_ids": [around_the_clock().pk]}

    run_worker_in_test()
    job.refresh_from_db()
    assert (job.status, job.return_value) == ("SUCCESSFUL", 1)
    assert stored(ticket).due_at == datetime(2026, 5, 5, 11, 0, tzinfo=UTC)


def test_a_later_change_to_the_ticket_keeps_a_settled_clock_too(contact, engineer, frozen):
    critical = open_ticket(contact, SEN, level="L1")
    frozen.shift(40 * M)
    actions.add_comment(engineer, critical.key, body="On it, sorry for the wait.")
    holiday(around_the_clock(), date(2026, 5, 4), "UTC")
    frozen.shift(20 * M)
    actions.add_comment(contact, critical.key, body="Thanks, any news?")
    assert stored(critical).counted_seconds == 2400


# A recompute's queries (a transaction is two in a test, its savepoint and release): per
# batch, the transaction, its locked open tickets, the SLA policy's revision, the offerings'
# targets, the timelines, the stored clocks and their update (one statement for them all);
# then a last transaction finding no more open tickets.
PER_BATCH, LAST = 8, 3


@pytest.mark.parametrize("count", [10, 40])
def test_the_queries_do_not_grow_with_the_tickets(contact, count):
    for n in range(count):
        open_ticket(contact, SEN, level=["L1", "L2", "L3", "L4"][n % 4])
    with CaptureQueriesContext(connection) as captured:
        assert recompute_open_clocks(NOW + M) == count
    assert len(captured) == PER_BATCH + LAST
    with CaptureQueriesContext(connection) as captured:
        assert recompute_open_clocks(NOW + 2 * M, batch=4) == count
    assert len(captured) == PER_BATCH * -(-count // 4) + LAST  # the same per batch


def test_a_calendar_change_costs_three_more_queries_when_due_times_move(ticket):
    calendar = around_the_clock()
    holiday(calendar, date(2026, 5, 4), "Pacific/Honolulu")
    policy_for(ticket)  # the new revision read once, as the first ticket change would
    with CaptureQueriesContext(connection) as captured:
        assert recompute_open_clocks(NOW, calendar_ids={calendar.pk}) == 1
    # The rules, the levels each ticket has held, and the queue's due times that moved.
    assert len(captured) == PER_BATCH + 3 + LAST
    assert Ticket.objects.get(pk=ticket.pk).sla_due_at == datetime(2026, 5, 5, 11, 0, tzinfo=UTC)
