"""The recompute and the sweep beside other work, on separate connections: a ticket changed
while its batch is recomputed is not left with a stale clock (the batch holds the ticket's
lock, so the change waits and re-derives after it); two sweeps at once say each alert once;
a sweep passes over a ticket someone is changing and says its alert the next time."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction

from premierdesk.accounts.models import Role
from premierdesk.lib.tests.threads import run_at_once
from premierdesk.notifications.models import OutboxMessage
from premierdesk.sla.actions import sweep
from premierdesk.sla.clocks import derive_clocks
from premierdesk.sla.models import TicketClock
from premierdesk.sla.recalc import recompute_open_clocks
from premierdesk.testing.fixtures import staff
from premierdesk.tickets import actions
from premierdesk.tickets.models import EventKind, Ticket, TimelineEvent
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = [
    pytest.mark.postgresql,  # SQLite's in-memory test database cannot be shared by threads
    pytest.mark.django_db(transaction=True),
]
M = timedelta(minutes=1)
support_manager = staff("Sam Support", "support@premier.example", Role.SUPPORT_MANAGER)


def warned() -> list[int]:
    """The tickets warned so far, once per warning."""
    events = TimelineEvent.objects.filter(kind=EventKind.SLA_WARNING).order_by("id")
    return list(events.values_list("ticket_id", flat=True))


def test_a_ticket_answered_while_its_batch_is_recomputed_keeps_the_answer(
    ticket, engineer, monkeypatch
):
    read, answered = threading.Event(), threading.Event()

    def slow_derive(*args, **kwargs):
        if not read.is_set():  # the batch has read the timeline: give the answer time to land
            read.set()
            answered.wait(timeout=1)
        return derive_clocks(*args, **kwargs)

    def answer() -> None:
        read.wait(timeout=10)
        actions.add_comment(engineer, ticket.key, body="Looking at it now.")
        answered.set()

    monkeypatch.setattr("premierdesk.sla.recalc.derive_clocks", slow_derive)
    assert run_at_once(lambda: recompute_open_clocks(NOW), answer) == ["done", "done"]
    first = TicketClock.objects.get(ticket=ticket, kind="first_response")
    assert first.stopped_at == NOW  # re-derived after the batch; not the batch's running clock


@pytest.mark.usefixtures("support_manager")
def test_two_sweeps_at_once_say_each_alert_once(contact):
    tickets = [open_ticket(contact, SEN, level="L1").pk for _ in range(6)]
    made: list[int] = []
    outcomes = run_at_once(*(lambda: made.append(sweep(NOW + 15 * M, batch=2)) for _ in range(2)))
    assert outcomes == ["done", "done"]
    assert sum(made) == 6
    assert sorted(warned()) == tickets
    keys = list(
        OutboxMessage.objects.filter(event_key__startswith="sla.alert:").values_list(
            "event_key", flat=True
        )
    )
    assert len(keys) == len(set(keys)) == 6


@pytest.mark.usefixtures("support_manager")
def test_a_sweep_passes_over_a_ticket_being_changed_and_says_it_next_time(contact):
    busy, other = (open_ticket(contact, SEN, level="L1") for _ in range(2))
    locked, release = threading.Event(), threading.Event()

    def change() -> None:
        try:
            with transaction.atomic():
                Ticket.objects.select_for_update().get(pk=busy.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    changing = threading.Thread(target=change)
    changing.start()
    try:
        assert locked.wait(timeout=10)
        assert sweep(NOW + 15 * M) == 1
        assert warned() == [other.pk]
    finally:
        release.set()
        changing.join(timeout=10)
    assert sweep(NOW + 15 * M) == 1
    assert warned() == [other.pk, busy.pk]
