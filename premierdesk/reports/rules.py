"""Who reads the reports, the SLA attainment and the manager dashboard (docs/access.md), and
of which organizations: written once for the pages, the API and the console home.

Reports (docs/product/surveys-and-reports.md#reports) are for managers: support, escalation and
enterprise managers and administrators read them; an enterprise manager's figures are those of the
organizations they manage. Engineers work the queue; developers and customers never see figures."""

from __future__ import annotations

from premierdesk.accounts.models import MANAGER_ROLES, User
from premierdesk.lib.errors import NotAllowed
from premierdesk.tickets.rules import managed_organizations


def may_read_reports(user: User) -> bool:
    return user.is_active and user.role in MANAGER_ROLES


def require_read_reports(user: User) -> None:
    if not may_read_reports(user):
        raise NotAllowed("Reports are for support, enterprise and escalation managers.")


def report_organizations(user: User) -> list[int] | None:
    """The organizations ``user``'s figures count: None for all, else their ids (an
    enterprise manager's own organizations)."""
    return managed_organizations(user)
