"""The benchmark dataset, built small: what it holds, that every stored clock is what the app
derives, that the app works on it, and that an interrupted build continues without
duplicating anything."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client

from premierdesk.accounts.models import Role, User
from premierdesk.benchdata import load, tables, world
from premierdesk.benchdata.models import BenchLoad
from premierdesk.customers.models import ChangeStatus, License, NamedContact, Organization
from premierdesk.customers.rules import named_contact_licenses
from premierdesk.loadtest import scrape
from premierdesk.offices.actions import hand_over_due
from premierdesk.offices.models import Engineer
from premierdesk.sla.actions import QUEUE_CLOCKS, sweep
from premierdesk.sla.models import TicketClock
from premierdesk.sla.queries import derived_clocks
from premierdesk.tickets.actions import advance_idle_tickets
from premierdesk.tickets.models import OPEN_STATUSES, Comment, Participant, Ticket, TimelineEvent

pytestmark = pytest.mark.django_db
TICKETS = 2000
BATCH = 500
OPEN = [status.value for status in OPEN_STATUSES]


@pytest.fixture
def dataset() -> BenchLoad:
    call_command("bench-data", tickets=TICKETS, batch_size=BATCH, verbosity=0)
    return BenchLoad.objects.get()


def test_the_dataset_has_the_toolkits_shape(dataset):
    assert (dataset.tickets_done, dataset.batches_done) == (TICKETS, TICKETS // BATCH)
    assert Ticket.objects.count() == TICKETS
    assert 1.8 * TICKETS <= Comment.objects.count() <= 2.2 * TICKETS  # two a ticket
    assert User.objects.count() == world.PEOPLE
    assert Organization.objects.count() == world.ORGANIZATIONS
    statuses = Counter(Ticket.objects.values_list("status", flat=True))
    assert 0.02 * TICKETS <= sum(statuses[s] for s in OPEN) <= 0.05 * TICKETS
    assert statuses["closed"] > 0.8 * TICKETS
    assert set(Ticket.objects.values_list("level", flat=True)) == {"L1", "L2", "L3", "L4"}
    opened = Ticket.objects.order_by("opened_at").values_list("opened_at", flat=True)
    assert dataset.anchor - opened.first() > timedelta(days=2 * 365)  # three years of it
    assert not Ticket.objects.filter(opened_at__gt=dataset.anchor).exists()
    assert not TimelineEvent.objects.filter(at__gt=dataset.anchor).exists()
    # Every license has its three active named contacts and former ones.
    active = NamedContact.objects.filter(status=ChangeStatus.APPROVED, ends_at=None)
    per_license = active.values("license").annotate(n=Count("id")).values_list("n", flat=True)
    assert set(per_license) == {world.SLOTS}
    assert NamedContact.objects.filter(ends_at__isnull=False).count() == 2 * License.objects.count()
    assert Participant.objects.exists()
    # Open tickets only are on the queue's due order; the sweep's clocks are theirs.
    assert not Ticket.objects.exclude(status__in=OPEN).filter(sla_due_at__isnull=False).exists()
    assert Ticket.objects.filter(status__in=OPEN, sla_due_at__isnull=False).exists()
    alerting = TicketClock.objects.filter(next_alert_at__isnull=False)
    assert alerting.exists()
    assert not alerting.exclude(ticket__status__in=OPEN).exists()


def test_every_stored_clock_is_what_the_app_derives_from_the_timeline(dataset):
    stored: dict[int, dict[tuple[str, int], TicketClock]] = {}
    for row in TicketClock.objects.all():
        stored.setdefault(row.ticket_id, {})[(row.kind, row.cycle)] = row
    # Every open ticket, and finished ones of every level (deriving a ticket closed years ago
    # replays its whole calendar since: a few milliseconds each).
    finished = Ticket.objects.exclude(status__in=OPEN).order_by("level", "id")
    sample = [*Ticket.objects.filter(status__in=OPEN), *list(finished)[::10]]
    assert len({t.level for t in sample}) == 4
    for ticket in sample:
        clocks = derived_clocks(ticket, dataset.anchor)
        rows = stored[ticket.pk]
        assert set(rows) == {(c.kind.value, c.cycle) for c in clocks}, ticket.pk
        for clock in clocks:
            row = rows[(clock.kind.value, clock.cycle)]
            target = int(clock.target.total_seconds() // 60) if clock.target else None
            assert (
                row.level,
                row.started_at,
                row.stopped_at,
                row.target_minutes,
                row.counted_seconds,
                row.due_at,
                row.breached_at,
                row.paused_by,
            ) == (
                clock.level,
                clock.started_at,
                clock.stopped_at,
                target,
                int(clock.counted.total_seconds()),
                clock.due_at,
                clock.breached_at,
                clock.paused_by,
            ), (ticket.pk, clock.kind)
        running = [c.due_at for c in clocks if c.kind in QUEUE_CLOCKS and c.running and c.due_at]
        assert ticket.sla_due_at == min(running, default=None), ticket.pk


def test_the_load_tests_people_sign_in_as_the_manifest_says(dataset):
    manifest = json.loads((Path(settings.VAR_DIR) / world.MANIFEST).read_text())
    assert manifest["password"] == world.PASSWORD
    assert manifest["tickets"] == TICKETS
    assert manifest["agents"] == [f"agent{n}@bench.premierdesk.test" for n in range(1, 51)]
    customers = manifest["customers"]
    assert [c["email"] for c in customers] == [
        f"customer{n}@bench.premierdesk.test" for n in range(1, 151)
    ]
    # Three to an organization: its first license's named contacts, colleagues of each other.
    per_organization = Counter(c["organization"] for c in customers)
    assert set(per_organization.values()) == {world.SLOTS}
    assert len({c["sen"] for c in customers}) == len(per_organization) == 50
    for entry in customers:
        person = User.objects.get(email=entry["email"])
        license = License.objects.get(sen=entry["sen"])
        assert person.organization is not None
        assert license.organization.slug == entry["organization"] == person.organization.slug
        assert license.pk in named_contact_licenses(person, dataset.anchor)
        # Further people of the organization to add to tickets, none of them the load test's.
        colleagues = User.objects.filter(email__in=entry["colleagues"])
        assert colleagues.count() == len(entry["colleagues"]) == world.COLLEAGUES
        assert set(colleagues.values_list("organization", flat=True)) == {person.organization_id}
        assert not colleagues.filter(email__startswith="customer").exists()
    agents = Engineer.objects.filter(user__email__in=manifest["agents"])
    assert agents.count() == 50
    assert all(e.user.role == Role.SUPPORT_ENGINEER and e.skills.exists() for e in agents)
    assert len({e.office_id for e in agents}) == len(world.OFFICES)
    for email in (manifest["agents"][0], customers[-1]["email"]):
        client = Client()
        answer = client.post(
            "/accounts/sign-in/", {"email": email, "password": manifest["password"]}
        )
        assert answer.status_code == 302, email
        assert client.get("/api/v1/auth/me").json()["email"] == email


def test_every_load_test_customer_has_open_tickets_and_colleagues_to_add(dataset):
    """What the load test's customers do from the start: view and comment on an open ticket
    of theirs, and add a colleague not yet on it."""
    manifest = json.loads((Path(settings.VAR_DIR) / world.MANIFEST).read_text())
    for entry in manifest["customers"]:
        customer = Client()
        customer.force_login(User.objects.get(email=entry["email"]))
        listed = customer.get("/portal/tickets/?status=open").content.decode()
        keys = scrape.ticket_keys(listed)
        assert keys, entry["email"]
        page = customer.get(f"/tickets/{keys[0]}/").content.decode()
        assert scrape.form_posting_to(page, f"/tickets/{keys[0]}/comments/") is not None
        on_it = scrape.shown_addresses(page)
        free = [email for email in entry["colleagues"] if email not in on_it]
        assert free, entry["email"]
        added = customer.post(f"/tickets/{keys[0]}/participants/", {"email": free[0]})
        assert added.status_code == 302, entry["email"]
        ticket = Ticket.objects.get(pk=int(keys[0].removeprefix("PS-")))
        assert ticket.participants.filter(person__email=free[0]).exists()
    # The open tickets are on the load test's licenses, a share of the dataset as before.
    sens = {entry["sen"] for entry in manifest["customers"]}
    assert not Ticket.objects.filter(status__in=OPEN).exclude(license__sen__in=sens).exists()


def test_the_app_works_on_the_dataset(dataset):
    agent = Client()
    agent.force_login(User.objects.get(email=world.agent_email(1)))
    queue = agent.get("/api/v1/tickets?" + "&".join(f"status={s}" for s in OPEN))
    assert queue.status_code == 200
    page = queue.json()
    assert page["count"] == Ticket.objects.filter(status__in=OPEN).count()
    dues = [t["key"] for t in page["items"]]
    due = F("sla_due_at").asc(nulls_last=True)
    soonest = Ticket.objects.filter(status__in=OPEN).order_by(due, "opened_at", "id")
    first = soonest.first()
    assert first is not None
    assert dues[0] == first.key
    assert agent.get("/console/tickets/").status_code == 200
    for ticket in (Ticket.objects.filter(status="closed")[0], first):
        assert agent.get(f"/tickets/{ticket.key}/").status_code == 200
    customer = Client()
    person = User.objects.get(email=world.customer_email(1))
    customer.force_login(person)
    mine = customer.get("/api/v1/tickets")
    assert mine.status_code == 200
    assert mine.json()["count"] == Ticket.objects.filter(organization=person.organization).count()
    assert customer.get("/portal/tickets/").status_code == 200
    theirs = Ticket.objects.filter(organization=person.organization)[0]
    assert customer.get(f"/tickets/{theirs.key}/").status_code == 200
    # The background work: the sweep alerts what comes due, handovers and idle tickets run.
    assert sweep(dataset.anchor + timedelta(hours=2)) > 0
    hand_over_due(dataset.anchor)
    advance_idle_tickets(dataset.anchor + timedelta(days=8))


def test_an_interrupted_build_continues_where_it_stopped_and_adds_nothing_twice(monkeypatch):
    batches = TICKETS // BATCH
    anchor = load.start(load.SEED, BATCH).anchor
    written = Counter[str]()
    write = tables.write

    def crashing(model, columns, rows):
        written[model.__name__] += 1
        if model is TimelineEvent and written["TimelineEvent"] == 3:
            raise KeyboardInterrupt  # mid-batch: its tickets and comments are written already
        write(model, columns, rows)

    monkeypatch.setattr(tables, "write", crashing)
    with pytest.raises(KeyboardInterrupt):
        load.build(TICKETS, batch_size=BATCH)
    assert BenchLoad.objects.get().batches_done == 2
    assert Ticket.objects.count() == 2 * BATCH  # the third batch is not there at all
    monkeypatch.setattr(tables, "write", write)
    done = load.build(TICKETS, batch_size=BATCH)
    assert (done.tickets, done.batches) == (TICKETS, batches)
    assert Ticket.objects.count() == TICKETS
    assert load.build(TICKETS, batch_size=BATCH) == done  # once complete, nothing more
    assert Ticket.objects.count() == TICKETS
    # Exactly the batches of one uninterrupted build, made again here without the database.
    history = load._history(BenchLoad.objects.get())
    assert history.anchor == anchor
    first = (Ticket.objects.order_by("id")[0].pk, Comment.objects.order_by("id")[0].pk)
    made = list(load._in_order(history, 0, [BATCH] * batches, first))
    tickets = [row[:1] + row[7:8] + row[11:12] for batch in made for row in batch.rows["tickets"]]
    assert tickets == list(Ticket.objects.order_by("id").values_list("id", "summary", "status"))
    for name, model in (("comments", Comment), ("events", TimelineEvent), ("clocks", TicketClock)):
        assert sum(len(batch.rows[name]) for batch in made) == model.objects.count(), name


def test_a_continued_build_keeps_its_batch_size(dataset):
    with pytest.raises(load.BatchSizeChanged):
        load.build(TICKETS + 10, batch_size=BATCH * 2)


def _one_batch_then_exit(history, number, plan, first, out):
    """A helper that hands over its first batch and then dies, as if killed."""
    out.put(load.make(history, number, plan[0], *first))
    out.close()
    out.join_thread()  # the batch is in the pipe before the process goes
    os._exit(3)


def _stuck(history, number, plan, first, out):
    """A helper that never delivers, as one deadlocked right after the fork would."""
    time.sleep(3600)


@pytest.mark.parametrize("helper", [_one_batch_then_exit, _stuck])
def test_a_helper_that_stops_delivering_does_not_stop_the_build(monkeypatch, helper):
    monkeypatch.setattr(load, "_ahead", helper)
    monkeypatch.setattr(load, "HELPER_PATIENCE", 1.0)
    done = load.build(TICKETS, batch_size=BATCH)
    assert (done.tickets, done.batches) == (TICKETS, TICKETS // BATCH)
    assert Ticket.objects.count() == TICKETS
    assert Ticket.objects.order_by("-id")[0].pk == Ticket.objects.order_by("id")[0].pk + TICKETS - 1


def test_an_interrupted_build_ends_its_helper_whatever_signal_handler_it_inherited(monkeypatch):
    """A handler that only takes note of SIGTERM (as the scheduler's does) is inherited by the
    forked helper; the build must still end it when it stops early."""
    previous = signal.signal(signal.SIGTERM, lambda number, frame: None)
    write = tables.write

    def interrupted(model, columns, rows):
        raise KeyboardInterrupt  # the first write: the helper is filling its queue

    monkeypatch.setattr(tables, "write", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            load.build(TICKETS * 4, batch_size=BATCH)
    finally:
        signal.signal(signal.SIGTERM, previous)
    monkeypatch.setattr(tables, "write", write)
    assert not multiprocessing.active_children()
    assert Ticket.objects.count() == 0
