"""Who reads the reports: support managers, enterprise managers, escalation managers and
administrators (SPEC §8: "for support managers and enterprise managers"). Engineers work the
queue; customers never see figures about other customers."""

from __future__ import annotations

from premierdesk.accounts.models import MANAGER_ROLES, User
from premierdesk.lib.errors import NotAllowed


def require_report_reader(user: User) -> None:
    if user.role not in MANAGER_ROLES:
        raise NotAllowed("Reports are for support, enterprise and escalation managers.")
