"""Participants, comments (public and internal, edits keep history) and phone calls, and who
hears of them by e-mail: internal material never reaches a customer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction

from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.notifications.actions import notify
from premierdesk.tickets import actions
from premierdesk.tickets.models import CommentRevision, EventKind
from premierdesk.tickets.rules import readable_ticket
from premierdesk.tickets.tests.conftest import NOW
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_outbox(deliver_mail):
    """Send what the set-up queued, so a test sees only its own mail."""
    deliver_mail()
    mail.outbox.clear()
    return deliver_mail


def mail_to(email: str) -> list[str]:
    return [str(m.body) for m in mail.outbox if m.to == [email]]


def test_a_participant_sees_and_comments_on_that_ticket_only(ticket, contact, participant):
    second = open_ticket(contact, ticket.license.sen, summary="Another one")
    actions.add_participant(contact, ticket.key, email=participant.email)
    assert readable_ticket(participant, ticket.key, NOW) == ticket
    with pytest.raises(NotFound, match=f"There is no ticket {second.key}"):
        readable_ticket(participant, second.key, NOW)
    comment = actions.add_comment(participant, ticket.key, body="I am the DBA; here are the stats.")
    assert comment.author == participant
    with pytest.raises(NotAllowed, match="Participants see and comment"):
        actions.add_participant(participant, ticket.key, email="x@northwind.example", full_name="X")


def test_nobody_outside_the_organization_can_be_added(ticket, contact, other_customer, engineer):
    with pytest.raises(InvalidInput, match="is not a person of Northwind Logistics"):
        actions.add_participant(contact, ticket.key, email=other_customer.email)
    with pytest.raises(InvalidInput, match="is not a person of Northwind Logistics"):
        actions.add_participant(contact, ticket.key, email=engineer.email)


def test_a_person_without_account_is_invited_as_participant(ticket, engineer, quiet_outbox):
    participant = actions.add_participant(
        engineer, ticket.key, email="net.team@northwind.example", full_name="Network Team"
    )
    assert not participant.person.has_usable_password()
    quiet_outbox()
    (body,) = mail_to("net.team@northwind.example")
    assert "/accounts/password-reset/" in body
    assert "Create it" in body
    with pytest.raises(Conflict, match="already on"):
        actions.add_participant(engineer, ticket.key, email="net.team@northwind.example")


def test_staff_add_participants_too(ticket, engineer, participant):
    assert (
        actions.add_participant(engineer, ticket.key, email=participant.email).added_by == engineer
    )


def test_internal_comments_are_for_staff_only(ticket, contact, engineer, participant):
    with pytest.raises(NotAllowed, match="Only Premier Support staff write internal comments"):
        actions.add_comment(contact, ticket.key, body="psst", internal=True)
    note = actions.add_comment(engineer, ticket.key, body="Heap dump shows a leak", internal=True)
    event = ticket.events.get(kind=EventKind.COMMENTED)
    assert (event.visibility, note.visibility) == ("internal", "internal")


def test_who_hears_of_comments(
    ticket, contact, engineer, second_engineer, participant, quiet_outbox
):
    actions.assign_owner(engineer, ticket.key, owner_email=second_engineer.email)
    actions.add_participant(contact, ticket.key, email=participant.email)
    quiet_outbox()
    mail.outbox.clear()
    actions.add_comment(engineer, ticket.key, body="Please send the support zip.")
    actions.add_comment(engineer, ticket.key, body="Customer runs an old JVM", internal=True)
    quiet_outbox()
    assert mail_to(contact.email) == mail_to(participant.email)
    assert len(mail_to(contact.email)) == 1
    assert "Please send the support zip." in mail_to(contact.email)[0]
    assert all("old JVM" not in str(m.body) for m in mail.outbox if m.to != [second_engineer.email])
    assert any("old JVM" in body for body in mail_to(second_engineer.email))
    assert mail_to(engineer.email) == []  # the author is never told of their own comment


def test_a_comment_queued_twice_is_one_message(ticket, contact, engineer, quiet_outbox):
    comment = actions.add_comment(engineer, ticket.key, body="Hello")
    with transaction.atomic():
        again = notify(
            f"tickets.comment:{comment.pk}",
            [contact.email],
            "ticket_comment",
            {"ticket": ticket, "comment": comment},
        )
    assert again == 0
    quiet_outbox()
    assert len(mail_to(contact.email)) == 1


def test_edits_keep_history(ticket, contact, engineer):
    comment = actions.add_comment(contact, ticket.key, body="It is slow")
    actions.edit_comment(contact, ticket.key, comment.pk, body="It is very slow since 09:00")
    comment.refresh_from_db()
    assert comment.body == "It is very slow since 09:00"
    assert comment.edited_at == NOW
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["It is slow"]
    with pytest.raises(NotAllowed, match="Only the author"):
        actions.edit_comment(engineer, ticket.key, comment.pk, body="edited by someone else")
    note = actions.add_comment(engineer, ticket.key, body="internal", internal=True)
    with pytest.raises(InvalidInput, match=f"has no comment {note.pk}"):
        actions.edit_comment(contact, ticket.key, note.pk, body="I can see it?")


def test_a_closed_ticket_takes_no_more_comments(ticket, engineer, contact):
    actions.transition(engineer, ticket.key, to="resolved")
    actions.transition(contact, ticket.key, to="closed")
    with pytest.raises(Conflict, match=r"is closed\. Open a new ticket and mention"):
        actions.add_comment(contact, ticket.key, body="one more thing")


def test_engineers_log_calls(ticket, engineer, contact):
    call = actions.log_call(
        engineer,
        ticket.key,
        actions.CallInput(
            direction="inbound",
            phone_number="+1 555 0100",
            spoke_with="Grace Hopper",
            started_at=NOW - timedelta(minutes=30),
            duration_minutes=20,
            notes="Walked through the thread dump",
        ),
    )
    assert (call.duration_minutes, call.logged_by) == (20, engineer)
    event = ticket.events.get(kind=EventKind.CALL_LOGGED)
    assert event.data == {"call": call.pk, "direction": "inbound", "duration_minutes": 20}
    with pytest.raises(NotAllowed, match="Only Premier Support staff log phone calls"):
        actions.log_call(contact, ticket.key, actions.CallInput("inbound", "1", "", NOW, 1))
    with pytest.raises(InvalidInput, match="the start is in the future"):
        actions.log_call(
            engineer, ticket.key, actions.CallInput("inbound", "1", "", NOW + timedelta(hours=1), 1)
        )
    with pytest.raises(InvalidInput, match="inbound"):
        actions.log_call(engineer, ticket.key, actions.CallInput("sideways", "1", "", NOW, 1))


def test_another_customer_cannot_reach_the_ticket_by_any_action(ticket, other_customer):
    for attempt in (
        lambda: actions.add_comment(other_customer, ticket.key, body="hi"),
        lambda: actions.add_participant(other_customer, ticket.key, email=other_customer.email),
        lambda: actions.transition(other_customer, ticket.key, to="resolved"),
        lambda: actions.change_level(other_customer, ticket.key, level="L1"),
    ):
        with pytest.raises(NotFound, match=f"There is no ticket {ticket.key}"):
            attempt()
