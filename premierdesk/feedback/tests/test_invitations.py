"""A closed ticket invites its contact to the survey, in the close's transaction: by each path
that closes a ticket, exactly once, with a link that expires after the policy's days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from premierdesk.accounts.queries import token_digest
from premierdesk.audit.models import AuditEntry
from premierdesk.customers.actions import remove_named_contact
from premierdesk.customers.models import NamedContact
from premierdesk.feedback import actions
from premierdesk.feedback.models import Invitation, SurveyPolicy
from premierdesk.feedback.tests.conftest import (
    close_by_customer,
    close_by_idle_job,
    close_by_staff,
    invitation_mails,
    token_of,
)
from premierdesk.tickets import actions as tickets
from premierdesk.tickets.hooks import ticket_closed
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def _closes(path, owned, engineer, contact, frozen):
    if path == "staff":
        close_by_staff(engineer, owned.key)
    elif path == "customer":
        close_by_customer(engineer, contact, owned.key)
    else:
        close_by_idle_job(engineer, owned.key, frozen)
    return Ticket.objects.get(pk=owned.pk)


@pytest.mark.parametrize("path", ["staff", "customer", "idle job"])
def test_each_way_of_closing_invites_the_contact_once(
    path, owned, engineer, contact, frozen, deliver_mail
):
    ticket = _closes(path, owned, engineer, contact, frozen)
    assert ticket.status == Status.CLOSED
    [invitation] = Invitation.objects.filter(ticket=ticket)
    assert invitation.contact == contact
    assert (invitation.owner, invitation.office) == (engineer, engineer.engineer.office)
    assert invitation.sent_at == ticket.closed_at
    assert invitation.expires_at == ticket.closed_at + timedelta(days=28)
    assert [m.recipient for m in invitation_mails(ticket)] == [contact.email]
    token = token_of(ticket)
    assert invitation.token_digest == token_digest(token)
    assert token not in invitation.token_digest  # only the digest is kept

    deliver_mail()
    [sent] = [m for m in mail.outbox if "How did we do?" in m.subject]
    assert sent.to == [contact.email]
    assert f"{settings.SITE_URL}/survey/{token}/" in sent.body
    assert f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC" in sent.body


def test_closing_records_the_invitation_in_the_audit_trail(closed, contact):
    entry = AuditEntry.objects.get(action="feedback.invited")
    assert (entry.actor, entry.actor_label) == (None, "survey")
    assert entry.changes["ticket"] == [None, closed.key]
    assert entry.changes["contact"] == [None, contact.email]


def test_inviting_again_adds_nothing(closed):
    first = Invitation.objects.get(ticket=closed)
    with transaction.atomic():
        again = actions.invite(closed, timezone.now())
    assert again == first
    assert Invitation.objects.count() == 1
    assert invitation_mails(closed).count() == 1
    assert AuditEntry.objects.filter(action="feedback.invited").count() == 1


def test_the_close_and_its_invitation_commit_together(owned, engineer):
    def broken(*args, **kwargs):
        raise RuntimeError("the outbox is down")

    tickets.transition(engineer, owned.key, to="resolved")
    # Another listener of the close fails after the invitation was made: both roll back.
    ticket_closed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            tickets.transition(engineer, owned.key, to="closed")
    finally:
        ticket_closed.disconnect(broken)
    assert Ticket.objects.get(pk=owned.pk).status == Status.RESOLVED
    assert not Invitation.objects.exists()


def test_resolving_or_waiting_does_not_invite(owned, engineer):
    tickets.transition(engineer, owned.key, to="resolved")
    tickets.transition(engineer, owned.key, to="waiting_for_support")
    assert not Invitation.objects.exists()


def test_the_links_lifetime_is_policy(owned, engineer):
    SurveyPolicy.objects.update_or_create(pk=1, defaults={"link_valid_days": 10})
    close_by_staff(engineer, owned.key)
    assert Invitation.objects.get().expires_at == NOW + timedelta(days=10)


def test_an_opener_no_longer_a_named_contact_is_still_invited(owned, engineer, contact):
    """Grace lived the ticket; the link shows only its key and summary."""
    window = NamedContact.objects.get(person=contact)
    remove_named_contact(contact, window.pk, "Moved to another team")
    close_by_staff(engineer, owned.key)
    assert Invitation.objects.get().contact == contact


def test_an_opener_whose_account_is_deactivated_is_not_invited(owned, engineer, contact):
    contact.is_active = False
    contact.save()
    close_by_staff(engineer, owned.key)
    assert not Invitation.objects.exists()
    assert not invitation_mails(owned).exists()
    entry = AuditEntry.objects.get(action="feedback.not_invited")
    assert contact.email in entry.reason
