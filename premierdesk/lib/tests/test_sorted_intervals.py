"""``coverage.Sorted`` clips as ``coverage.clip`` does, for any ordered, disjoint
intervals and any window (the rota's heatmap reads every cell through it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from premierdesk.lib.coverage import Interval, Sorted, clip

ORIGIN = datetime(2026, 3, 1, tzinfo=UTC)
minutes = st.integers(min_value=0, max_value=3000)


@st.composite
def ordered_disjoint(draw: st.DrawFn) -> list[Interval]:
    """Intervals in order, each starting at or after the last one's end (touching allowed)."""
    edges = sorted(draw(st.lists(minutes, max_size=24, unique=True)))
    pairs = zip(edges[::2], edges[1::2], strict=False)
    return [
        Interval(ORIGIN + timedelta(minutes=a), ORIGIN + timedelta(minutes=b), f"r{a}")
        for a, b in pairs
    ]


@given(ordered_disjoint(), minutes, st.integers(min_value=1, max_value=600))
def test_a_window_clips_as_coverage_clip_does(intervals, start, length):
    window_start = ORIGIN + timedelta(minutes=start)
    window_end = window_start + timedelta(minutes=length)
    expected = clip(intervals, window_start, window_end)
    assert Sorted(intervals).clip(window_start, window_end) == expected
