"""Three years of tickets, one batch at a time: each ticket's story (opening, routing, the
conversation, status changes) as the rows the app itself would have written, and its clocks.

Pure apart from its inputs: the same seed, batch number and starting ids give the same rows.
Finished tickets (most) are spread over the three years; open ones (about 3 %) are recent, so
their clocks (derived by ``sla.clocks.derive_clocks`` at the dataset's instant) are the work the
queue, the sweep and the handovers see. They belong to the load test's customers' licenses, in
turn, so each of those customers has open tickets to view and comment on from the start.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from premierdesk.benchdata.clocks import CoveredTime
from premierdesk.benchdata.tables import Row, encode
from premierdesk.benchdata.world import HISTORY, Agent, Seat, World
from premierdesk.catalog.models import Level
from premierdesk.lib.coverage import Calendar
from premierdesk.sla.clocks import Clock, ClockKind, Fact, FactKind, Policy, derive_clocks
from premierdesk.sla.policy import policy_for_values
from premierdesk.tickets.models import EventKind, Status, Visibility

SYSTEM = "Premier Desk"
ROUTED = "on duty, skilled in the product, least loaded"
ANSWERED = "The customer answered."
IDLE = "No answer from the customer for {days} days."
LEVELS = [Level.L1, Level.L2, Level.L3, Level.L4]
LEVEL_WEIGHTS = [5, 20, 45, 30]
ENVIRONMENTS = ["production", "staging", "qa", "other"]
# Finished, then the open states (3 % open, in every batch: a mature service).
STATES = ["closed", "resolved", "fresh", "working", "answered", "waiting", "inactive"]
STATE_WEIGHTS = [88.0, 9.0, 0.6, 1.35, 0.35, 0.45, 0.25]
FINISHED = STATES[:2]
OPEN_SHARE = sum(STATE_WEIGHTS[len(FINISHED) :]) / sum(STATE_WEIGHTS)
VERSIONS = ["9.4.17", "9.12.14", "10.3.2", "8.5.9", "7.19.25"]
SUMMARIES = [
    "Boards take 40 s to load after the upgrade",
    "Reindex never finishes on the second node",
    "Users are logged out every few minutes",
    "Mail handler stopped creating issues",
    "Out of memory on the nightly backup",
    "Search returns stale results",
    "Upgrade failed halfway: database locked",
    "SSO redirect loop for some users",
    "Cluster node drops out under load",
    "Attachments fail to upload above 10 MB",
    "Gadgets on the dashboard show errors",
    "Plugin update broke the REST API",
    "Slow queries on the audit log table",
    "Licence count wrong after directory sync",
    "Webhooks delivered twice",
    "Git push hangs on large repositories",
]
DESCRIPTION = (
    "Since {when} {what}. It affects about {share} % of our users. We attached the support "
    "zip and thread dumps taken while it happened. Our environment: a {nodes}-node cluster "
    "behind a load balancer, PostgreSQL 14, Java 17. Nothing else changed that week."
)
STAFF_REPLIES = [
    "Thanks for the support zip. The thread dumps show the indexer waiting on a lock; could "
    "you run the attached query and send us the result?",
    "I reproduced this on the same version. The workaround is to raise the pool size to 60 "
    "and restart the node; a fix is planned for the next bug-fix release.",
    "The logs show the node leaving the cluster after a long GC pause. Please add these JVM "
    "options and send us the GC log after a day.",
    "This is a known problem with that plugin version; updating it to the latest release "
    "resolves it. I have linked the public bug report.",
]
CUSTOMER_REPLIES = [
    "We applied the change last night; it looks better but one node still shows it.",
    "Here is the output you asked for, and a new support zip from this morning.",
    "Thanks, that worked. Could you confirm it is safe to keep the setting after upgrading?",
    "It happened again at 09:40 our time, during the import job.",
]
NOTES = [
    "Looks like the lock contention we saw at another customer last month; same plugin.",
    "Asked the product team whether the fix is backported to the LTS release.",
]


@dataclass
class Rows:
    """A batch's rows, by table, in each table's column order (see ``load.COLUMNS``)."""

    tickets: list[Row] = field(default_factory=list)
    comments: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    clocks: list[Row] = field(default_factory=list)
    participants: list[Row] = field(default_factory=list)


@dataclass
class Story:
    """One ticket being written: its events and comments in the order they happen."""

    ticket_id: int
    level: str
    opener: tuple[int, str]
    opened_at: datetime
    at: datetime
    rows: Rows
    next_comment: Callable[[], int]
    status: str = Status.WAITING_FOR_SUPPORT
    status_changed_at: datetime | None = None
    facts: list[Fact] = field(default_factory=list)
    clocks: list[Clock] = field(default_factory=list)  # open tickets': as derived

    def event(
        self,
        at: datetime,
        actor: tuple[int, str] | None,
        kind: str,
        data: str,
        visibility: str = Visibility.PUBLIC,
    ) -> None:
        """``data`` is the event's JSON, encoded (most are one of few, encoded once)."""
        actor_id, label = actor if actor is not None else (None, SYSTEM)
        self.rows.events.append((self.ticket_id, at, actor_id, label, kind, visibility, data))
        self.at = at

    def comment(
        self, at: datetime, author: tuple[int, str], body: str, *, staff: bool, internal: bool
    ) -> None:
        comment_id = self.next_comment()
        visibility = Visibility.INTERNAL if internal else Visibility.PUBLIC
        self.rows.comments.append((comment_id, self.ticket_id, author[0], visibility, body, at))
        self.event(at, author, EventKind.COMMENTED, f'{{"comment": {comment_id}}}', visibility)
        if not internal:
            kind = FactKind.STAFF_RESPONSE if staff else FactKind.CUSTOMER_COMMENT
            self.facts.append(Fact(at, kind))

    def move(self, at: datetime, actor: tuple[int, str] | None, to: str, reason: str = "") -> None:
        self.event(at, actor, EventKind.STATUS_CHANGED, _moved(self.status, to, reason))
        self.facts.append(Fact(at, FactKind.STATUS, to))
        self.status, self.status_changed_at = to, at


class History:
    """Writes batches of tickets for one world at one instant."""

    def __init__(
        self,
        world: World,
        anchor: datetime,
        seed: int,
        warnings: list[int],
        idle_days: int,
        batch_size: int,
    ) -> None:
        self.world, self.anchor, self.seed, self.batch_size = world, anchor, seed, batch_size
        self.warnings, self.idle_days = warnings, idle_days
        self.policies = {
            pk: policy_for_values(world.offering, product) for pk, product in world.products.items()
        }
        self._covered: dict[int, CoveredTime] = {}
        self.signed_in = world.signed_in_seats
        self.start = anchor - HISTORY - timedelta(days=1)

    def covered(self, calendar: Calendar) -> CoveredTime:
        table = self._covered.get(id(calendar))
        if table is None:
            end = self.anchor + timedelta(days=1)
            table = self._covered[id(calendar)] = CoveredTime(calendar, self.start, end)
        return table

    def batch(self, number: int, count: int, first_ticket: int, first_comment: int) -> Rows:
        # Seeded by batch: a batch rebuilt after an interruption is the same batch.
        rng = random.Random(self.seed * 1_000_003 + number)  # noqa: S311 - not a secret
        rows = Rows()
        comments = iter(range(first_comment, first_comment + 100 * count))
        # The open share exactly in every batch, so each batch takes up the turn of the load
        # test's licenses where the ones before it left off (a batch is made without the
        # others: the same batch after a restart).
        opened = set(rng.sample(range(count), round(count * OPEN_SHARE)))
        turns = itertools.count(number * round(self.batch_size * OPEN_SHARE))
        for n in range(count):
            state = _state(rng, still_open=n in opened)
            self._ticket(rng, rows, first_ticket + n, lambda: next(comments), state, turns)
        return rows

    # One ticket ---------------------------------------------------------------------------

    def _ticket(
        self,
        rng: random.Random,
        rows: Rows,
        ticket_id: int,
        next_comment: Callable[[], int],
        state: str,
        turns: Iterator[int],
    ) -> None:
        seat = self._seat(rng, state, turns)
        product_id = rng.choice(seat.product_ids)
        level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
        environment = "production" if level == Level.L1 else rng.choice(ENVIRONMENTS)
        owner = rng.choice(self.world.engineers_by_product[product_id])
        opener = rng.choice(seat.openers)
        policy = self.policies[product_id]
        opened_at = self._opened_at(rng, state)
        story = Story(ticket_id, level, opener, opened_at, opened_at, rows, next_comment)
        summary = rng.choice(SUMMARIES)
        story.event(opened_at, opener, EventKind.OPENED, _opened(level, summary))
        unassigned = state == "fresh" and rng.random() < 0.1
        if not unassigned:
            story.event(opened_at, None, EventKind.OWNER_CHANGED, _routed(owner))
        others = [opener, *seat.colleagues[:1]] if seat.colleagues else [opener]
        if rng.random() < 0.05 and seat.colleagues:
            self._participant(rng, story, seat)
            others = [opener, seat.colleagues[0]]
        me = (owner.user_id, owner.email)
        if state in FINISHED:
            self._finished(rng, story, policy, me, others, state)
        else:
            self._open(rng, story, policy, me, others, state)
        rows.tickets.append(
            (
                ticket_id,
                seat.license_id,
                seat.organization_id,
                product_id,
                rng.choice(VERSIONS),
                environment,
                level,
                summary,
                DESCRIPTION.format(
                    when=f"{rng.randint(2, 9)} days ago",
                    what=summary.lower(),
                    share=rng.randint(2, 90),
                    nodes=rng.randint(2, 6),
                ),
                opener[0],
                opened_at,
                story.status,
                story.status_changed_at or opened_at,
                None if unassigned else owner.user_id,
                None if unassigned else owner.office_id,
                self._idle_at(story),
                story.status_changed_at if story.status in ("resolved", "closed") else None,
                story.status_changed_at if story.status == "closed" else None,
                story.at,
                False,
                self._due(story),
            )
        )

    def _seat(self, rng: random.Random, state: str, turns: Iterator[int]) -> Seat:
        """Finished tickets on any license; open ones on the load test's licenses in turn."""
        if state in FINISHED or not self.signed_in:
            return rng.choice(self.world.seats)
        return self.signed_in[next(turns) % len(self.signed_in)]

    def _opened_at(self, rng: random.Random, state: str) -> datetime:
        if state == "closed":
            return self.anchor - timedelta(days=rng.uniform(25, HISTORY.days))
        if state == "resolved":
            return self.anchor - timedelta(days=rng.uniform(17, 30))
        if state == "fresh":
            return self.anchor - timedelta(minutes=rng.uniform(5, 360))
        return self.anchor - timedelta(days=rng.uniform(1, 30))

    def _participant(self, rng: random.Random, story: Story, seat: Seat) -> None:
        person = seat.colleagues[0]
        at = story.at + timedelta(minutes=rng.randint(5, 90))
        story.rows.participants.append((story.ticket_id, person[0], story.opener[0], at))
        story.event(at, story.opener, EventKind.PARTICIPANT_ADDED, encode({"person": person[1]}))

    def _response_delay(
        self, rng: random.Random, policy: Policy, kind: ClockKind, level: str
    ) -> timedelta:
        """Mostly within the target, sometimes late (about one in eight)."""
        target = policy.target_for(kind, level) or timedelta(hours=8)
        return target * rng.uniform(0.1, 1.3)

    def _first_response(
        self, rng: random.Random, story: Story, policy: Policy, me: tuple[int, str]
    ) -> None:
        delay = self._response_delay(rng, policy, ClockKind.FIRST_RESPONSE, story.level)
        # An open ticket's answer lies before the dataset's instant.
        at = min(story.at + delay, story.at + (self.anchor - story.at) / 2)
        story.comment(at, me, rng.choice(STAFF_REPLIES), staff=True, internal=False)
        story.move(at, me, Status.IN_PROGRESS)

    def _exchange(
        self,
        rng: random.Random,
        story: Story,
        policy: Policy,
        me: tuple[int, str],
        customer: tuple[int, str],
    ) -> None:
        asked = story.at + timedelta(minutes=rng.uniform(60, 48 * 60))
        story.comment(asked, customer, rng.choice(CUSTOMER_REPLIES), staff=False, internal=False)
        answered = asked + self._response_delay(rng, policy, ClockKind.NEXT_UPDATE, story.level)
        story.comment(answered, me, rng.choice(STAFF_REPLIES), staff=True, internal=False)

    # Finished tickets: clocks from the covered-time tables ---------------------------------

    def _finished(
        self,
        rng: random.Random,
        story: Story,
        policy: Policy,
        me: tuple[int, str],
        others: list[tuple[int, str]],
        state: str,
    ) -> None:
        opened_at = story.opened_at
        self._first_response(rng, story, policy, me)
        first = story.at
        asked = answered = None
        if rng.random() < 0.4:
            self._exchange(rng, story, policy, me, rng.choice(others))
            asked, answered = story.facts[-2].at, story.at
        if rng.random() < 0.2:
            at = story.at + timedelta(minutes=rng.uniform(5, 240))
            story.comment(at, me, rng.choice(NOTES), staff=True, internal=True)
        resolved = story.at + timedelta(hours=rng.uniform(2, 240))
        story.move(resolved, me, Status.RESOLVED)
        if state == "closed":
            story.move(resolved + timedelta(hours=rng.uniform(1, 168)), story.opener, Status.CLOSED)
        covered = self.covered(policy.calendar_for(story.level))
        add = self._stopped(story, policy, covered)
        add(ClockKind.FIRST_RESPONSE, opened_at, first)
        add(ClockKind.RESOLUTION, opened_at, resolved)
        if asked is not None and answered is not None:
            add(ClockKind.NEXT_UPDATE, asked, answered)

    def _stopped(
        self, story: Story, policy: Policy, covered: CoveredTime
    ) -> Callable[[ClockKind, datetime, datetime], None]:
        def add(kind: ClockKind, started: datetime, stopped: datetime) -> None:
            target = policy.target_for(kind, story.level)
            counted = covered.between(started, stopped)
            breached = None
            if target is not None and counted > target:
                breached = covered.crossing(started, target)
            story.rows.clocks.append(
                (
                    story.ticket_id,
                    kind.value,
                    1,
                    story.level,
                    started,
                    stopped,
                    _minutes(target),
                    int(counted.total_seconds()),
                    None,
                    breached,
                    "",
                    "[]",
                    0,
                    None,
                    stopped,
                )
            )

        return add

    # Open tickets: clocks derived by the engine itself --------------------------------------

    def _open(
        self,
        rng: random.Random,
        story: Story,
        policy: Policy,
        me: tuple[int, str],
        others: list[tuple[int, str]],
        state: str,
    ) -> None:
        now = self.anchor
        if state != "fresh":
            self._first_response(rng, story, policy, me)
        if state == "inactive" and story.at + timedelta(days=self.idle_days) >= now:
            state = "waiting"  # too young to have gone inactive
        if state == "working" and rng.random() < 0.35:
            self._customer_says(rng, story, others)
        elif state in ("waiting", "answered"):
            asked_at = _between(rng, max(story.at, now - timedelta(days=self.idle_days) * 0.9), now)
            story.move(asked_at, me, Status.WAITING_FOR_CUSTOMER)
            if state == "answered":
                customer = self._customer_says(rng, story, others)
                story.move(story.at, customer, Status.WAITING_FOR_SUPPORT, ANSWERED)
        elif state == "inactive":
            # Waiting a whole idle period, then inactive for less than one: still open.
            days = timedelta(days=self.idle_days)
            went = _between(rng, max(story.at + days, now - days * 0.9), now)
            story.move(went - days, me, Status.WAITING_FOR_CUSTOMER)
            story.move(went, None, Status.INACTIVE, IDLE.format(days=self.idle_days))
        story.clocks = derive_clocks(story.opened_at, story.level, story.facts, policy, now)
        for clock in story.clocks:
            self._running_row(story, clock)

    def _customer_says(
        self, rng: random.Random, story: Story, others: list[tuple[int, str]]
    ) -> tuple[int, str]:
        customer = rng.choice(others)
        at = _between(rng, story.at, self.anchor)
        story.comment(at, customer, rng.choice(CUSTOMER_REPLIES), staff=False, internal=False)
        return customer

    def _running_row(self, story: Story, clock: Clock) -> None:
        thresholds = [*clock.warnings_at, clock.due_at] if clock.due_at else []
        sent = sum(1 for t in thresholds if t <= self.anchor)
        for index in range(sent):
            self._alerted(story, clock, index, thresholds)
        story.rows.clocks.append(
            (
                story.ticket_id,
                clock.kind.value,
                clock.cycle,
                clock.level,
                clock.started_at,
                clock.stopped_at,
                _minutes(clock.target),
                int(clock.counted.total_seconds()),
                clock.due_at,
                clock.breached_at,
                clock.paused_by,
                encode([t.isoformat() for t in thresholds]),
                sent,
                thresholds[sent] if sent < len(thresholds) else None,
                self.anchor,
            )
        )

    def _alerted(self, story: Story, clock: Clock, index: int, thresholds: list[datetime]) -> None:
        """The sweep's internal event for a threshold passed before the dataset's instant."""
        breach = index == len(thresholds) - 1
        data: dict[str, Any] = {
            "clock": clock.kind.value,
            "cycle": clock.cycle,
            "due_at": clock.due_at.isoformat() if clock.due_at else None,
        }
        if not breach:
            data["share"] = self.warnings[index] if index < len(self.warnings) else 100
        kind = EventKind.SLA_BREACHED if breach else EventKind.SLA_WARNING
        last = story.at
        story.event(thresholds[index], None, kind, encode(data), Visibility.INTERNAL)
        story.at = last  # the sweep does not touch the ticket (its updated_at)

    def _idle_at(self, story: Story) -> datetime | None:
        if story.status in (Status.WAITING_FOR_CUSTOMER, Status.INACTIVE):
            assert story.status_changed_at is not None
            return story.status_changed_at + timedelta(days=self.idle_days)
        return None

    def _due(self, story: Story) -> datetime | None:
        queue = (ClockKind.FIRST_RESPONSE, ClockKind.NEXT_UPDATE, ClockKind.RESOLUTION)
        due = [c.due_at for c in story.clocks if c.kind in queue and c.running and c.due_at]
        return min(due, default=None)


def _state(rng: random.Random, *, still_open: bool) -> str:
    """A finished state or an open one, by their weights among themselves."""
    cut = len(FINISHED)
    if still_open:
        return rng.choices(STATES[cut:], STATE_WEIGHTS[cut:])[0]
    return rng.choices(STATES[:cut], STATE_WEIGHTS[:cut])[0]


@cache
def _moved(before: str, to: str, reason: str) -> str:
    return encode({"from": before, "to": to, "reason": reason})


@cache
def _opened(level: str, summary: str) -> str:
    return encode({"level": level, "summary": summary})


@cache
def _routed(owner: Agent) -> str:
    return encode({"from": None, "to": owner.email, "office": owner.office_name, "reason": ROUTED})


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    if end <= start:
        return start
    return start + (end - start) * rng.uniform(0.05, 0.95)


def _minutes(target: timedelta | None) -> int | None:
    return None if target is None else int(target.total_seconds() // 60)
