"""Who reads which SLA figures: every clock of a ticket (with its explained pieces) for those
who read the ticket's internal material, only the first response for the customer; SLA
attainment for those who read the reports. Written once for the ticket page, the API, the
attainment page and the navigation."""

from __future__ import annotations

from premierdesk.accounts.models import User
from premierdesk.reports.rules import may_read_reports, require_read_reports
from premierdesk.tickets.rules import may_read_internal


def may_read_every_clock(user: User) -> bool:
    """Of a ticket ``user`` reads: every clock, or (a customer) the first response only."""
    return may_read_internal(user)


def may_read_attainment(user: User) -> bool:
    return may_read_reports(user)


def require_read_attainment(user: User) -> None:
    require_read_reports(user)
