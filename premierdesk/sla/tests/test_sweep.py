"""The sweep in bulk: a fixed number of queries whatever the number of alerts, each alert
written as it was one by one (timeline event, audit entry, e-mails, in due order), and every
alert said exactly once through a failure in the middle of a sweep."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.audit.models import AuditEntry
from premierdesk.notifications.actions import notify_all
from premierdesk.notifications.models import OutboxMessage
from premierdesk.sla.actions import ClaimLost, sweep
from premierdesk.sla.models import TicketClock
from premierdesk.testing.fixtures import staff
from premierdesk.tickets.models import EventKind, TimelineEvent
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("support_manager")]
M = timedelta(minutes=1)
ALERTS = [EventKind.SLA_WARNING, EventKind.SLA_BREACHED]
# Told of the warnings while nobody owns the tickets.
support_manager = staff("Sam Support", "support@premier.example", Role.SUPPORT_MANAGER)


def critical(contact, count: int) -> list[int]:
    """``count`` L1 tickets opened now: 30 minutes to a first response, warned at 15."""
    return [open_ticket(contact, SEN, level="L1").pk for _ in range(count)]


def said() -> list[tuple[int, str, str]]:
    """Every alert said so far, once per timeline event: (ticket, kind, clock)."""
    events = TimelineEvent.objects.filter(kind__in=ALERTS).order_by("id")
    return [(e.ticket_id, e.kind, e.data["clock"]) for e in events]


def audited() -> list[tuple[str, str]]:
    entries = AuditEntry.objects.filter(action__startswith="sla.sla_").order_by("id")
    return [(e.action, e.object_id) for e in entries]


def mailed() -> list[str]:
    """The alerts' e-mails queued, oldest first, by event key."""
    messages = OutboxMessage.objects.filter(event_key__startswith="sla.alert:").order_by("id")
    return list(messages.values_list("event_key", flat=True))


def test_nothing_due_is_one_query(ticket, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert sweep(NOW + 14 * M) == 0


# A sweep's queries (a transaction is two in a test, its savepoint and release): once, whether
# anything is due, the SLA policy's warnings and the support managers; per batch, the
# transaction, locking the tickets, their due clocks, the claim, the timeline events, the audit
# entries, the e-mails already queued and the new ones; and a last transaction finding nothing.
ONCE, PER_BATCH = 3 + 3, 9


@pytest.mark.parametrize("count", [2, 8])
def test_the_queries_do_not_grow_with_the_alerts(contact, count):
    critical(contact, count)
    with CaptureQueriesContext(connection) as captured:
        assert sweep(NOW + 15 * M) == count
    assert len(captured) == ONCE + PER_BATCH


@pytest.mark.parametrize("count", [3, 7])
def test_more_alerts_than_a_batch_cost_a_fixed_number_of_queries_per_batch(contact, count):
    tickets = critical(contact, count)
    with CaptureQueriesContext(connection) as captured:
        assert sweep(NOW + 23 * M, batch=2) == count  # 75 % each, the 50 % passed over
    assert len(captured) == ONCE + PER_BATCH * ((count + 1) // 2)
    assert said() == [(pk, "sla_warning", "first_response") for pk in tickets]


def test_warnings_and_breaches_of_one_sweep_are_written_in_due_order(contact, frozen):
    late = open_ticket(contact, SEN, level="L1")  # warned at 15 min, breached at 30
    frozen.shift(10 * M)
    early = open_ticket(contact, SEN, level="L1")  # warned at 25 min
    assert sweep(NOW + 31 * M) == 2  # the late one says "breached" once, not three times

    assert audited() == [("sla.sla_breached", str(late.pk)), ("sla.sla_warning", str(early.pk))]
    entry = AuditEntry.objects.filter(action="sla.sla_breached").get()
    assert (entry.actor, entry.actor_label, entry.changes, entry.object_repr) == (
        None,
        "sla sweep",
        {"clock": [None, "first_response"]},
        str(late),
    )
    events = TimelineEvent.objects.filter(kind__in=ALERTS).order_by("id")
    assert [(e.ticket_id, e.kind, e.at, e.visibility, e.actor_label, e.data) for e in events] == [
        (
            late.pk,
            "sla_breached",
            NOW + 30 * M,
            "internal",
            "Premier Desk",
            {"clock": "first_response", "cycle": 1, "due_at": (NOW + 30 * M).isoformat()},
        ),
        (
            early.pk,
            "sla_warning",
            NOW + 25 * M,
            "internal",
            "Premier Desk",
            {
                "clock": "first_response",
                "cycle": 1,
                "due_at": (NOW + 40 * M).isoformat(),
                "share": 50,
            },
        ),
    ]
    late_clock = TicketClock.objects.get(ticket=late, kind="first_response")
    early_clock = TicketClock.objects.get(ticket=early, kind="first_response")
    in_order = [f"sla.alert:{late_clock.pk}:2", f"sla.alert:{early_clock.pk}:0"]
    keys = mailed()
    assert list(dict.fromkeys(keys)) == in_order
    assert keys == sorted(keys, key=in_order.index)  # each alert's e-mails together
    assert (late_clock.alerts_sent, late_clock.breached_at, late_clock.next_alert_at) == (
        3,
        NOW + 30 * M,
        None,
    )
    assert (early_clock.alerts_sent, early_clock.next_alert_at) == (1, NOW + 32.5 * M)


def test_a_failure_while_alerting_keeps_nothing_and_the_next_sweep_says_it_once(
    contact, monkeypatch
):
    tickets = critical(contact, 3)

    def fail(notices):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("premierdesk.sla.actions.notify_all", fail)
    with pytest.raises(RuntimeError):
        sweep(NOW + 15 * M)
    assert (said(), audited(), mailed()) == ([], [], [])
    clocks = TicketClock.objects.filter(kind="first_response")
    assert list(clocks.values_list("alerts_sent", flat=True)) == [0] * 3

    monkeypatch.undo()
    assert sweep(NOW + 15 * M) == 3
    assert sweep(NOW + 15 * M) == 0
    assert said() == [(pk, "sla_warning", "first_response") for pk in tickets]
    assert audited() == [("sla.sla_warning", str(pk)) for pk in tickets]
    assert len(mailed()) == 3


def test_a_failure_in_a_later_batch_keeps_the_batches_before_it(contact, monkeypatch):
    tickets = critical(contact, 5)
    calls = []

    def fail_the_second_batch(notices):
        calls.append(len(notices))
        if len(calls) == 2:
            raise RuntimeError("the worker was stopped")
        return notify_all(notices)

    monkeypatch.setattr("premierdesk.sla.actions.notify_all", fail_the_second_batch)
    with pytest.raises(RuntimeError):
        sweep(NOW + 15 * M, batch=2)
    assert said() == [(pk, "sla_warning", "first_response") for pk in tickets[:2]]

    monkeypatch.undo()
    assert sweep(NOW + 15 * M, batch=2) == 3
    assert said() == [(pk, "sla_warning", "first_response") for pk in tickets]
    assert len(audited()) == 5
    assert len(set(mailed())) == len(mailed()) == 5


def test_clocks_that_moved_since_they_were_read_are_not_claimed_again(contact, monkeypatch):
    tickets = critical(contact, 2)
    as_read = list(TicketClock.objects.filter(kind="first_response"))  # 50 % due, none said
    assert sweep(NOW + 15 * M) == 2
    # A sweep holding what was read before that claim (as if no lock held): its claim's
    # condition fails, and it writes nothing.
    monkeypatch.setattr("premierdesk.sla.actions._lock_due", lambda now, size: as_read)
    with pytest.raises(ClaimLost):
        sweep(NOW + 23 * M)  # 75 % due now, but its clocks read at 0 alerts said
    assert said() == [(pk, "sla_warning", "first_response") for pk in tickets]
    assert len(mailed()) == 2
