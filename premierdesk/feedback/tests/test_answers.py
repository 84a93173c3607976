"""Answering through the link (the action): single use, the expiry boundary, tampering, one
ticket's link never answering another, ratings, the audit trail, and the low-rating alert."""

from __future__ import annotations

import string
from datetime import timedelta

import pytest
from django.core import mail
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from premierdesk.audit.models import AuditEntry
from premierdesk.feedback import actions, queries, rules
from premierdesk.feedback.actions import AnswerInput
from premierdesk.feedback.models import Answer, Invitation
from premierdesk.feedback.tests.conftest import close_by_staff, token_of
from premierdesk.lib.errors import InvalidInput, NotFound
from premierdesk.notifications.models import OutboxMessage
from premierdesk.tickets.actions import assign_owner
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db
URL_SAFE = string.ascii_letters + string.digits + "-_"


def low_rating_mails():
    return OutboxMessage.objects.filter(event_key__startswith="feedback.low_rating:")


def test_an_answer_is_recorded_once(token, closed):
    answer = actions.answer_survey(token, AnswerInput(5, " Fast fix ", "Nothing"))
    assert (answer.ticket, answer.rating, answer.went_well, answer.could_be_better) == (
        closed,
        5,
        "Fast fix",
        "Nothing",
    )
    assert Invitation.objects.get().answered_at == NOW
    with pytest.raises(rules.AlreadyAnswered, match="already answered on 2026-05-04 09:00"):
        actions.answer_survey(token, AnswerInput(1))
    assert Answer.objects.get().rating == 5


def test_the_answer_is_audited_naming_the_contact(token, closed, contact):
    actions.answer_survey(token, AnswerInput(4))
    entry = AuditEntry.objects.get(action="feedback.answered")
    assert entry.actor is None
    assert entry.actor_label == f"survey link of {contact.email}"
    assert entry.changes == {"ticket": [None, closed.key], "rating": [None, 4]}


@pytest.mark.parametrize(
    "after", [timedelta(days=27, hours=23), timedelta(days=28)], ids=["27d23h", "28d exactly"]
)
def test_the_link_works_up_to_28_days_after_the_close(token, frozen, after):
    frozen.move_to(NOW + after)
    assert actions.answer_survey(token, AnswerInput(4)).rating == 4


def test_the_link_expires_one_second_after_28_days(token, frozen):
    frozen.move_to(NOW + timedelta(days=28, seconds=1))
    with pytest.raises(rules.LinkExpired, match="expired on 2026-06-01 09:00 UTC") as refused:
        actions.answer_survey(token, AnswerInput(4))
    assert refused.value.status == 410
    assert not Answer.objects.exists()


def _tampered(token: str, at: int) -> str:
    changed = "A" if token[at] != "A" else "B"
    return token[:at] + changed + token[at + 1 :]


@pytest.mark.parametrize("at", [0, 21, -1])
def test_a_changed_character_finds_nothing(token, at):
    with pytest.raises(NotFound):
        actions.answer_survey(_tampered(token, at), AnswerInput(4))
    assert not Answer.objects.exists()


@pytest.mark.parametrize("bad", ["", "x", "a" * 500, "../../admin"])
def test_anything_not_issued_finds_nothing(closed, bad):
    with pytest.raises(NotFound):
        queries.find_invitation(bad)


def test_one_tickets_link_answers_that_ticket_only(token, closed, contact, engineer):
    other = open_ticket(contact, SEN, summary="Confluence search is empty")
    close_by_staff(engineer, other.key)
    other_token = token_of(other)
    assert other_token != token
    actions.answer_survey(token, AnswerInput(2))
    assert Answer.objects.get().ticket == closed
    assert not Answer.objects.filter(ticket=other).exists()
    actions.answer_survey(other_token, AnswerInput(5))
    assert Answer.objects.get(ticket=other).rating == 5


@pytest.mark.parametrize("rating", [0, 6, -1, True])
def test_a_rating_outside_1_to_5_is_refused(token, rating):
    with pytest.raises(InvalidInput) as refused:
        actions.answer_survey(token, AnswerInput(rating))
    assert [e.field for e in refused.value.errors] == ["rating"]
    assert Invitation.objects.get().answered_at is None


def test_texts_are_limited(token):
    with pytest.raises(InvalidInput) as refused:
        actions.answer_survey(token, AnswerInput(3, could_be_better="x" * 5001))
    assert [e.field for e in refused.value.errors] == ["could_be_better"]


@pytest.mark.parametrize("rating", [1, 2])
def test_a_low_rating_alerts_the_owners_office_lead_once(
    token, closed, lead, engineer, rating, deliver_mail
):
    actions.answer_survey(token, AnswerInput(rating, could_be_better="Nobody called back"))
    [alert] = low_rating_mails()
    assert alert.recipient == lead.email
    assert f"{rating} of 5" in alert.subject
    assert "Nobody called back" in alert.body
    assert engineer.full_name in alert.body
    entry = AuditEntry.objects.get(action="feedback.low_rating_alerted")
    assert entry.changes == {"alerted": [None, [lead.email]]}

    with pytest.raises(rules.AlreadyAnswered):
        actions.answer_survey(token, AnswerInput(1))
    assert low_rating_mails().count() == 1
    deliver_mail()
    assert [m.to for m in mail.outbox if "Low survey rating" in m.subject] == [[lead.email]]


@pytest.mark.parametrize("rating", [3, 4, 5])
def test_a_good_rating_alerts_nobody(token, rating):
    actions.answer_survey(token, AnswerInput(rating))
    assert not low_rating_mails().exists()
    assert not AuditEntry.objects.filter(action="feedback.low_rating_alerted").exists()


def test_the_lead_is_the_last_owners(token, closed, engineer_amsterdam, engineer, frozen):
    """Reassigned after the close: the lead of the office of the owner it has now."""
    amsterdam = engineer_amsterdam.engineer.office
    amsterdam.lead = engineer_amsterdam
    amsterdam.save()
    assign_owner(engineer, closed.key, owner_email=engineer_amsterdam.email)
    actions.answer_survey(token, AnswerInput(1))
    assert [m.recipient for m in low_rating_mails()] == [engineer_amsterdam.email]


def test_without_an_office_lead_the_support_managers_are_alerted(
    token, closed, engineer, support_manager
):
    office = engineer.engineer.office
    office.lead = None
    office.save()
    actions.answer_survey(token, AnswerInput(1))
    assert [m.recipient for m in low_rating_mails()] == [support_manager.email]


def test_an_inactive_lead_is_passed_over_for_the_support_managers(
    token, closed, lead, support_manager
):
    lead.is_active = False
    lead.save()
    actions.answer_survey(token, AnswerInput(2))
    assert [m.recipient for m in low_rating_mails()] == [support_manager.email]


def test_a_ticket_without_owner_alerts_the_support_managers(
    ticket, contact, engineer, support_manager
):
    Ticket.objects.filter(pk=ticket.pk).update(owner=None, office=None)
    close_by_staff(engineer, ticket.key)
    actions.answer_survey(token_of(ticket), AnswerInput(1))
    assert [m.recipient for m in low_rating_mails()] == [support_manager.email]


@given(st.integers(min_value=0, max_value=60 * 24 * 3600))
def test_expiry_is_after_28_days_to_the_second(offset):
    """On an unsaved invitation: the link works at every instant up to 28 days after the close
    inclusive, and at none after."""
    invitation = Invitation(sent_at=NOW, expires_at=NOW + timedelta(days=28))
    at = NOW + timedelta(seconds=offset)
    assert rules.is_expired(invitation, at) == (offset > 28 * 24 * 3600)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=st.integers(min_value=0, max_value=42), char=st.sampled_from(URL_SAFE))
def test_any_changed_character_finds_nothing(token, at, char):
    assume(token[at] != char)
    with pytest.raises(NotFound):
        queries.find_invitation(token[:at] + char + token[at + 1 :])
