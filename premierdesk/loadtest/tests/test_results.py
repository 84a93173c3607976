"""Reading a run's samples: per step and action, the rate reached, and the highest rate
sustained."""

from __future__ import annotations

from premierdesk.loadtest import report, results

MIX = {"agent": {"view request": 24}, "customer": {"comment": 24}}


def _run(*steps: tuple[float, list[float]]) -> dict:
    """Each step 100 s long (10 settling), with the given response times for both actions."""
    written: dict = {"steps": [], "samples": [], "mix": MIX, "agents": 1, "customers": 1}
    written |= {"hosts": ["http://x"], "errors": {}, "load": [[0, 1.5], [250, 2.5]]}
    for index, (rate, times) in enumerate(steps):
        start = 100.0 * index
        written["steps"].append(
            {"rate": rate, "start": start, "measure_from": start + 10, "end": start + 100}
        )
        for n, ms in enumerate(times):
            at = start + 10 + n * 90 / len(times)
            written["samples"] += [[at, "agent", "view request", ms, True]]
            written["samples"] += [[at, "customer", "comment", ms, True]]
        written["samples"] += [[start + 1, "agent", "view request", 9999, False]]  # settling
    written["samples"] += [[0.5, "agent", "sign in", 400, True]]
    return written


def test_percentiles_rate_and_the_highest_rate_sustained():
    fast, slow = [50.0] * 9 + [150.0], [50.0] * 8 + [300.0, 300.0]
    result = results.read(_run((2000, fast * 5), (4000, fast * 10), (8000, slow * 10)))
    first, second, third = result.steps
    assert first.reached == 100 / 90 * 3600  # 50 of each action in the 90 s measured
    agent = first.actions[0]
    assert (agent.requests, agent.failures, agent.p50, agent.p90, agent.p99) == (50, 0, 50, 50, 150)
    assert first.sustained
    assert second.sustained
    assert third.actions[0].p90 == 300
    assert not third.sustained
    assert result.sustained_max is second
    assert [s.load for s in result.steps] == [1.5, 1.5, 2.5]
    assert result.sign_ins[0].requests == 1
    assert result.failures == 0  # the failure while settling is left out


def test_a_step_the_server_could_not_keep_up_with_is_not_sustained():
    result = results.read(_run((20_000, [50.0] * 10)))  # 400 an hour reached, 20,000 asked
    assert not result.steps[0].sustained
    assert result.sustained_max is None
    assert "none" in report.lines(result)[-1]
