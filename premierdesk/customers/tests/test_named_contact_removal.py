"""Removing a named contact takes their covers with them: the covers standing in for them and
the covers they were providing, said in the audit entry and the e-mails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from premierdesk.audit.models import AuditEntry
from premierdesk.customers import actions, queries
from premierdesk.customers.models import ChangeStatus, NamedContact
from premierdesk.customers.tests.factories import add_approved
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

frozen = frozen_at(NOW)


def cover(license, technical, manager, covered, email, starts_at, ends_at, approve=True):
    change = actions.request_cover(
        technical,
        license.sen,
        covered_id=covered.pk,
        email=email,
        full_name=email.split("@")[0].title(),
        starts_at=starts_at,
        ends_at=ends_at,
    )
    return actions.approve_change(manager, change.pk) if approve else change


def fresh(window):
    return NamedContact.objects.get(pk=window.pk)


def test_removing_a_person_on_leave_ends_their_running_cover_and_frees_the_slot(
    license, technical, manager, frozen
):
    on_leave = add_approved(license, technical, manager, "onleave@northwind.example")
    add_approved(license, technical, manager, "b@northwind.example")
    add_approved(license, technical, manager, "c@northwind.example")
    stand_in = cover(
        license,
        technical,
        manager,
        on_leave,
        "stand.in@northwind.example",
        NOW,
        NOW + timedelta(days=7),
    )
    frozen.shift(timedelta(days=1))
    now = NOW + timedelta(days=1)
    actions.remove_named_contact(technical, on_leave.pk, "left the company")

    assert fresh(stand_in).ends_at == now  # nobody to stand in for any more
    assert fresh(stand_in).removed_by == technical
    newcomer = actions.request_named_contact(
        technical, license.sen, email="d@northwind.example", full_name="D"
    )
    actions.approve_change(manager, newcomer.pk)  # was refused: the cover held the slot
    emails = {c.person_email for c in queries.active_contacts(license, now)}
    assert emails == {"b@northwind.example", "c@northwind.example", "d@northwind.example"}


def test_upcoming_and_pending_covers_for_the_removed_person_are_withdrawn(
    license, technical, manager
):
    on_leave = add_approved(license, technical, manager, "onleave@northwind.example")
    later = cover(
        license,
        technical,
        manager,
        on_leave,
        "later@northwind.example",
        NOW + timedelta(days=3),
        NOW + timedelta(days=5),
    )
    asked = cover(
        license,
        technical,
        manager,
        on_leave,
        "asked@northwind.example",
        NOW + timedelta(days=10),
        NOW + timedelta(days=12),
        approve=False,
    )
    actions.remove_named_contact(technical, on_leave.pk, "left the company")
    assert fresh(later).status == ChangeStatus.WITHDRAWN
    assert fresh(asked).status == ChangeStatus.WITHDRAWN
    assert queries.windows_of(license, since=NOW + timedelta(seconds=1)) == []


def test_removing_a_person_ends_the_covers_they_provide_and_the_audit_and_mail_say_so(
    license, technical, manager, frozen, deliver_mail
):
    away = add_approved(license, technical, manager, "away@northwind.example")
    helper = cover(
        license, technical, manager, away, "helper@northwind.example", NOW, NOW + timedelta(days=2)
    )
    # The helper is also asked to cover next week (their windows must not overlap).
    next_week = cover(
        license,
        technical,
        manager,
        away,
        "helper@northwind.example",
        NOW + timedelta(days=7),
        NOW + timedelta(days=9),
        approve=False,
    )
    frozen.shift(timedelta(hours=3))
    deliver_mail()
    mail.outbox.clear()
    actions.remove_named_contact(technical, helper.pk, "no longer with us")

    assert fresh(helper).ends_at == NOW + timedelta(hours=3)
    assert fresh(next_week).status == ChangeStatus.WITHDRAWN  # they are gone from the license
    active = {c.person_email for c in queries.active_contacts(license, NOW + timedelta(hours=3))}
    assert active == {"away@northwind.example"}  # back in their own slot

    entry = AuditEntry.objects.filter(
        action="customers.named_contact_removed", object_id=str(helper.pk)
    ).get()
    assert entry.changes["went_with_it"][1] == [
        f"cover by helper@northwind.example for away@northwind.example (window {next_week.pk}):"
        " withdrawn"
    ]
    assert AuditEntry.objects.filter(
        action="customers.named_contact_removed", object_id=str(next_week.pk)
    ).exists()

    deliver_mail()
    bodies: dict[str, list[str]] = {}
    for message in mail.outbox:
        for to in message.to:
            bodies.setdefault(to, []).append(str(message.body))
    assert any("With it went:" in body for body in bodies["helper@northwind.example"])
    # The person on leave hears their cover is over and that they hold their slot again.
    back = "holds their named-contact slot again"
    assert any(back in body for body in bodies["away@northwind.example"])
    subjects = {str(m.subject) for m in mail.outbox}
    assert "[SEN-1234567] Helper's cover for Away is over" in subjects


def test_withdrawing_an_upcoming_window_leaves_the_persons_running_window_alone(
    license, technical, manager
):
    now_window = add_approved(
        license, technical, manager, "temp@northwind.example", ends_at=NOW + timedelta(days=2)
    )
    later = actions.request_named_contact(
        technical,
        license.sen,
        email="temp@northwind.example",
        starts_at=NOW + timedelta(days=5),
    )
    actions.remove_named_contact(technical, later.pk)
    assert fresh(later).status == ChangeStatus.WITHDRAWN
    assert fresh(now_window).ends_at == NOW + timedelta(days=2)
