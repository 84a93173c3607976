"""The mix of Atlassian's Data Center performance toolkit for Jira Service Management
(``app/jsm.yml`` of atlassian/dc-app-performance-toolkit): who acts, how often, and the pace.

Pure data with no Django, read by the locustfile (which runs in Locust's process), the
command and the tests.
"""

from __future__ import annotations

AGENTS = 50
CUSTOMERS = 150

# Each person's share of actions, in percent (the toolkit's queues, reports and sharing are
# split into small/medium or customer/organization variants; these are their sums).
AGENT_MIX = {
    "view request": 24,
    "add comment": 26,
    "view queues": 20,
    "browse": 10,
    "run reports": 14,
    "view customers": 6,
}
CUSTOMER_MIX = {
    "view requests": 25,
    "comment": 24,
    "create request": 16,
    "view request": 15,
    "use the portal": 11,
    "add participants": 9,
}

# The toolkit's rate: 5,000 agent and 15,000 customer actions an hour, 20,000 in all. Each
# person acts once per pace, the time to the next action counted from the start of the last
# one (the toolkit sleeps what is left of 3600 / (actions per hour / people) seconds, 36 s).
TOOLKIT_ACTIONS_PER_HOUR = 20_000
# p90 of every action at or under this is a rate sustained.
P90_LIMIT_MS = 200.0
# The stepped ramp `premierdesk loadtest` climbs, in actions an hour.
RATES = (20_000, 50_000, 100_000, 150_000, 200_000, 300_000, 400_000)


def pace_seconds(actions_per_hour: float, people: int) -> float:
    """Seconds between the starts of one person's actions, for ``people`` together to make
    ``actions_per_hour``."""
    return 3600.0 * people / actions_per_hour
