"""Fixtures for the survey tests, which run like the ticket tests (at their NOW, with the ticket
fixtures of ``premierdesk.testing.fixtures``: Northwind's license, Grace and her ticket): an
owner in Sydney whose office has a lead, and helpers that close a ticket by each path and read
the link from the invitation e-mail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from premierdesk.accounts.models import User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.notifications.models import OutboxMessage
from premierdesk.testing.fixtures import NOW, attachments_in_test_folder, frozen_at
from premierdesk.tickets import actions as tickets
from premierdesk.tickets.models import Ticket, TicketPolicy

frozen = frozen_at(NOW)
attachments_dir = attachments_in_test_folder()

LINK = re.compile(r"/survey/([A-Za-z0-9_-]+)/")


@pytest.fixture
def lead(db):
    return UserFactory.create(full_name="Liam Lead", email="lead.sydney@premier.example")


@pytest.fixture
def owned(ticket, engineer, lead):
    """Grace's ticket, owned by Olivia (Sydney), whose office Liam leads."""
    office = engineer.engineer.office
    office.lead = lead
    office.save()
    if ticket.owner_id != engineer.pk:
        tickets.assign_owner(engineer, ticket.key, owner_email=engineer.email)
    return Ticket.objects.get(pk=ticket.pk)


def close_by_staff(staff: User, key: str) -> None:
    tickets.transition(staff, key, to="resolved")
    tickets.transition(staff, key, to="closed")


def close_by_customer(staff: User, customer: User, key: str) -> None:
    tickets.transition(staff, key, to="resolved")
    tickets.transition(customer, key, to="closed")


def close_by_idle_job(staff: User, key: str, frozen) -> None:
    """Waiting for the customer, then the policy's days twice: inactive, then closed."""
    tickets.transition(staff, key, to="waiting_for_customer")
    policy = TicketPolicy.current()
    for days in (policy.inactive_after_days, policy.close_inactive_after_days):
        frozen.shift(timedelta(days=days, seconds=1))
        tickets.advance_idle_tickets(timezone.now())


def invitation_mails(ticket: Ticket):
    return OutboxMessage.objects.filter(event_key=f"feedback.invitation:{ticket.pk}")


def token_of(ticket: Ticket) -> str:
    """The token in the link of the ticket's invitation e-mail (only its digest is stored)."""
    [message] = invitation_mails(ticket)
    found = LINK.search(message.body)
    assert found is not None, message.body
    return found.group(1)


@pytest.fixture
def closed(owned, engineer):
    """Grace's ticket closed by Olivia at NOW."""
    close_by_staff(engineer, owned.key)
    return Ticket.objects.get(pk=owned.pk)


@pytest.fixture
def token(closed):
    return token_of(closed)
