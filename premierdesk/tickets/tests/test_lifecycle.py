"""The lifecycle: every move of the transition table for staff and customer, the idle policy
(waiting for the customer 7 days -> inactive, 7 more -> closed), level and owner changes,
all of them on the timeline and in the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from premierdesk.audit.models import AuditEntry
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed
from premierdesk.tickets import actions
from premierdesk.tickets.models import EventKind, Status, Ticket, TicketPolicy
from premierdesk.tickets.rules import TRANSITIONS, Side, allowed_moves
from premierdesk.tickets.tests.conftest import NOW

pytestmark = pytest.mark.django_db
S = Status


def put(ticket: Ticket, status: Status) -> Ticket:
    """Place a ticket in a status directly, to test the move out of it."""
    Ticket.objects.filter(pk=ticket.pk).update(status=status)
    return Ticket.objects.get(pk=ticket.pk)


MOVES = [(before, after) for before in S for after in S if before != after]


@pytest.mark.parametrize(("before", "after"), MOVES)
def test_every_move_for_staff_follows_the_table(ticket, engineer, before, after):
    put(ticket, before)
    if Side.STAFF in TRANSITIONS[before].get(after, frozenset()):
        assert actions.transition(engineer, ticket.key, to=after).status == after
    else:
        with pytest.raises((Conflict, NotAllowed)):
            actions.transition(engineer, ticket.key, to=after)
        assert Ticket.objects.get(pk=ticket.pk).status == before


@pytest.mark.parametrize(("before", "after"), MOVES)
def test_every_move_for_the_customer_follows_the_table(ticket, contact, before, after):
    put(ticket, before)
    if Side.CUSTOMER in TRANSITIONS[before].get(after, frozenset()):
        assert actions.transition(contact, ticket.key, to=after).status == after
    else:
        with pytest.raises((Conflict, NotAllowed)):
            actions.transition(contact, ticket.key, to=after)
        assert Ticket.objects.get(pk=ticket.pk).status == before


def test_the_table_gives_each_side_what_the_spec_says():
    assert allowed_moves(S.WAITING_FOR_SUPPORT, Side.CUSTOMER) == [S.RESOLVED]
    assert set(allowed_moves(S.RESOLVED, Side.CUSTOMER)) == {S.WAITING_FOR_SUPPORT, S.CLOSED}
    assert allowed_moves(S.CLOSED, Side.STAFF) == []
    assert allowed_moves(S.WAITING_FOR_CUSTOMER, Side.SYSTEM) == [S.INACTIVE]


def test_refusals_say_why(ticket, engineer, contact, participant):
    with pytest.raises(Conflict, match=r"is waiting for support; it cannot become inactive"):
        actions.transition(engineer, ticket.key, to="inactive")
    with pytest.raises(NotAllowed, match="Only Premier Support staff can move"):
        actions.transition(contact, ticket.key, to="in_progress")
    actions.add_participant(contact, ticket.key, email=participant.email)
    with pytest.raises(NotAllowed, match="they do not change its status"):
        actions.transition(participant, ticket.key, to="resolved")
    with pytest.raises(InvalidInput, match="Choose a status"):
        actions.transition(engineer, ticket.key, to="done")


def test_a_transition_is_an_event_an_audit_entry_and_an_email(
    ticket, engineer, contact, deliver_mail
):
    actions.assign_owner(engineer, ticket.key, owner_email=engineer.email)
    deliver_mail()
    mail.outbox.clear()
    actions.transition(engineer, ticket.key, to="waiting_for_customer", reason="Need the logs")
    event = ticket.events.filter(kind=EventKind.STATUS_CHANGED).get()
    assert event.data == {
        "from": "waiting_for_support",
        "to": "waiting_for_customer",
        "reason": "Need the logs",
    }
    assert (event.actor, event.visibility) == (engineer, "public")
    entry = AuditEntry.objects.get(action="tickets.status_changed")
    assert (entry.actor, entry.reason) == (engineer, "Need the logs")
    deliver_mail()
    assert [m.to for m in mail.outbox] == [[contact.email]]  # not the engineer who moved it
    assert "Need the logs" in mail.outbox[0].body


def test_idle_tickets_go_inactive_then_close(ticket, engineer, frozen):
    actions.transition(engineer, ticket.key, to="waiting_for_customer")
    assert actions.advance_idle_tickets(NOW + timedelta(days=7) - timedelta(seconds=1)) == 0
    frozen.move_to(NOW + timedelta(days=7))
    assert actions.advance_idle_tickets(NOW + timedelta(days=7)) == 1
    ticket.refresh_from_db()
    assert ticket.status == S.INACTIVE
    assert ticket.idle_transition_at == NOW + timedelta(days=14)
    frozen.move_to(NOW + timedelta(days=14))
    assert actions.advance_idle_tickets(NOW + timedelta(days=14)) == 1
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_at, ticket.idle_transition_at) == (
        S.CLOSED,
        NOW + timedelta(days=14),
        None,
    )
    reasons = [e.data["reason"] for e in ticket.events.filter(kind=EventKind.STATUS_CHANGED)]
    assert reasons[-2:] == ["No answer from the customer for 7 days.", "Inactive for 7 more days."]
    assert ticket.events.last().actor_label == "Premier Desk"


def test_the_idle_policy_is_data(ticket, engineer):
    TicketPolicy.objects.update_or_create(pk=1, defaults={"inactive_after_days": 3})
    actions.transition(engineer, ticket.key, to="waiting_for_customer")
    ticket.refresh_from_db()
    assert ticket.idle_transition_at == NOW + timedelta(days=3)


def test_a_second_run_at_the_same_time_moves_nothing_twice(ticket, engineer, frozen):
    actions.transition(engineer, ticket.key, to="waiting_for_customer")
    later = NOW + timedelta(days=8)
    frozen.move_to(later)
    assert actions.advance_idle_tickets(later) == 1
    assert actions.advance_idle_tickets(later) == 0
    assert ticket.events.filter(kind=EventKind.STATUS_CHANGED).count() == 2


def test_the_customer_answering_brings_the_ticket_back_to_support(ticket, engineer, contact):
    actions.transition(engineer, ticket.key, to="waiting_for_customer")
    actions.add_comment(contact, ticket.key, body="Logs attached.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.idle_transition_at) == (S.WAITING_FOR_SUPPORT, None)


def test_reopen_a_resolved_ticket(ticket, contact, engineer):
    actions.transition(engineer, ticket.key, to="resolved")
    ticket.refresh_from_db()
    assert ticket.resolved_at == NOW
    actions.transition(contact, ticket.key, to="waiting_for_support", reason="Still slow")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_at) == (S.WAITING_FOR_SUPPORT, None)


def test_level_change_keeps_l1_for_production_and_is_on_the_timeline(ticket, contact, engineer):
    actions.change_level(contact, ticket.key, level="L1", reason="Now nobody can log in")
    event = ticket.events.get(kind=EventKind.LEVEL_CHANGED)
    assert event.data == {"from": "L2", "to": "L1", "reason": "Now nobody can log in"}
    with pytest.raises(Conflict, match="already L1 critical"):
        actions.change_level(engineer, ticket.key, level="L1")
    Ticket.objects.filter(pk=ticket.pk).update(environment="qa", level="L3")
    with pytest.raises(InvalidInput, match="L1 critical is for production"):
        actions.change_level(engineer, ticket.key, level="L1")


def test_owner_changes_are_on_the_timeline_with_the_office(
    ticket, engineer, second_engineer, contact
):
    actions.assign_owner(engineer, ticket.key, owner_email=engineer.email)
    actions.assign_owner(engineer, ticket.key, owner_email=second_engineer.email, reason="Handover")
    ticket.refresh_from_db()
    assert ticket.owner == second_engineer
    assert ticket.office == second_engineer.engineer.office
    owners = [
        (e.data["from"], e.data["to"]) for e in ticket.events.filter(kind=EventKind.OWNER_CHANGED)
    ]
    assert owners == [(None, engineer.email), (engineer.email, second_engineer.email)]
    with pytest.raises(NotAllowed, match="Only Premier Support staff assign owners"):
        actions.assign_owner(contact, ticket.key, owner_email=engineer.email)
    with pytest.raises(InvalidInput, match="is not a support engineer"):
        actions.assign_owner(engineer, ticket.key, owner_email=contact.email)
