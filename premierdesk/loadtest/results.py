"""What a load-test run measured: per step of the ramp and per action, the requests, failures,
p50/p90/p99 and success rate, the rate reached, and the highest rate sustained (every
action's p90 at or under the limit). Pure: it reads the samples the locustfile wrote."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from premierdesk.loadtest.mix import P90_LIMIT_MS

SIGN_IN = "sign in"
# A step counts only if the people reached nearly the rate asked for: a server that cannot
# keep up slows everyone's pace down, and a lower rate is then all that was measured.
REACHED_SHARE = 0.9


def percentile(ordered: list[float], q: float) -> float:
    """The nearest-rank percentile of values already sorted (q in 0..100)."""
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class ActionStats:
    kind: str  # agent or customer
    action: str
    requests: int
    failures: int
    p50: float
    p90: float
    p99: float

    @property
    def name(self) -> str:
        return f"{self.kind}: {self.action}"

    @property
    def success_rate(self) -> float:
        return 1.0 - self.failures / self.requests if self.requests else 1.0

    @classmethod
    def of(cls, kind: str, action: str, samples: list[tuple[float, bool]]) -> ActionStats:
        times = sorted(ms for ms, _ in samples)
        failures = sum(1 for _, ok in samples if not ok)
        return cls(
            kind,
            action,
            len(samples),
            failures,
            percentile(times, 50),
            percentile(times, 90),
            percentile(times, 99),
        )


@dataclass(frozen=True)
class Step:
    rate: float  # asked for, actions an hour
    reached: float  # done in the measured window, actions an hour
    seconds: float  # the measured window
    actions: list[ActionStats]
    load: float | None  # the 1-minute load average at the step's end

    @property
    def requests(self) -> int:
        return sum(a.requests for a in self.actions)

    @property
    def failures(self) -> int:
        return sum(a.failures for a in self.actions)

    @property
    def success_rate(self) -> float:
        return 1.0 - self.failures / self.requests if self.requests else 1.0

    @property
    def worst_p90(self) -> float:
        return max((a.p90 for a in self.actions if a.requests), default=math.nan)

    @property
    def sustained(self) -> bool:
        """Every action's p90 within the limit, at (nearly) the rate asked for."""
        within = all(a.p90 <= P90_LIMIT_MS for a in self.actions if a.requests)
        return bool(self.actions) and within and self.reached >= REACHED_SHARE * self.rate


@dataclass(frozen=True)
class Result:
    steps: list[Step]
    sign_ins: list[ActionStats]
    agents: int
    customers: int
    hosts: list[str]
    errors: dict[str, dict[str, int]]

    @property
    def sustained_max(self) -> Step | None:
        """The highest step sustained."""
        return max((s for s in self.steps if s.sustained), key=lambda s: s.rate, default=None)

    @property
    def failures(self) -> int:
        return sum(s.failures for s in self.steps) + sum(a.failures for a in self.sign_ins)


def read(written: dict[str, Any]) -> Result:
    """The result of the samples file the locustfile writes (``--samples-out``)."""
    samples = written["samples"]
    order = [("agent", a) for a in written["mix"]["agent"]]
    order += [("customer", a) for a in written["mix"]["customer"]]
    steps = [_step(step, samples, order, written.get("load", [])) for step in written["steps"]]
    sign_ins = [
        ActionStats.of(kind, SIGN_IN, [(s[3], s[4]) for s in samples if s[1:3] == [kind, SIGN_IN]])
        for kind in ("agent", "customer")
    ]
    return Result(
        steps=steps,
        sign_ins=sign_ins,
        agents=written["agents"],
        customers=written["customers"],
        hosts=written["hosts"],
        errors=written.get("errors", {}),
    )


def _step(
    step: dict[str, float],
    samples: list[list[Any]],
    order: list[tuple[str, str]],
    load: list[list[float]],
) -> Step:
    start, end = step["measure_from"], step["end"]
    inside = [s for s in samples if start <= s[0] < end and s[2] != SIGN_IN]
    by_action: dict[tuple[str, str], list[tuple[float, bool]]] = {key: [] for key in order}
    for _, kind, action, ms, ok in inside:
        by_action.setdefault((kind, action), []).append((ms, ok))
    seconds = max(1e-9, end - start)
    loads = [value for t, value in load if t <= end]
    return Step(
        rate=step["rate"],
        reached=len(inside) / seconds * 3600,
        seconds=seconds,
        actions=[ActionStats.of(kind, action, got) for (kind, action), got in by_action.items()],
        load=loads[-1] if loads else None,
    )
