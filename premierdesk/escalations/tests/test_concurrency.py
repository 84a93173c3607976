"""Two people escalating one ticket at the same moment, on separate connections: the ticket's
row lock serialises them (the partial unique index is the last guard), so exactly one
escalation exists and the other person is told whose it is."""

from __future__ import annotations

import pytest

from premierdesk.escalations import actions
from premierdesk.escalations.models import Escalation
from premierdesk.lib.tests.threads import run_at_once
from premierdesk.tickets.models import EventKind

pytestmark = [
    pytest.mark.postgresql,  # SQLite's in-memory test database cannot be shared by threads
    pytest.mark.django_db(transaction=True),
]


def test_two_escalations_of_one_ticket_at_once_make_one(
    ticket, contact, engineer, escalation_manager, second_escalation_manager
):
    outcomes = run_at_once(
        lambda: actions.escalate(contact, ticket.key, reason="critical_bug"),
        lambda: actions.escalate(engineer, ticket.key, reason="not_progressing"),
    )
    assert outcomes[0] == "done"
    assert outcomes[1].startswith(f"refused: {ticket.key} is already escalated")
    assert Escalation.objects.filter(ticket=ticket).count() == 1
    assert ticket.events.filter(kind=EventKind.ESCALATED).count() == 1
