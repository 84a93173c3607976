"""Who may answer a survey, checked once where the rule lives (``feedback.rules``). The rule
asks no role: whoever holds the link answers it (docs/access.md, "surveys: link"), once, until
it expires."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from premierdesk.accounts.queries import token_digest
from premierdesk.feedback import actions, rules
from premierdesk.feedback.models import Invitation
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.tests import roles
from premierdesk.tickets.tests.roles import NOW, assert_pair

pytestmark = pytest.mark.django_db
world = roles.world


@pytest.fixture
def invitation(world) -> Invitation:
    grace, key = world["named_contact"], world.ticket.key
    ticket_actions.transition(grace, key, to="resolved")
    ticket_actions.transition(grace, key, to="closed")
    return Invitation.objects.select_related("ticket", "contact").get(ticket=world.ticket)


def test_a_fresh_link_is_answered_until_and_including_its_expiry(invitation):
    for at in (NOW, invitation.expires_at):
        _assert_answerable(invitation, at)


def _assert_answerable(invitation: Invitation, at: datetime) -> None:
    assert_pair(
        True,
        lambda: rules.may_answer_survey(invitation, at),
        lambda: rules.require_answer_survey(invitation, at),
    )


def test_an_expired_link_is_refused_with_410(invitation):
    later = invitation.expires_at + timedelta(seconds=1)
    assert_pair(
        (rules.LinkExpired, "The survey link of PS-1 expired on"),
        lambda: rules.may_answer_survey(invitation, later),
        lambda: rules.require_answer_survey(invitation, later),
    )
    assert rules.LinkExpired.status == 410


def test_a_used_link_is_refused_with_409(world, invitation):
    token = "a-token-the-test-knows"
    invitation.token_digest = token_digest(token)
    invitation.save()
    actions.answer_survey(token, actions.AnswerInput(rating=5))
    invitation.refresh_from_db()
    assert_pair(
        (rules.AlreadyAnswered, "The survey of PS-1 was already answered on"),
        lambda: rules.may_answer_survey(invitation, NOW),
        lambda: rules.require_answer_survey(invitation, NOW),
    )
    assert rules.AlreadyAnswered.status == 409
