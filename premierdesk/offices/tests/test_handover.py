"""Handover at the end of an office's day (docs/product/follow-the-sun.md#handover), with frozen
time: with and without a note, once however often (or concurrently) the job runs, and the
acknowledgement timeout."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.notifications.models import OutboxMessage
from premierdesk.offices import actions
from premierdesk.offices.models import Handover
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.offices.tests.test_routing import office_with_hours
from premierdesk.sla.models import TicketClock
from premierdesk.tickets.models import EventKind, Ticket
from premierdesk.tickets.tests.conftest import SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
AMSTERDAM_CLOSES = datetime(2026, 5, 4, 16, 0, tzinfo=UTC)  # 18:00 CEST; Sydney opens 22:00 UTC


@pytest.fixture
def rota(products):
    amsterdam = office_with_hours("Amsterdam", "Europe/Amsterdam", time(8), time(18))
    sydney = office_with_hours("Sydney", "Australia/Sydney", time(8), time(18))
    people = {}
    for office, name in ((amsterdam, "sanne"), (sydney, "olivia")):
        engineer = EngineerFactory.create(office=office, user__email=f"{name}@premier.example")
        engineer.skills.set([products["jira-software"]])
        people[name] = engineer.user
    sydney.lead = UserFactory.create(
        role=Role.SUPPORT_ENGINEER, email="lead.sydney@premier.example"
    )
    sydney.save()
    return people


@pytest.fixture
def critical(contact, rota):
    ticket = open_ticket(contact, SEN, level="L1")
    assert ticket.owner == rota["sanne"]  # Amsterdam is on duty at 09:00 UTC
    return ticket


def test_handover_with_a_note(critical, rota, frozen, contact, as_user):
    frozen.move_to(AMSTERDAM_CLOSES - timedelta(minutes=30))
    actions.write_handover_note(
        rota["sanne"],
        critical.key,
        status="Heap dump analysed",
        next_steps="Apply the patch",
        customer_availability="Grace until 20:00 EDT",
    )
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    assert actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1)) == 1
    assert actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=2)) == 0  # once only
    critical.refresh_from_db()
    assert critical.owner == rota["olivia"]
    handover = Handover.objects.get()
    assert (handover.flagged, handover.from_owner, handover.to_owner) == (
        False,
        rota["sanne"],
        rota["olivia"],
    )
    assert "Next steps: Apply the patch" in handover.summary
    customer_view = as_user(contact).get(f"/api/v1/tickets/{critical.key}/timeline").json()
    assert [e["kind"] for e in customer_view if e["kind"].startswith("hand")] == ["handed_over"]
    assert "Heap dump" not in str(customer_view)


def test_handover_without_a_note_is_flagged_with_a_summary(critical, rota, frozen):
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1))
    handover = Handover.objects.get()
    assert handover.flagged
    assert handover.summary.startswith("No handover note was written.")
    note_event = critical.events.get(kind=EventKind.HANDOVER_NOTE)
    assert note_event.visibility == "internal"


def test_only_l1_and_follow_the_sun_l2_are_handed_over(contact, rota, frozen):
    l3 = open_ticket(contact, SEN, level="L3")
    l2 = open_ticket(contact, SEN, level="L2")
    marked = open_ticket(contact, SEN, level="L2")
    Ticket.objects.filter(pk=marked.pk).update(follow_the_sun=True)
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    assert actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1)) == 1
    owners = dict(Ticket.objects.values_list("pk", "owner__email"))
    assert owners[l3.pk] == owners[l2.pk] == "sanne@premier.example"
    assert owners[marked.pk] == "olivia@premier.example"


def test_an_unacknowledged_handover_alerts_the_receiving_lead_once(
    critical, rota, frozen, deliver_mail
):
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1))
    deliver_mail()
    mail.outbox.clear()
    assert actions.alert_unacknowledged(AMSTERDAM_CLOSES + timedelta(minutes=30)) == 0
    assert actions.alert_unacknowledged(AMSTERDAM_CLOSES + timedelta(minutes=31)) == 1
    assert actions.alert_unacknowledged(AMSTERDAM_CLOSES + timedelta(minutes=40)) == 0
    deliver_mail()
    assert [m.to for m in mail.outbox] == [["lead.sydney@premier.example"]]


def test_an_acknowledged_handover_raises_no_alert(critical, rota, frozen):
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1))
    handover = Handover.objects.get()
    with pytest.raises(Exception, match="no handover"):
        actions.acknowledge(rota["sanne"], handover.pk)
    actions.acknowledge(rota["olivia"], handover.pk)
    assert actions.alert_unacknowledged(AMSTERDAM_CLOSES + timedelta(hours=2)) == 0


def test_only_the_owner_writes_the_note(critical, rota):
    with pytest.raises(Exception, match="Only PS-"):
        actions.write_handover_note(rota["olivia"], critical.key, status="x", next_steps="y")


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_hand_each_ticket_over_once(critical, rota, frozen):
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    barrier, moved = threading.Barrier(2), []

    def run() -> None:
        try:
            barrier.wait()
            moved.append(actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(moved) == [0, 1]
    assert Handover.objects.count() == 1


def test_handovers_over_the_api(critical, rota, frozen, as_user):
    owner = as_user(rota["sanne"])
    note = {"status": "Patched one node", "next_steps": "Patch the other two"}
    assert (
        owner.post(
            f"/api/v1/tickets/{critical.key}/handover-note", note, content_type="application/json"
        ).status_code
        == 201
    )
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1))
    receiver = as_user(rota["olivia"])
    [listed] = receiver.get("/api/v1/handovers?mine=true&unacknowledged=true").json()["items"]
    assert (listed["ticket"], listed["flagged"], listed["to_owner"]) == (
        critical.key,
        False,
        "olivia@premier.example",
    )
    assert "Patch the other two" in listed["summary"]
    assert owner.post(f"/api/v1/handovers/{listed['id']}/acknowledge").status_code == 404
    done = receiver.post(f"/api/v1/handovers/{listed['id']}/acknowledge").json()
    assert done["acknowledged_at"] is not None
    assert receiver.get("/api/v1/handovers?mine=true&unacknowledged=true").json()["items"] == []


def test_customers_cannot_list_handovers(contact, as_user):
    assert as_user(contact).get("/api/v1/handovers").status_code == 403


@pytest.fixture
def three_critical(contact, rota):
    return [open_ticket(contact, SEN, level="L1") for _ in range(3)]


def test_a_crashed_run_is_finished_by_the_next_scheduler(three_critical, rota, frozen, monkeypatch):
    """A scheduler dying halfway loses no ticket and moves none twice: the run's lease lapses
    and the next scheduler hands over the rest."""
    after = AMSTERDAM_CLOSES + timedelta(minutes=1)
    frozen.move_to(after)
    monkeypatch.setattr(actions, "CHUNK", 1)
    real_chunk, calls = actions._hand_over_chunk, []

    def crash_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_chunk(*args, **kwargs)

    monkeypatch.setattr(actions, "_hand_over_chunk", crash_on_the_second)
    with pytest.raises(RuntimeError):
        actions.hand_over_due(after)
    assert Handover.objects.count() == 1
    assert actions.hand_over_due(after + timedelta(minutes=1)) == 0  # its lease still holds
    frozen.move_to(after + actions.LEASE + timedelta(minutes=1))
    assert actions.hand_over_due(after + actions.LEASE + timedelta(minutes=1)) == 2
    assert sorted(Handover.objects.values_list("ticket_id", flat=True)) == sorted(
        t.pk for t in three_critical
    )
    assert set(Ticket.objects.values_list("owner__email", flat=True)) == {"olivia@premier.example"}
    assert actions.hand_over_due(after + actions.LEASE + timedelta(minutes=2)) == 0


def test_each_receiver_hears_once_for_all_tickets_of_an_end_of_day(
    three_critical, rota, frozen, deliver_mail
):
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1))
    deliver_mail()
    [message] = [m for m in mail.outbox if m.to == ["olivia@premier.example"]]
    assert message.subject == "3 tickets handed over to you from Amsterdam"
    for ticket in three_critical:
        assert f"--- {ticket.key} (" in message.body
    assert message.body.count("No handover note was written") == 3


def test_unacknowledged_handovers_reach_the_lead_in_one_message(
    three_critical, rota, frozen, deliver_mail
):
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.acknowledge(rota["olivia"], Handover.objects.get(ticket=three_critical[0]).pk)
    deliver_mail()
    mail.outbox.clear()
    assert actions.alert_unacknowledged(AMSTERDAM_CLOSES + timedelta(minutes=31)) == 2
    assert actions.alert_unacknowledged(AMSTERDAM_CLOSES + timedelta(minutes=32)) == 0
    deliver_mail()
    [message] = mail.outbox
    assert message.subject == "2 handovers to Sydney not acknowledged"
    assert three_critical[0].key not in message.body
    assert all(t.key in message.body for t in three_critical[1:])
    alerted = AuditEntry.objects.filter(action="offices.handover_unacknowledged")
    assert alerted.count() == 2


def test_a_handover_is_audited_per_ticket_and_leaves_the_clocks_as_they_were(
    three_critical, rota, frozen
):
    clocks = list(TicketClock.objects.order_by("pk").values("pk", "due_at", "next_alert_at"))
    frozen.move_to(AMSTERDAM_CLOSES + timedelta(minutes=1))
    actions.hand_over_due(AMSTERDAM_CLOSES + timedelta(minutes=1))
    entries = AuditEntry.objects.filter(action="tickets.handed_over").order_by("object_id")
    assert [(e.object_id, e.actor_label, e.changes["owner"]) for e in entries] == [
        (str(t.pk), "follow the sun", ["sanne@premier.example", "olivia@premier.example"])
        for t in sorted(three_critical, key=lambda t: str(t.pk))
    ]
    assert entries[0].changes["office"][1] == "Sydney"
    assert clocks
    assert clocks == list(
        TicketClock.objects.order_by("pk").values("pk", "due_at", "next_alert_at")
    )


def test_an_office_closing_early_hands_over_now_and_routing_passes_it_by(
    critical, rota, frozen, as_user, contact
):
    noon = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)  # 14:00 in Amsterdam, on duty until 18:00
    frozen.move_to(noon)
    manager = UserFactory.create(role=Role.SUPPORT_MANAGER)
    answer = as_user(manager).post(
        "/api/v1/offices/amsterdam/close-early",
        {"reason": "Power cut in the building"},
        content_type="application/json",
    )
    assert (answer.status_code, answer.json()) == (200, {"handed_over": 1})
    critical.refresh_from_db()
    assert critical.owner == rota["olivia"]  # Sydney comes on duty first (22:00 UTC)
    closed = AuditEntry.objects.get(action="offices.closed_early")
    assert (closed.actor_label, closed.reason) == (manager.email, "Power cut in the building")
    later = open_ticket(contact, SEN, level="L2")
    assert later.owner == rota["olivia"]  # Amsterdam's calendar is closed until 18:00
    again = as_user(manager).post(
        "/api/v1/offices/amsterdam/close-early", {"reason": "x"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert "not on duty" in again.json()["detail"]


def test_only_a_manager_or_the_lead_closes_an_office_early(rota, frozen, as_user):
    frozen.move_to(datetime(2026, 5, 4, 12, 0, tzinfo=UTC))
    url = "/api/v1/offices/amsterdam/close-early"
    body = {"reason": "Fire drill"}
    engineer = as_user(rota["sanne"])
    refused = engineer.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert "Only a support manager or Amsterdam's lead" in refused.json()["detail"]
    lead = rota["sanne"]
    amsterdam = lead.engineer.office
    amsterdam.lead = lead
    amsterdam.save()
    blank = engineer.post(url, {"reason": " "}, content_type="application/json")
    assert blank.status_code == 422
    unknown = engineer.post(
        "/api/v1/offices/atlantis/close-early", body, content_type="application/json"
    )
    assert unknown.status_code == 404
    assert "amsterdam, sydney" in unknown.json()["detail"]
    assert engineer.post(url, body, content_type="application/json").status_code == 200


def test_the_queries_of_an_end_of_day_do_not_grow_with_its_tickets(contact, rota, products, frozen):
    """Tickets, owners, notes and summaries are read in bulk, and the owners, events, audit
    entries, handovers and e-mails written in bulk: three tickets (to three receivers) or
    thirty (to four) ask the database the same number of times."""
    sydney = rota["olivia"].engineer.office
    for n in range(3):
        engineer = EngineerFactory.create(office=sydney, user__email=f"sydney{n}@premier.example")
        engineer.skills.set([products["jira-software"]])
    end_of_day = AMSTERDAM_CLOSES + timedelta(minutes=1)
    counts = {}
    for size in (3, 30):
        before = transaction.savepoint()
        frozen.move_to(AMSTERDAM_CLOSES - timedelta(hours=2))
        tickets = [open_ticket(contact, SEN, level="L1") for _ in range(size)]
        actions.write_handover_note(
            rota["sanne"], tickets[0].key, status="Reproduced", next_steps="Patch it"
        )
        frozen.move_to(end_of_day)
        with CaptureQueriesContext(connection) as queries:
            assert actions.hand_over_due(end_of_day) == size
        counts[size] = len(queries)
        receivers = Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values("owner")
        assert receivers.distinct().count() == min(size, 4)
        told = OutboxMessage.objects.filter(event_key__startswith="offices.handover:")
        assert told.count() == min(size, 4)
        transaction.savepoint_rollback(before)
    # Two ends of day are due (Sydney's, with nothing to hand over, then Amsterdam's).
    assert counts[3] == counts[30] <= 60
