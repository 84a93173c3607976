"""Escalating a ticket to an escalation manager (docs/product/services.md#escalation-managers): who
may, the least loaded manager, one open escalation per ticket, resolving it, and what the ticket and
the mail say."""

from __future__ import annotations

import pytest
from django.core import mail

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.escalations import actions
from premierdesk.escalations.models import Escalation
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.models import EventKind, Visibility
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def test_a_named_contact_escalates_and_the_manager_is_told(
    ticket, contact, escalation_manager, deliver_mail
):
    escalation = actions.escalate(
        contact, ticket.key, reason="not_progressing", details="No answer for two days."
    )
    assert escalation.manager == escalation_manager
    assert escalation.is_open
    event = ticket.events.get(kind=EventKind.ESCALATED)
    assert event.visibility == Visibility.PUBLIC
    assert event.data["manager"] == "Erin Escalation"
    entry = AuditEntry.objects.get(action="escalations.raised")
    assert entry.actor == contact
    assert entry.reason == "Not progressing. No answer for two days."
    deliver_mail()
    to_manager = [m for m in mail.outbox if escalation_manager.email in m.to]
    assert len(to_manager) == 1
    assert ticket.key in to_manager[0].subject
    assert "No answer for two days." in to_manager[0].body


def test_the_least_loaded_manager_takes_it_ties_by_account(
    contact, license, escalation_manager, second_escalation_manager
):
    first, second, third = (open_ticket(contact, license.sen) for _ in range(3))
    # Tie (no load): the older account, Erin.
    assert actions.escalate(contact, first.key, reason="critical_bug").manager == escalation_manager
    assert (
        actions.escalate(contact, second.key, reason="critical_bug").manager
        == second_escalation_manager
    )
    # A resolved escalation is no load.
    resolved = Escalation.objects.get(ticket=first)
    actions.resolve_escalation(escalation_manager, resolved.pk, outcome="Patched.")
    assert actions.escalate(contact, third.key, reason="critical_bug").manager == escalation_manager


def test_an_inactive_manager_is_passed_by(ticket, contact, escalation_manager):
    UserFactory.create(role=Role.ESCALATION_MANAGER, is_active=False)
    assert actions.escalate(contact, ticket.key, reason="critical_bug").manager == (
        escalation_manager
    )


def test_without_any_escalation_manager_it_is_refused(ticket, contact):
    with pytest.raises(Conflict, match="No escalation manager is available"):
        actions.escalate(contact, ticket.key, reason="critical_bug")
    assert not Escalation.objects.exists()


def test_a_second_escalation_names_the_current_one_and_its_manager(
    ticket, contact, engineer, escalation_manager, second_escalation_manager
):
    first = actions.escalate(contact, ticket.key, reason="critical_bug")
    with pytest.raises(Conflict) as refusal:
        actions.escalate(engineer, ticket.key, reason="not_progressing")
    assert f"escalation {first.pk}" in refusal.value.detail
    assert "Erin Escalation <erin@premier.example>" in refusal.value.detail
    assert Escalation.objects.count() == 1


def test_after_resolution_it_may_be_escalated_again(ticket, contact, escalation_manager):
    first = actions.escalate(contact, ticket.key, reason="critical_bug")
    actions.resolve_escalation(escalation_manager, first.pk, outcome="Fixed in 10.3.3.")
    again = actions.escalate(contact, ticket.key, reason="not_progressing")
    assert again.pk != first.pk
    assert again.is_open


def test_staff_may_escalate(ticket, engineer, escalation_manager):
    assert actions.escalate(engineer, ticket.key, reason="critical_bug").raised_by == engineer


def test_a_participant_may_not(ticket, contact, participant, escalation_manager):
    ticket_actions.add_participant(contact, ticket.key, email=participant.email)
    with pytest.raises(NotAllowed, match="participants see and comment"):
        actions.escalate(participant, ticket.key, reason="critical_bug")


def test_another_customer_gets_no_such_ticket(ticket, other_customer, escalation_manager):
    with pytest.raises(NotFound, match="no ticket"):
        actions.escalate(other_customer, ticket.key, reason="critical_bug")


def test_a_developer_cannot_escalate(ticket, developer, escalation_manager):
    with pytest.raises(NotFound):
        actions.escalate(developer, ticket.key, reason="critical_bug")


def test_a_closed_ticket_cannot_be_escalated(ticket, contact, escalation_manager):
    ticket_actions.transition(contact, ticket.key, to="resolved")
    ticket_actions.transition(contact, ticket.key, to="closed")
    with pytest.raises(Conflict, match="is closed"):
        actions.escalate(contact, ticket.key, reason="critical_bug")


def test_a_resolved_ticket_can_be_escalated(ticket, contact, escalation_manager):
    ticket_actions.transition(contact, ticket.key, to="resolved")
    assert actions.escalate(contact, ticket.key, reason="not_progressing").is_open


@pytest.mark.parametrize(
    ("reason", "details", "field"),
    [("because", "", "reason"), ("other", "  ", "details")],
)
def test_the_reason_is_checked(ticket, contact, escalation_manager, reason, details, field):
    with pytest.raises(InvalidInput) as refusal:
        actions.escalate(contact, ticket.key, reason=reason, details=details)
    assert refusal.value.errors[0].field == field


def test_other_with_text_is_accepted(ticket, contact, escalation_manager):
    escalation = actions.escalate(contact, ticket.key, reason="other", details="Legal deadline.")
    assert escalation.details == "Legal deadline."


def test_the_escalation_stays_open_when_the_ticket_closes(ticket, contact, escalation_manager):
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    ticket_actions.transition(contact, ticket.key, to="resolved")
    ticket_actions.transition(contact, ticket.key, to="closed")
    escalation.refresh_from_db()
    assert escalation.is_open  # only its manager ends it


def test_its_manager_resolves_it_with_an_outcome(ticket, contact, escalation_manager, deliver_mail):
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    resolved = actions.resolve_escalation(
        escalation_manager, escalation.pk, outcome="Hotfix delivered."
    )
    assert resolved.resolved_by == escalation_manager
    assert not resolved.is_open
    event = ticket.events.get(kind=EventKind.ESCALATION_RESOLVED)
    assert event.data["outcome"] == "Hotfix delivered."
    assert AuditEntry.objects.filter(action="escalations.resolved").count() == 1
    deliver_mail()
    assert any(contact.email in m.to and "Hotfix delivered." in m.body for m in mail.outbox)


def test_a_support_manager_may_resolve_it(ticket, contact, escalation_manager, support_manager):
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    assert actions.resolve_escalation(support_manager, escalation.pk, outcome="Done.").resolved_at


def test_nobody_else_resolves_it(
    ticket, contact, engineer, escalation_manager, second_escalation_manager
):
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    for person in (engineer, second_escalation_manager, contact):
        with pytest.raises(NotAllowed, match="resolved by its escalation manager"):
            actions.resolve_escalation(person, escalation.pk, outcome="Done.")


def test_another_customer_cannot_find_it(ticket, contact, other_customer, escalation_manager):
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    with pytest.raises(NotFound, match="no escalation"):
        actions.resolve_escalation(other_customer, escalation.pk, outcome="x")


def test_resolving_needs_an_outcome_and_happens_once(ticket, contact, escalation_manager):
    escalation = actions.escalate(contact, ticket.key, reason="critical_bug")
    with pytest.raises(InvalidInput, match="how the escalation ended"):
        actions.resolve_escalation(escalation_manager, escalation.pk, outcome=" ")
    actions.resolve_escalation(escalation_manager, escalation.pk, outcome="Done.")
    with pytest.raises(Conflict, match="was resolved at"):
        actions.resolve_escalation(escalation_manager, escalation.pk, outcome="Again.")
