"""Manager callbacks (docs/product/services.md#manager-callbacks): routed to the least loaded
manager of the role asked for, due within the policy's hours, the support managers alerted once when
one is overdue, closed by recording the call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.escalations import actions
from premierdesk.escalations.models import CallbackRequest, EscalationPolicy
from premierdesk.escalations.tasks import alert_callbacks
from premierdesk.jobs.schedule import REGISTRY
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.notifications.models import OutboxMessage
from premierdesk.tickets import actions as ticket_actions
from premierdesk.tickets.tests.conftest import NOW
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def ask(user, key, wants="support_manager", **overrides):
    fields = {
        "wants": wants,
        "complaint": "Nobody has answered for a day.",
        "phone": "+1 212 555 0100",
        "preferred_times": "weekdays 9-12 EST",
        **overrides,
    }
    return actions.request_callback(user, key, actions.CallbackInput(**fields))


def test_a_callback_is_due_in_four_hours_and_the_manager_is_told(
    ticket, contact, support_manager, deliver_mail
):
    callback = ask(contact, ticket.key)
    assert callback.assignee == support_manager
    assert callback.due_at == NOW + timedelta(hours=4)
    assert AuditEntry.objects.filter(action="escalations.callback_requested").count() == 1
    deliver_mail()
    (message,) = [m for m in mail.outbox if support_manager.email in m.to]
    assert "+1 212 555 0100" in message.body
    assert "weekdays 9-12 EST" in message.body


def test_the_response_target_is_policy(ticket, contact, support_manager):
    EscalationPolicy.objects.update_or_create(pk=1, defaults={"callback_response_hours": 2})
    assert ask(contact, ticket.key).due_at == NOW + timedelta(hours=2)


def test_it_goes_to_the_role_asked_for_least_loaded_first(
    contact, license, support_manager, escalation_manager, second_escalation_manager
):
    first, second, third = (open_ticket(contact, license.sen) for _ in range(3))
    assert ask(contact, first.key, "escalation_manager").assignee == escalation_manager
    assert ask(contact, second.key, "escalation_manager").assignee == second_escalation_manager
    assert ask(contact, third.key, "support_manager").assignee == support_manager


def test_nobody_of_that_role_is_a_refusal(ticket, contact, support_manager):
    with pytest.raises(Conflict, match="Nobody is available as an escalation manager"):
        ask(contact, ticket.key, "escalation_manager")


def test_one_open_callback_per_person_and_ticket(ticket, contact, support_manager):
    ask(contact, ticket.key)
    with pytest.raises(Conflict, match="already asked for a callback on PS-"):
        ask(contact, ticket.key)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"wants": "ceo"}, "wants"),
        ({"complaint": " "}, "complaint"),
        ({"phone": ""}, "phone"),
    ],
)
def test_the_request_is_checked(ticket, contact, support_manager, overrides, field):
    with pytest.raises(InvalidInput) as refusal:
        ask(contact, ticket.key, **overrides)
    assert refusal.value.errors[0].field == field


def test_a_participant_may_not_ask(ticket, contact, participant, support_manager):
    ticket_actions.add_participant(contact, ticket.key, email=participant.email)
    with pytest.raises(NotAllowed):
        ask(participant, ticket.key)


def test_another_customer_gets_no_such_ticket(ticket, other_customer, support_manager):
    with pytest.raises(NotFound):
        ask(other_customer, ticket.key)


def test_an_overdue_callback_alerts_the_support_managers_once(
    ticket, contact, escalation_manager, support_manager, frozen, deliver_mail
):
    other_manager = UserFactory.create(role=Role.SUPPORT_MANAGER)
    callback = ask(contact, ticket.key, "escalation_manager")
    assert actions.alert_overdue_callbacks(NOW + timedelta(hours=3, minutes=59)) == 0
    frozen.move_to(NOW + timedelta(hours=4))
    assert actions.alert_overdue_callbacks(NOW + timedelta(hours=4)) == 1
    assert actions.alert_overdue_callbacks(NOW + timedelta(hours=5)) == 0  # the second run
    alerts = OutboxMessage.objects.filter(event_key__startswith="escalations.callback_overdue")
    assert sorted(alerts.values_list("recipient", flat=True)) == sorted(
        [support_manager.email, other_manager.email]
    )
    callback.refresh_from_db()
    assert callback.overdue_alerted_at == NOW + timedelta(hours=4)
    assert AuditEntry.objects.filter(action="escalations.callback_overdue").count() == 1


def test_the_job_is_periodic_and_runs_the_sweep(ticket, contact, support_manager, frozen):
    assert any(job.task is alert_callbacks for job in REGISTRY.values())
    ask(contact, ticket.key)
    frozen.move_to(NOW + timedelta(hours=5))
    assert alert_callbacks.call() == 1
    assert alert_callbacks.call() == 0


def test_a_callback_made_in_time_is_never_alerted(ticket, contact, support_manager, frozen):
    callback = ask(contact, ticket.key)
    frozen.move_to(NOW + timedelta(hours=1))
    actions.record_callback_outcome(
        support_manager,
        callback.pk,
        called_back_at=NOW + timedelta(minutes=30),
        outcome="Apologised; the owner changed.",
    )
    assert actions.alert_overdue_callbacks(NOW + timedelta(hours=6)) == 0


def test_the_assignee_records_the_outcome_which_closes_it(
    ticket, contact, escalation_manager, frozen, deliver_mail
):
    callback = ask(contact, ticket.key, "escalation_manager")
    frozen.move_to(NOW + timedelta(hours=1))
    closed = actions.record_callback_outcome(
        escalation_manager,
        callback.pk,
        called_back_at=NOW + timedelta(minutes=45),
        outcome="Agreed on daily updates.",
    )
    assert not closed.is_open
    assert closed.closed_by == escalation_manager
    assert closed.called_back_at == NOW + timedelta(minutes=45)
    deliver_mail()
    assert any(contact.email in m.to and "daily updates" in m.body for m in mail.outbox)
    with pytest.raises(Conflict, match="was closed at"):
        actions.record_callback_outcome(
            escalation_manager, callback.pk, called_back_at=NOW, outcome="Again."
        )
    # Closed, the customer may ask again.
    assert ask(contact, ticket.key, "escalation_manager").is_open


def test_only_the_assignee_or_a_support_manager_records_it(
    ticket, contact, engineer, escalation_manager, support_manager
):
    callback = ask(contact, ticket.key, "escalation_manager")
    for person in (engineer, contact):
        with pytest.raises(NotAllowed, match="who was asked to call"):
            actions.record_callback_outcome(person, callback.pk, called_back_at=NOW, outcome="x")
    actions.record_callback_outcome(support_manager, callback.pk, called_back_at=NOW, outcome="ok")


@pytest.mark.parametrize("when", [timedelta(minutes=-1), timedelta(minutes=1)])
def test_the_call_is_between_the_request_and_now(ticket, contact, support_manager, when):
    callback = ask(contact, ticket.key)
    with pytest.raises(InvalidInput) as refusal:
        actions.record_callback_outcome(
            support_manager, callback.pk, called_back_at=NOW + when, outcome="x"
        )
    assert refusal.value.errors[0].field == "called_back_at"


def test_another_customer_cannot_find_a_callback(ticket, contact, other_customer, support_manager):
    callback = ask(contact, ticket.key)
    with pytest.raises(NotFound, match="no callback"):
        actions.record_callback_outcome(
            other_customer, callback.pk, called_back_at=NOW, outcome="x"
        )
    assert CallbackRequest.objects.get(pk=callback.pk).is_open
