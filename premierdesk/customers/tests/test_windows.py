"""The pure slot arithmetic, on unsaved values: occupancy spans agree with active_at at every
minute, and the free-slot answers agree with a minute-by-minute scan."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from premierdesk.customers.windows import Window, active_at, next_free_slot, occupancy

BASE = datetime(2026, 10, 24, 0, 0, tzinfo=UTC)
HORIZON = 220  # past the last edge any drawn window can have (150 + 60)


@st.composite
def window_sets(draw):
    count = draw(st.integers(0, 6))
    windows: list[Window] = []
    for wid in range(1, count + 1):
        start = draw(st.integers(0, 150))
        length = draw(st.one_of(st.none(), st.integers(1, 60)))
        covers = (
            draw(st.one_of(st.none(), st.sampled_from([w.id for w in windows])))
            if windows
            else None
        )
        starts_at = BASE + timedelta(minutes=start)
        ends_at = starts_at + timedelta(minutes=length) if length else None
        windows.append(Window(wid, wid, starts_at, ends_at, covers))
    return windows


def at(m: int) -> datetime:
    return BASE + timedelta(minutes=m)


@given(window_sets(), st.integers(0, 100))
def test_each_span_holds_exactly_who_is_active_at_each_of_its_minutes(windows, since):
    spans = occupancy(windows, at(since))
    assert spans[0].starts_at == at(since)
    assert spans[-1].ends_at is None
    for span, following in itertools.pairwise(spans):
        assert span.ends_at == following.starts_at
        assert {w.id for w in span.active} != {w.id for w in following.active}
    for m in range(since, HORIZON):
        (span,) = [
            s for s in spans if s.starts_at <= at(m) and (s.ends_at is None or at(m) < s.ends_at)
        ]
        assert {w.id for w in span.active} == {w.id for w in active_at(windows, at(m))}


@given(window_sets(), st.integers(1, 4))
def test_next_free_slot_is_the_first_minute_below_the_limit(windows, slots):
    found = next_free_slot(windows, slots, BASE)
    scan = next((m for m in range(HORIZON) if len(active_at(windows, at(m))) < slots), None)
    assert found == (at(scan) if scan is not None else None)
