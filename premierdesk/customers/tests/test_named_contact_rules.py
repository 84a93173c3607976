"""Named-contact rules, one refusal at a time, each with the sentence the person reads."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import pytest

from premierdesk.accounts.models import Role, User
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.customers import actions, queries
from premierdesk.customers.models import ChangeStatus
from premierdesk.customers.rules import named_contact_licenses
from premierdesk.customers.tests.factories import add_approved
from premierdesk.lib import readings
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

frozen = frozen_at(NOW)


def test_addition_waits_for_approval_then_counts(license, technical, manager):
    change = actions.request_named_contact(
        technical,
        license.sen,
        email="new@northwind.example",
        full_name="New Person",
        reason="joins the platform team",
    )
    assert change.status == ChangeStatus.PENDING
    assert queries.active_contacts(license, NOW) == []
    assert not User.objects.filter(email="new@northwind.example").exists()  # made on approval
    actions.approve_change(manager, change.pk)
    invited = User.objects.get(email="new@northwind.example")
    assert invited.organization == license.organization
    assert not invited.has_usable_password()  # must create their account before signing in
    assert [c.person_email for c in queries.active_contacts(license, NOW)] == [invited.email]
    entries = AuditEntry.objects.filter(object_type="customers.namedcontact")
    assert list(entries.values_list("action", flat=True).order_by("id")) == [
        "customers.named_contact_requested",
        "customers.named_contact_approved",
    ]
    assert entries.order_by("id")[0].actor == technical


def test_fourth_contact_is_refused_naming_the_three_and_when_a_slot_frees(
    license, technical, manager
):
    add_approved(license, technical, manager, "a@northwind.example")
    add_approved(license, technical, manager, "b@northwind.example")
    add_approved(
        license, technical, manager, "c@northwind.example", ends_at=NOW + timedelta(days=10)
    )
    fourth = actions.request_named_contact(
        technical, license.sen, email="d@northwind.example", full_name="D"
    )
    with pytest.raises(Conflict) as refused:
        actions.approve_change(manager, fourth.pk)
    message = refused.value.detail
    assert "SEN-1234567 has 3 named-contact slots" in message
    assert "a@northwind.example, b@northwind.example, c@northwind.example" in message
    assert "A slot frees up at 2026-05-14 09:00 UTC." in message


def test_replace_yourself_add_first_then_remove_yourself(license, technical, manager):
    for name in ("a", "b"):
        add_approved(license, technical, manager, f"{name}@northwind.example")
    leaving = add_approved(license, technical, manager, "leaving@northwind.example").pk
    leaver = User.objects.get(email="leaving@northwind.example")
    replacement = actions.request_named_contact(
        leaver, license.sen, email="successor@northwind.example", full_name="Successor"
    )
    with pytest.raises(Conflict):
        actions.approve_change(manager, replacement.pk)  # still full
    actions.remove_named_contact(leaver, leaving, reason="moving on")
    actions.approve_change(manager, replacement.pk)
    emails = {c.person_email for c in queries.active_contacts(license, NOW)}
    assert "successor@northwind.example" in emails
    assert "leaving@northwind.example" not in emails


def test_temporary_cover_swaps_both_and_flips_back_by_itself(license, technical, manager, frozen):
    on_leave = add_approved(license, technical, manager, "onleave@northwind.example").pk
    add_approved(license, technical, manager, "b@northwind.example")
    add_approved(license, technical, manager, "c@northwind.example")
    start, end = NOW + timedelta(days=1), NOW + timedelta(days=8)
    cover = actions.request_cover(
        technical,
        license.sen,
        covered_id=on_leave,
        email="stand.in@northwind.example",
        full_name="Stand In",
        starts_at=start,
        ends_at=end,
    )
    actions.approve_change(manager, cover.pk)  # fits: the cover suspends the person on leave

    def active(at):
        return {c.person_email for c in queries.active_contacts(license, at)}

    assert "onleave@northwind.example" in active(NOW)
    assert "stand.in@northwind.example" not in active(NOW)
    assert "stand.in@northwind.example" in active(start)
    assert "onleave@northwind.example" not in active(start)
    assert "onleave@northwind.example" in active(end)  # no job ran: derived from the windows
    assert "stand.in@northwind.example" not in active(end)


def test_only_contacts_of_the_sen_and_its_manager_may_change_it(
    license, participant, other_customer, engineer_sydney
):
    for outsider in (participant, engineer_sydney):
        with pytest.raises(NotAllowed, match="Only the named, billing and technical contacts"):
            actions.request_named_contact(outsider, license.sen, email=participant.email)
    # To another customer the SEN looks unknown: nothing about Northwind leaks.
    with pytest.raises(NotFound, match=f"No license has the SEN {license.sen}"):
        actions.request_named_contact(other_customer, license.sen, email=participant.email)


def test_only_the_enterprise_manager_or_an_administrator_approves(license, technical):
    change = actions.request_named_contact(
        technical, license.sen, email="x@northwind.example", full_name="X"
    )
    other_manager = UserFactory.create(role=Role.ENTERPRISE_MANAGER)
    for person in (technical, other_manager):
        with pytest.raises(NotAllowed, match="enterprise manager or an administrator"):
            actions.approve_change(person, change.pk)
    admin = UserFactory.create(role=Role.ADMINISTRATOR)
    assert actions.approve_change(admin, change.pk).status == ChangeStatus.APPROVED


def test_unknown_sen_says_what_a_sen_looks_like(technical):
    with pytest.raises(NotFound, match=r"No license has the SEN SEN-999\. .* SEN-1234567"):
        actions.request_named_contact(technical, "SEN-999", email="x@northwind.example")


def test_expired_license_is_refused(license, technical):
    license.valid_until = dt.date(2026, 5, 3)
    license.save()
    with pytest.raises(Conflict, match="SEN-1234567 expired on 2026-05-03"):
        actions.request_named_contact(technical, license.sen, email="x@northwind.example")


def test_overlapping_windows_of_one_person_are_refused(license, technical, manager):
    add_approved(license, technical, manager, "a@northwind.example")
    with pytest.raises(Conflict, match="windows of one person must not overlap"):
        actions.request_named_contact(
            technical,
            license.sen,
            email="a@northwind.example",
            starts_at=NOW + timedelta(days=3),
            ends_at=NOW + timedelta(days=5),
        )


def test_people_of_another_organization_cannot_be_added(license, technical, other_customer):
    with pytest.raises(InvalidInput, match="is not a person of Northwind Logistics"):
        actions.request_named_contact(technical, license.sen, email=other_customer.email)


def test_decline_needs_a_reason_and_is_final(license, technical, manager):
    change = actions.request_named_contact(
        technical, license.sen, email="x@northwind.example", full_name="X"
    )
    with pytest.raises(InvalidInput, match="Say why"):
        actions.decline_change(manager, change.pk, " ")
    actions.decline_change(manager, change.pk, "not on the project")
    with pytest.raises(Conflict, match="already declined"):
        actions.approve_change(manager, change.pk)


def test_refusals_give_their_times_in_the_persons_own_zone(license, technical, manager):
    """The page shows the person's zone, so the refusal beside it does too, naming it."""
    manager.time_zone = "Australia/Sydney"
    manager.save()
    technical.time_zone = "America/New_York"
    technical.save()
    add_approved(license, technical, manager, "a@northwind.example")
    add_approved(license, technical, manager, "b@northwind.example")
    add_approved(
        license, technical, manager, "c@northwind.example", ends_at=NOW + timedelta(days=10)
    )
    fourth = actions.request_named_contact(
        technical, license.sen, email="d@northwind.example", full_name="D"
    )
    with pytest.raises(Conflict) as refused:
        actions.approve_change(manager, fourth.pk)
    assert "all are taken at 2026-05-04 19:00 Australia/Sydney by" in refused.value.detail
    assert "A slot frees up at 2026-05-14 19:00 Australia/Sydney." in refused.value.detail
    with pytest.raises(Conflict) as overlapping:
        actions.request_named_contact(
            technical, license.sen, email="c@northwind.example", starts_at=NOW + timedelta(days=1)
        )
    assert (
        "already has a named-contact window on SEN-1234567 from 2026-05-04 05:00 "
        "America/New_York to 2026-05-14 05:00 America/New_York"
    ) in overlapping.value.detail


def test_one_reading_reads_who_is_a_named_contact_once_for_its_moment(
    license, technical, manager, django_assert_num_queries
):
    window = add_approved(
        license, technical, manager, "brief@northwind.example", ends_at=NOW + timedelta(days=1)
    )
    person = window.person
    assert person is not None
    with readings.one_reading():
        assert named_contact_licenses(person, NOW) == [license.pk]
        with django_assert_num_queries(0):  # the same moment, a few milliseconds on
            assert named_contact_licenses(person, NOW + timedelta(milliseconds=40)) == [license.pk]
        assert named_contact_licenses(person, NOW + timedelta(days=2)) == []  # another moment
    assert named_contact_licenses(person, NOW + timedelta(days=2)) == []
