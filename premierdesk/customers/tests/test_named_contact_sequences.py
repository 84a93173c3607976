"""Random sequences of add / approve / decline / remove / cover / wait, checked against a
brute-force replay on a minute grid: at no minute are more named contacts active than slots,
the derived "active at t" equals the replay's answer at every minute, and no cover outlives
the removal of the person it stands in for or of the person providing it. Some of the people
asked for have no account yet: they are invited, and become one person on first approval."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers import actions, queries
from premierdesk.customers.models import ChangeStatus, ContactRole, LicenseContact, NamedContact
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory
from premierdesk.customers.windows import active_at
from premierdesk.lib.errors import ActionError

BASE = datetime(2026, 3, 27, 0, 0, tzinfo=UTC)
PEOPLE = 6
INVITED = 2  # the last people are addresses without an account
SLOTS = 3

person = st.integers(0, PEOPLE - 1)
pick = st.integers(0, 50)
delay = st.integers(0, 60)
duration = st.one_of(st.none(), st.integers(1, 120))
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), person, delay, duration),
        st.tuples(st.just("approve"), pick),
        st.tuples(st.just("decline"), pick),
        st.tuples(st.just("remove"), pick),
        st.tuples(st.just("remove_covered"), pick),
        st.tuples(st.just("cover"), pick, person, delay, st.integers(1, 120)),
        st.tuples(st.just("wait"), st.integers(1, 30)),
    ),
    min_size=1,
    max_size=20,
)


class Replay:
    """The brute-force model: for every window, the set of minutes it holds a slot."""

    def __init__(self) -> None:
        self.minutes: dict[int, set[int]] = {}
        self.person_of: dict[int, int] = {}
        self.covers: dict[int, int] = {}
        self.gone: dict[int, int] = {}  # window -> the minute after which it holds no time

    def approved(self, window: NamedContact) -> None:
        start = minute(window.starts_at)
        end = minute(window.ends_at) if window.ends_at else HORIZON
        self.minutes[window.pk] = set(range(start, end))
        assert window.person_id is not None  # approved: an invitation now has its account
        self.person_of[window.pk] = window.person_id
        if window.covers_id:
            self.covers[window.pk] = window.covers_id

    def removed(self, window: NamedContact, now: int) -> None:
        """A pending or upcoming window is withdrawn alone; removing a running one takes its
        person off the license (all their windows). Either way the covers standing in for
        whatever went go too."""
        if window.pk not in self.minutes or min(self.minutes[window.pk], default=now) >= now:
            going = {window.pk}
        else:
            person = self.person_of[window.pk]
            going = {w for w, p in self.person_of.items() if p == person}
        going |= {cover for cover, covered in self.covers.items() if covered in going}
        for w in going:
            self.gone[w] = now
            if w in self.minutes:
                self.minutes[w] &= set(range(0, now))

    def active_people(self, at: int) -> set[int]:
        suspended = {covered for cover, covered in self.covers.items() if at in self.minutes[cover]}
        return {
            self.person_of[w]
            for w, held in self.minutes.items()
            if at in held and w not in suspended
        }


HORIZON = 20 * 30 + 60 + 120 + 10  # past every window the operations can make


def minute(at: datetime) -> int:
    return int((at - BASE).total_seconds() // 60)


def nth(rows: list[NamedContact], k: int) -> NamedContact | None:
    return rows[k % len(rows)] if rows else None


@pytest.mark.django_db
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # a cover running for someone who is then removed, then a newcomer approved
    ops=[
        ("add", 0, 0, None),
        ("approve", 0),
        ("cover", 0, 1, 0, 60),
        ("approve", 0),
        ("add", 2, 0, None),
        ("approve", 0),
        ("add", 3, 0, None),
        ("approve", 0),
        ("wait", 5),
        ("remove_covered", 0),
        ("add", 4, 0, None),
        ("approve", 0),
    ]
)
@given(ops=operations)
def test_slot_limit_holds_at_every_instant_and_matches_a_replay(ops):
    with transaction.atomic():
        run_sequence(ops)
        transaction.set_rollback(True)


def run_sequence(ops):
    manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    organization = OrganizationFactory.create(enterprise_manager=manager)
    license = LicenseFactory.create(organization=organization)
    technical = UserFactory.create(role=Role.CUSTOMER, organization=organization)
    LicenseContact.objects.create(license=license, person=technical, role=ContactRole.TECHNICAL)
    people = [
        UserFactory.create(role=Role.CUSTOMER, organization=organization).email
        for _ in range(PEOPLE - INVITED)
    ] + [f"invited-{n}@{organization.slug}.example" for n in range(INVITED)]
    replay = Replay()
    with time_machine.travel(BASE, tick=False) as clock:
        for op in ops:
            now = minute(datetime.now(UTC))
            # A refusal changes nothing; the checks below prove it.
            with contextlib.suppress(ActionError):
                apply(op, license, technical, manager, people, replay, now, clock)
            check(license, replay)


def apply(op, license, technical, manager, people, replay, now, clock):
    kind = op[0]
    rows = list(NamedContact.objects.filter(license=license).order_by("pk"))
    if kind == "wait":
        clock.shift(timedelta(minutes=op[1]))
    elif kind == "add":
        _, who, start, length = op
        starts_at = BASE + timedelta(minutes=now + start)
        ends_at = starts_at + timedelta(minutes=length) if length else None
        actions.request_named_contact(
            technical,
            license.sen,
            email=people[who],
            full_name="Invited Person",
            starts_at=starts_at,
            ends_at=ends_at,
        )
    elif kind == "cover":
        _, k, who, start, length = op
        covered = nth([r for r in rows if r.status == "approved" and not r.covers_id], k)
        if covered is None:
            return
        starts_at = BASE + timedelta(minutes=now + start)
        actions.request_cover(
            technical,
            license.sen,
            covered_id=covered.pk,
            email=people[who],
            full_name="Invited Person",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=length),
        )
    elif kind in ("approve", "decline"):
        change = nth([r for r in rows if r.status == "pending"], op[1])
        if change is None:
            return
        if kind == "approve":
            replay.approved(actions.approve_change(manager, change.pk))
        else:
            actions.decline_change(manager, change.pk, "not needed")
    elif kind == "remove":
        window = nth([r for r in rows if r.status in ("pending", "approved")], op[1])
        if window is not None:
            replay.removed(actions.remove_named_contact(technical, window.pk), now)
    elif kind == "remove_covered":  # someone on leave, with a cover asked for or approved
        live = [r for r in rows if r.status in ("pending", "approved")]
        on_leave = {r.covers_id for r in live if r.covers_id}
        window = nth([r for r in live if r.pk in on_leave], op[1])
        if window is not None:
            replay.removed(actions.remove_named_contact(technical, window.pk), now)


def check(license, replay):
    for row in NamedContact.objects.filter(pk__in=replay.gone, status=ChangeStatus.APPROVED):
        gone_at = BASE + timedelta(minutes=replay.gone[row.pk])
        assert row.ends_at is not None, f"window {row.pk} outlives its removal"
        assert row.ends_at <= gone_at, f"window {row.pk} outlives its removal"
    for invited in NamedContact.objects.filter(license=license).exclude(invited_email=""):
        # Once approved, an invitation holds the account of its address, of the organization.
        if invited.person is not None:
            assert invited.person.email == invited.invited_email
            assert invited.person.organization_id == license.organization_id
    windows = queries.windows_of(license)
    for at in range(HORIZON):
        derived = active_at(windows, BASE + timedelta(minutes=at))
        assert len(derived) <= SLOTS, f"{len(derived)} active at minute {at}"
        assert {w.person_id for w in derived} == replay.active_people(at), f"minute {at}"
