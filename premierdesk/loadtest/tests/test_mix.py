"""The locustfile does the JSM toolkit's mix: its task weights are the mix's shares."""

from __future__ import annotations

import json
import subprocess
import sys

from premierdesk.loadtest.mix import AGENT_MIX, CUSTOMER_MIX, pace_seconds
from premierdesk.loadtest.tests.conftest import REPO_ROOT

# Read in a process of its own: importing Locust patches the standard library for gevent.
READ_WEIGHTS = """
import collections, json
from premierdesk.loadtest import locustfile
print(json.dumps({
    user.__name__: collections.Counter(t.__name__.replace("_", " ") for t in user.tasks)
    for user in (locustfile.Agent, locustfile.Customer)
}))
"""


def test_the_mix_is_the_toolkits():
    assert AGENT_MIX == {
        "view request": 24,
        "add comment": 26,
        "view queues": 20,
        "browse": 10,
        "run reports": 14,
        "view customers": 6,
    }
    assert CUSTOMER_MIX == {
        "view requests": 25,
        "comment": 24,
        "create request": 16,
        "view request": 15,
        "use the portal": 11,
        "add participants": 9,
    }


def test_the_locustfiles_task_weights_are_the_mix():
    printed = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", READ_WEIGHTS],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    weights = json.loads(printed.strip().splitlines()[-1])
    assert weights == {"Agent": AGENT_MIX, "Customer": CUSTOMER_MIX}


def test_the_toolkits_pace_is_36_seconds_for_200_people_at_20000_an_hour():
    assert pace_seconds(20_000, 200) == 36.0
