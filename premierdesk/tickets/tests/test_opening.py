"""Opening a ticket: who may, each refusal with its sentence, and the draft kept for the author."""

from __future__ import annotations

import datetime as dt
from datetime import time

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.catalog.models import Offering
from premierdesk.customers import actions as customer_actions
from premierdesk.customers.models import ContactRole, LicenseContact
from premierdesk.customers.tests.factories import LicenseFactory, add_approved
from premierdesk.lib.errors import ActionError, Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.offices.tests.factories import EngineerFactory
from premierdesk.offices.tests.test_routing import office_with_hours
from premierdesk.tickets.models import Draft, EventKind, Status
from premierdesk.tickets.rules import may_open_ticket
from premierdesk.tickets.tests.conftest import NOW, SEN
from premierdesk.tickets.tests.factories import open_ticket

pytestmark = pytest.mark.django_db


def test_a_named_contact_opens_a_ticket(contact, license):
    ticket = open_ticket(contact, SEN, level="L1", summary="  Jira is down  ")
    assert ticket.key == f"PS-{ticket.pk}"
    assert (ticket.status, ticket.level, ticket.summary) == (
        Status.WAITING_FOR_SUPPORT,
        "L1",
        "Jira is down",
    )
    assert (ticket.organization, ticket.license, ticket.opened_at) == (
        license.organization,
        license,
        NOW,
    )
    assert [e.kind for e in ticket.events.all()] == [EventKind.OPENED]
    entry = AuditEntry.objects.get(action="tickets.opened")
    assert entry.actor == contact
    assert entry.changes["key"] == [None, ticket.key]


def refused(author, kind, match, **fields) -> ActionError:
    with pytest.raises(kind, match=match) as caught:
        open_ticket(author, fields.pop("sen", SEN), **fields)
    return caught.value


def test_someone_who_is_not_a_named_contact_is_told_whom_to_ask(contact, license, participant):
    technical = UserFactory.create(
        full_name="Tom Tech", role=Role.CUSTOMER, organization=license.organization
    )
    LicenseContact.objects.create(
        license=license, person=technical, role=ContactRole.TECHNICAL, is_primary=True
    )
    refusal = refused(participant, NotAllowed, "Only the named contacts")
    assert refusal.detail == (
        f"Only the named contacts of {license.organization}'s licenses can open Premier "
        f"tickets: Grace Hopper <{contact.email}>. You take part in tickets others "
        "opened; to open Premier tickets, ask your organization's technical contact (Tom Tech "
        f"<{technical.email}>) to add you as a named contact."
    )
    assert Draft.objects.filter(author=participant).exists()


def test_a_named_contact_no_longer_may_open_one(contact, license, manager):
    window = license.named_contacts.get(person=contact)
    customer_actions.remove_named_contact(manager, window.pk)
    assert not may_open_ticket(contact, NOW)
    refused(contact, NotAllowed, "there are none at the moment")


def test_the_refused_draft_is_kept_for_its_author(contact, participant):
    refusal = refused(participant, NotAllowed, "Only the named contacts", summary="DB is slow")
    draft = Draft.objects.get(author=participant)
    assert refusal.extra == {"draft_id": draft.pk}
    assert draft.fields["summary"] == "DB is slow"
    assert draft.fields["description"].startswith("Since the upgrade")
    assert draft.refusal == refusal.detail
    assert AuditEntry.objects.filter(action="tickets.draft_kept", actor=participant).count() == 1


def test_a_named_contact_on_leave_cannot_open_one_while_covered(
    contact, license, manager, participant
):

    window = license.named_contacts.get(person=contact)
    cover = customer_actions.request_cover(
        manager,
        SEN,
        covered_id=window.pk,
        email=participant.email,
        starts_at=NOW,
        ends_at=NOW + dt.timedelta(days=7),
    )
    customer_actions.approve_change(manager, cover.pk)
    refused(contact, NotAllowed, f"{participant.full_name} <{participant.email}>")
    assert open_ticket(participant, SEN).opened_by == participant


def test_uncovered_product_is_refused_with_its_reason(contact):
    refused(contact, Conflict, "Opsgenie is not covered by Premier Support", product="opsgenie")


def test_product_not_on_the_license_is_refused(contact):
    refused(contact, Conflict, f"{SEN} does not cover Bamboo Data Center", product="bamboo")


def test_unknown_product_is_refused_on_its_field(contact):
    refusal = refused(
        contact, InvalidInput, "There is no product 'jira-cloudy'", product="jira-cloudy"
    )
    assert [e.field for e in refusal.errors] == ["product"]


def test_expired_license_is_refused(contact, license):
    license.valid_until = dt.date(2026, 5, 3)
    license.save()
    refused(
        contact, Conflict, f"{SEN} is valid from 2026-01-01 to 2026-05-03; it does not cover today"
    )


def test_a_select_license_does_not_open_premier_tickets(contact, license):
    license.offering = Offering.objects.create(slug="select", name="Select")
    license.save()
    refused(contact, Conflict, f"{SEN} is a Select license; Premier tickets need a Premier license")


def test_l1_is_only_for_production(contact):
    refusal = refused(
        contact,
        InvalidInput,
        "L1 critical is for production systems",
        level="L1",
        environment="staging",
    )
    assert [e.field for e in refusal.errors] == ["level"]


def test_another_customers_sen_answers_as_unknown(contact, other_customer):
    refused(other_customer, NotFound, f"No license has the SEN {SEN}")


def test_staff_do_not_open_premier_tickets(contact, engineer):
    refused(engineer, NotAllowed, "opened by the customer's named contacts")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("summary", "Give a summary"),
        ("description", "Give a description"),
        ("product_version", "Give the product version"),
    ],
)
def test_empty_text_is_refused_on_its_field(contact, field, message):
    refusal = refused(contact, InvalidInput, message, **{field: "  "})
    assert [e.field for e in refusal.errors] == [field]


def test_nothing_is_created_by_a_refusal_but_the_draft(contact, participant):
    refused(participant, NotAllowed, "Only the named contacts")
    from premierdesk.tickets.models import Ticket

    assert Ticket.objects.count() == 0
    assert Draft.objects.count() == 1


def test_a_named_contact_of_a_second_license_uses_that_one(
    contact, northwind, manager, products, participant
):
    second = LicenseFactory.create(organization=northwind, sen="SEN-2000002")
    second.products.set([products["bamboo"]])
    add_approved(second, manager, manager, participant.email)
    assert open_ticket(participant, second.sen, product="bamboo").license == second
    refused(participant, NotAllowed, "Only the named contacts of SEN-2000001")


def test_a_new_ticket_is_routed_to_its_owner(contact, products):
    sydney = office_with_hours("Sydney", "Australia/Sydney", time(8), time(18))
    olivia = EngineerFactory.create(office=sydney, user__full_name="Olivia Nguyen")
    olivia.skills.set([products["jira-software"]])
    # NOW is Monday 09:00 UTC: 19:00 in Sydney, closed; Sydney opens again first.
    ticket = open_ticket(contact, SEN)
    assert (ticket.owner, ticket.office) == (olivia.user, sydney)
    routed = ticket.events.get(kind=EventKind.OWNER_CHANGED)
    assert routed.actor is None
    assert routed.data["reason"] == "Sydney comes on duty first"
