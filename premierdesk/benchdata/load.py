"""Building the benchmark dataset in numbered batches, each one transaction that also records
it as done, so an interrupted build continues where it stopped and never adds a batch twice."""

from __future__ import annotations

import multiprocessing
import queue
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from premierdesk.benchdata import tables, world
from premierdesk.benchdata.history import History
from premierdesk.benchdata.models import BenchLoad
from premierdesk.benchdata.tables import Row
from premierdesk.sla.models import SlaPolicy, TicketClock
from premierdesk.tickets.models import Comment, Participant, Ticket, TicketPolicy, TimelineEvent

SEED = 20261127
BATCH_SIZE = 10_000
HELPER_PATIENCE = 120.0  # seconds without a batch before this process makes them itself
COLUMNS = {
    "tickets": (
        Ticket,
        [
            "id",
            "license_id",
            "organization_id",
            "product_id",
            "product_version",
            "environment",
            "level",
            "summary",
            "description",
            "opened_by_id",
            "opened_at",
            "status",
            "status_changed_at",
            "owner_id",
            "office_id",
            "idle_transition_at",
            "resolved_at",
            "closed_at",
            "updated_at",
            "follow_the_sun",
            "sla_due_at",
        ],
    ),
    "comments": (
        Comment,
        ["id", "ticket_id", "author_id", "visibility", "body", "created_at"],
    ),
    "events": (
        TimelineEvent,
        ["ticket_id", "at", "actor_id", "actor_label", "kind", "visibility", "data"],
    ),
    "clocks": (
        TicketClock,
        [
            "ticket_id",
            "kind",
            "cycle",
            "level",
            "started_at",
            "stopped_at",
            "target_minutes",
            "counted_seconds",
            "due_at",
            "breached_at",
            "paused_by",
            "thresholds",
            "alerts_sent",
            "next_alert_at",
            "computed_at",
        ],
    ),
    "participants": (Participant, ["ticket_id", "person_id", "added_by_id", "added_at"]),
}


class BatchSizeChanged(ValueError):
    pass


@dataclass(frozen=True)
class Progress:
    tickets: int  # committed so far
    batches: int


def start(seed: int, batch_size: int, anchor: datetime | None = None) -> BenchLoad:
    """The progress row, building the world first if this is the first run (one
    transaction: the world is there exactly when the row is)."""
    existing = BenchLoad.objects.first()
    if existing is not None:
        if existing.batch_size != batch_size:
            raise BatchSizeChanged(
                f"The dataset was started with batches of {existing.batch_size}; continue "
                f"with --batch-size {existing.batch_size}."
            )
        return existing
    at = (anchor or timezone.now()).replace(second=0, microsecond=0)
    with transaction.atomic():
        world.build(seed, at)
        return BenchLoad.objects.create(
            seed=seed, anchor=at, batch_size=batch_size, updated_at=timezone.now()
        )


@dataclass(frozen=True)
class Batch:
    """One batch's rows, prepared for the database, and the ids they were made with."""

    number: int
    first_ticket: int
    first_comment: int
    tickets: int
    comments: int
    rows: dict[str, Sequence[Row]]


def build(
    tickets: int,
    *,
    seed: int = SEED,
    batch_size: int = BATCH_SIZE,
    most_batches: int | None = None,
    anchor: datetime | None = None,
    ahead: bool = True,
    progress: Callable[[int], None] = lambda done: None,
) -> Progress:
    """Add batches until ``tickets`` tickets are in the dataset (or ``most_batches`` were added
    in this call); ``progress`` hears the number of tickets after each batch. With ``ahead``,
    a second process makes the next batch's rows while this one writes the last."""
    load = start(seed, batch_size, anchor)
    plan: list[int] = []  # tickets in each batch to add
    done = load.tickets_done
    while done < tickets and (most_batches is None or len(plan) < most_batches):
        plan.append(min(load.batch_size, tickets - done))
        done += plan[-1]
    if plan:
        history = _history(load)
        first = (tables.next_id(Ticket), tables.next_id(Comment))
        with tables.loading(), _made(history, load.batches_done, plan, first, ahead) as batches:
            for batch in batches:
                _commit(load, history, batch)
                progress(load.tickets_done)
    world.write_manifest(load.tickets_done)
    return Progress(load.tickets_done, load.batches_done)


def _history(load: BenchLoad) -> History:
    policy = SlaPolicy.objects.get(pk=1)
    idle_days = TicketPolicy.current().inactive_after_days
    return History(
        world.load(), load.anchor, load.seed, policy.warning_percents, idle_days, load.batch_size
    )


def make(history: History, number: int, count: int, first_ticket: int, first_comment: int) -> Batch:
    rows = history.batch(number, count, first_ticket, first_comment)
    prepared = {
        name: tables.prepare(model, columns, getattr(rows, name))
        for name, (model, columns) in COLUMNS.items()
    }
    return Batch(number, first_ticket, first_comment, count, len(rows.comments), prepared)


def _in_order(
    history: History, number: int, plan: list[int], first: tuple[int, int]
) -> Iterator[Batch]:
    first_ticket, first_comment = first
    for offset, count in enumerate(plan):
        batch = make(history, number + offset, count, first_ticket, first_comment)
        first_ticket, first_comment = first_ticket + count, first_comment + batch.comments
        yield batch


def _ahead(
    history: History, number: int, plan: list[int], first: tuple[int, int], out: Any
) -> None:
    for batch in _in_order(history, number, plan, first):
        out.put(batch)


@contextmanager
def _made(
    history: History, number: int, plan: list[int], first: tuple[int, int], ahead: bool
) -> Iterator[Iterator[Batch]]:
    """The planned batches, one after the other: made here, or by a forked helper process
    (it needs no database: the world and the policy are read before it starts)."""
    if not ahead or len(plan) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield _in_order(history, number, plan, first)
        return
    context = multiprocessing.get_context("fork")
    out = context.Queue(maxsize=2)
    helper = context.Process(target=_ahead, args=(history, number, plan, first, out))
    helper.daemon = True
    helper.start()
    try:
        yield _received(out, helper, history, number, plan, first)
    finally:
        # SIGKILL, not SIGTERM: a fork keeps the parent's signal handlers, and one that only
        # sets a flag (the scheduler's, say) would leave the helper blocked on a full queue.
        helper.kill()
        helper.join()
        out.close()


def _received(
    out: Any,
    helper: Any,
    history: History,
    number: int,
    plan: list[int],
    first: tuple[int, int],
) -> Iterator[Batch]:
    """The helper's batches as they arrive; should it stop before the last (killed, out of
    memory, stuck after the fork), the rest are made here instead of waited for forever."""
    first_ticket, first_comment = first
    for offset in range(len(plan)):
        batch = _next_from(out, helper)
        if batch is None:
            rest = plan[offset:]
            yield from _in_order(history, number + offset, rest, (first_ticket, first_comment))
            return
        first_ticket, first_comment = first_ticket + batch.tickets, first_comment + batch.comments
        yield batch


def _next_from(out: Any, helper: Any) -> Batch | None:
    """The helper's next batch, or None once it has stopped or gone ``HELPER_PATIENCE``
    seconds without a batch (a batch of 10,000 tickets takes it about two)."""
    waited = 0.0
    while waited < HELPER_PATIENCE:
        try:
            return cast(Batch, out.get(timeout=0.5))
        except queue.Empty:
            waited += 0.5
            if not helper.is_alive():
                try:
                    return cast(Batch, out.get_nowait())  # put just before it ended
                except queue.Empty:
                    return None
    return None


def _commit(load: BenchLoad, history: History, batch: Batch) -> None:
    with transaction.atomic():
        ids = (tables.next_id(Ticket), tables.next_id(Comment))
        if ids != (batch.first_ticket, batch.first_comment):
            # Someone else added tickets or comments meanwhile: make the batch again after them.
            batch = make(history, batch.number, batch.tickets, *ids)
        for name, (model, columns) in COLUMNS.items():
            tables.write(model, columns, batch.rows[name])
        for model in (Ticket, Comment):
            tables.catch_up_sequence(model)
        load.tickets_done += batch.tickets
        load.batches_done += 1
        load.updated_at = timezone.now()
        load.save(update_fields=["tickets_done", "batches_done", "updated_at"])
