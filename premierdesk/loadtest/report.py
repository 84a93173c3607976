"""The load test's report: the tables printed after a run, the chart of latency against the
rate (a PNG drawn with matplotlib's Agg backend, no display needed) and the summary JSON."""

from __future__ import annotations

import math
from dataclasses import asdict
from pathlib import Path
from typing import Any

from premierdesk.loadtest.mix import P90_LIMIT_MS
from premierdesk.loadtest.results import ActionStats, Result, Step


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:,.0f}"


def action_rows(actions: list[ActionStats]) -> list[str]:
    rows = [
        f"  {'action':<28} {'requests':>8} {'failures':>8} {'p50 ms':>7} {'p90 ms':>7} "
        f"{'p99 ms':>7} {'success':>8}"
    ]
    for a in actions:
        rows.append(
            f"  {a.name:<28} {a.requests:>8} {a.failures:>8} {_ms(a.p50):>7} {_ms(a.p90):>7} "
            f"{_ms(a.p99):>7} {a.success_rate:>8.2%}"
        )
    return rows


def step_heading(step: Step) -> str:
    load = f", load average {step.load:.2f}" if step.load is not None else ""
    verdict = "sustained" if step.sustained else "NOT sustained"
    return (
        f"{step.rate:,.0f} actions/h asked, {step.reached:,.0f} reached over {step.seconds:.0f} s"
        f"{load}: worst p90 {_ms(step.worst_p90)} ms, success {step.success_rate:.2%}, {verdict}"
    )


def lines(result: Result) -> list[str]:
    """The whole report as text: each step's actions, the sign-ins, the verdict."""
    out = [
        f"{result.agents} agents and {result.customers} customers on "
        f"{', '.join(result.hosts)}; p90 limit {P90_LIMIT_MS:.0f} ms",
        "",
    ]
    for step in result.steps:
        out += [step_heading(step), *action_rows(step.actions), ""]
    out += ["Sign-ins (once per person, before the mix):", *action_rows(result.sign_ins), ""]
    for name, errors in sorted(result.errors.items()):
        for message, count in sorted(errors.items(), key=lambda e: -e[1])[:3]:
            out.append(f"  {name} failed {count} times: {message}")
    best = result.sustained_max
    out.append(
        f"Highest rate sustained (every action's p90 ≤ {P90_LIMIT_MS:.0f} ms): "
        + (f"{best.reached:,.0f} actions/h (step {best.rate:,.0f})" if best else "none")
    )
    return out


def summary(result: Result) -> dict[str, Any]:
    best = result.sustained_max
    return {
        "agents": result.agents,
        "customers": result.customers,
        "hosts": result.hosts,
        "failures": result.failures,
        "sustained_max_actions_per_hour": best.reached if best else None,
        "steps": [
            {**asdict(step), "sustained": step.sustained, "worst_p90": step.worst_p90}
            for step in result.steps
        ],
        "sign_ins": [asdict(a) for a in result.sign_ins],
        "errors": result.errors,
    }


def chart(result: Result, path: Path, title: str) -> None:
    """p90 of each action against the rate reached, the limit drawn across."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(9, 5.5), dpi=110)
    rates = [step.reached for step in result.steps]
    names = [a.name for a in result.steps[0].actions] if result.steps else []
    for index, name in enumerate(names):
        p90s = [step.actions[index].p90 for step in result.steps]
        style = "-" if name.startswith("agent") else "--"
        axes.plot(rates, p90s, style, marker="o", markersize=3, linewidth=1.2, label=name)
    axes.axhline(P90_LIMIT_MS, color="black", linewidth=1, linestyle=":")
    axes.annotate(
        f"p90 limit {P90_LIMIT_MS:.0f} ms",
        (0, P90_LIMIT_MS),
        xytext=(4, 4),
        textcoords="offset points",
        xycoords=("axes fraction", "data"),
        fontsize=8,
    )
    axes.set_xlabel("actions an hour (reached)")
    axes.set_ylabel("p90 per action (ms)")
    axes.set_yscale("log")
    axes.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    axes.set_title(title, fontsize=10)
    axes.grid(True, which="both", linewidth=0.3)
    axes.legend(fontsize=7, ncol=2, loc="upper left")
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)
