"""A short real run: ``premierdesk loadtest`` against a live server on the small world gives
no failure and writes its report, its chart and its summary."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from pytest_django import Settings

from premierdesk.loadtest.mix import AGENT_MIX, CUSTOMER_MIX
from premierdesk.loadtest.tests.conftest import Server


def test_a_short_run_has_no_failure_and_writes_the_report(server: Server, settings: Settings):
    settings.VAR_DIR = server.var_dir  # where the world's manifest is
    out, printed = server.var_dir / "run", io.StringIO()
    call_command(
        "loadtest",
        host=server.url,
        rates="20000",
        step_seconds=4,
        settle_seconds=0,
        warm_up_seconds=0,
        out=out,
        stdout=printed,
    )
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failures"] == 0, printed.getvalue()
    assert (summary["agents"], summary["customers"]) == (2, 4)
    (step,) = summary["steps"]
    names = [a["kind"] + ": " + a["action"] for a in step["actions"]]
    assert names == [f"agent: {a}" for a in AGENT_MIX] + [f"customer: {a}" for a in CUSTOMER_MIX]
    assert sum(a["requests"] for a in step["actions"]) > 0
    assert [(a["requests"], a["failures"]) for a in summary["sign_ins"]] == [(2, 0), (4, 0)]
    assert "Highest rate sustained" in printed.getvalue()
    assert (out / "latency.png").read_bytes().startswith(b"\x89PNG")
    assert "ACTION" in (out / "report.html").read_text()


def test_every_action_succeeds_on_the_bench_data_world(bench_server: Server, settings: Settings):
    """On the dataset ``premierdesk bench-data`` builds (not only the tests' own world): the
    customers have colleagues to add and open tickets from the start, and open new ones."""
    settings.VAR_DIR = bench_server.var_dir
    out, printed = bench_server.var_dir / "run", io.StringIO()
    call_command(
        "loadtest",
        host=bench_server.url,
        rates="150000",  # a short run in which every customer does every action
        step_seconds=8,
        settle_seconds=0,
        warm_up_seconds=0,
        agents=2,
        customers=9,  # three organizations' named contacts; the third has two licenses
        out=out,
        stdout=printed,
    )
    summary = json.loads((out / "summary.json").read_text())
    (step,) = summary["steps"]
    done = {a["kind"] + ": " + a["action"]: (a["requests"], a["failures"]) for a in step["actions"]}
    for name in [f"customer: {a}" for a in CUSTOMER_MIX]:
        assert done[name][0] > 0, (name, printed.getvalue())
    assert {name: failures for name, (_, failures) in done.items() if failures} == {}, printed
    assert summary["failures"] == 0, printed.getvalue()
