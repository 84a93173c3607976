"""Two support managers acting at the same moment, on separate connections: the engineer's row
lock serialises confirmations, so one engineer never ends up on two overlapping standbys; the
request's row lock lets one decision win."""

from __future__ import annotations

from datetime import datetime

import pytest

from premierdesk.lib.tests.threads import run_at_once
from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.models import StandbyRequest, StandbyStatus
from premierdesk.services.tests.conftest import SEN

pytestmark = [
    pytest.mark.postgresql,  # SQLite's in-memory test database cannot be shared by threads
    pytest.mark.django_db(transaction=True),
]


def ask(contact, start: str, end: str) -> StandbyRequest:
    return standby_actions.request_standby(
        contact,
        standby_actions.StandbyInput(
            sen=SEN,
            product="jira-software",
            plan="Upgrade",
            starts_at=datetime.fromisoformat(start),
            ends_at=datetime.fromisoformat(end),
        ),
    )


def test_one_engineer_is_not_confirmed_twice_for_overlapping_windows(
    contact, support_manager, jira_engineer
):
    first = ask(contact, "2026-06-13T09:00", "2026-06-13T17:00")
    second = ask(contact, "2026-06-13T12:00", "2026-06-13T15:00")
    email = jira_engineer.user.email
    outcomes = run_at_once(
        lambda: standby_actions.confirm_standby(support_manager, first.pk, engineer=email),
        lambda: standby_actions.confirm_standby(support_manager, second.pk, engineer=email),
    )
    assert outcomes[0] == "done"
    assert "is already on standby" in outcomes[1]
    assert StandbyRequest.objects.filter(status=StandbyStatus.CONFIRMED).count() == 1


def test_confirm_and_decline_at_once_one_wins(contact, support_manager, jira_engineer):
    standby = ask(contact, "2026-06-13T09:00", "2026-06-13T17:00")
    outcomes = run_at_once(
        lambda: standby_actions.confirm_standby(
            support_manager, standby.pk, engineer=jira_engineer.user.email
        ),
        lambda: standby_actions.withdraw_standby(contact, standby.pk, reason="Postponed"),
    )
    assert outcomes.count("done") >= 1
    standby.refresh_from_db()
    assert standby.status in (StandbyStatus.CONFIRMED, StandbyStatus.WITHDRAWN)
    # Whatever the order, the sequence counts each change once.
    assert standby.sequence == outcomes.count("done")
