"""Two submissions through one link at the same moment, on separate connections: the
invitation's row lock serialises them (the unique ticket of an answer is the last guard), so
exactly one answer exists and the other is told it was already answered."""

from __future__ import annotations

import pytest

from premierdesk.feedback import actions
from premierdesk.feedback.actions import AnswerInput
from premierdesk.feedback.models import Answer
from premierdesk.lib.tests.threads import run_at_once
from premierdesk.notifications.models import OutboxMessage

pytestmark = [
    pytest.mark.postgresql,  # SQLite's in-memory test database cannot be shared by threads
    pytest.mark.django_db(transaction=True),
]


def test_two_answers_at_once_make_one(token, closed):
    outcomes = run_at_once(
        lambda: actions.answer_survey(token, AnswerInput(1, could_be_better="Slow")),
        lambda: actions.answer_survey(token, AnswerInput(2, could_be_better="Slow too")),
    )
    assert outcomes[0] == "done"
    assert outcomes[1].startswith(f"refused: The survey of {closed.key} was already answered")
    assert Answer.objects.filter(ticket=closed).count() == 1
    assert OutboxMessage.objects.filter(event_key__startswith="feedback.low_rating:").count() == 1
