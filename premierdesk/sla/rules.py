"""Who reads which SLA figures: every clock of a ticket (with its explained pieces) for those
who read the ticket's internal material, only the first response for the customer. Written once
for the ticket page and the API. (SLA attainment is a report: ``reports.rules``.)"""

from __future__ import annotations

from premierdesk.accounts.models import User
from premierdesk.tickets.rules import may_read_internal


def may_read_every_clock(user: User) -> bool:
    """Of a ticket ``user`` reads: every clock, or (a customer) the first response only."""
    return may_read_internal(user)
