"""Weekend standby rules: notice, length, the organization's weekend (daylight-saving changes
included), who may ask, confirm, decline and withdraw, and who hears of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from premierdesk.audit.models import AuditEntry
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.offices.models import Absence
from premierdesk.services import queries
from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.models import StandbyStatus
from premierdesk.services.tests.conftest import BERLIN_SEN, SEN

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
# Saturday 13 June 2026, 09:00 in New York.
SATURDAY_9 = datetime.fromisoformat("2026-06-13T09:00")  # a wall time, no zone


def ask(actor, start: str | datetime, end: str | datetime, *, sen=SEN, product="jira-software"):
    fields = standby_actions.StandbyInput(
        sen=sen,
        product=product,
        plan="Upgrade Jira Software 9.12 to 10.3 on both nodes.",
        starts_at=datetime.fromisoformat(start) if isinstance(start, str) else start,
        ends_at=datetime.fromisoformat(end) if isinstance(end, str) else end,
    )
    return standby_actions.request_standby(actor, fields)


def refusal(kind, actor, start, end, **kwargs):
    with pytest.raises(kind) as caught:
        ask(actor, start, end, **kwargs)
    return caught.value


def in_new_york(wall: datetime) -> datetime:
    return wall.replace(tzinfo=NEW_YORK).astimezone(UTC)


# Notice ------------------------------------------------------------------------------------


def test_21_days_ahead_is_accepted(frozen, contact):
    frozen.move_to(in_new_york(SATURDAY_9) - timedelta(days=21))
    standby = ask(contact, "2026-06-13T09:00", "2026-06-13T17:00")
    assert standby.status == StandbyStatus.REQUESTED
    assert (standby.starts_at, standby.ends_at) == (
        datetime(2026, 6, 13, 13, 0, tzinfo=UTC),
        datetime(2026, 6, 13, 21, 0, tzinfo=UTC),
    )


def test_20_days_ahead_is_refused_with_the_earliest_window(frozen, contact):
    frozen.move_to(in_new_york(SATURDAY_9) - timedelta(days=21) + timedelta(minutes=1))
    refused = refusal(InvalidInput, contact, "2026-06-13T09:00", "2026-06-13T17:00")
    assert refused.detail == (
        "Asked 20 days ahead; standby needs 21. The earliest window you can ask for runs from "
        "Saturday 13 June 09:01 to Saturday 13 June 17:01 (America/New_York)."
    )
    assert [e.field for e in refused.errors] == ["starts_at"]


def test_too_soon_names_the_next_weekend_that_can_be_asked_for(contact):
    # Now is Wednesday 20 May; 21 days on is Wednesday 10 June.
    refused = refusal(InvalidInput, contact, "2026-06-06T09:00", "2026-06-06T17:00")
    assert refused.detail == (
        "Asked 17 days ahead; standby needs 21. The earliest window you can ask for runs from "
        "Saturday 13 June 00:00 to Saturday 13 June 08:00 (America/New_York)."
    )


def test_the_notice_is_policy(contact):
    from premierdesk.services.models import ServicePolicy

    policy = ServicePolicy.current()
    policy.standby_notice_days = 14
    policy.save()
    assert ask(contact, "2026-06-06T09:00", "2026-06-06T17:00").pk


# Length and the weekend ------------------------------------------------------------------


def test_eight_hours_are_accepted_eight_hours_and_a_minute_refused(contact):
    assert ask(contact, "2026-06-13T09:00", "2026-06-13T17:00").pk
    refused = refusal(InvalidInput, contact, "2026-06-20T09:00", "2026-06-20T17:01")
    assert refused.detail == (
        "A standby window lasts at most 8 hours of real (elapsed) time; this one lasts "
        "8 h 01 min. The earliest window you can ask for runs from Saturday 20 June 09:00 to "
        "Saturday 20 June 17:00 (America/New_York)."
    )
    assert [e.field for e in refused.errors] == ["ends_at"]


def test_a_window_crossing_into_monday_is_refused(contact):
    refused = refusal(InvalidInput, contact, "2026-06-14T20:00", "2026-06-15T02:00")
    assert refused.detail == (
        "A window must end by Monday 00:00 (America/New_York); this one ends Monday 15 June "
        "02:00. The earliest window you can ask for runs from Sunday 14 June 20:00 to Monday "
        "15 June 00:00 (America/New_York)."
    )
    assert ask(contact, "2026-06-14T20:00", "2026-06-15T00:00").pk


def test_a_weekday_window_is_refused(contact):
    refused = refusal(InvalidInput, contact, "2026-06-12T20:00", "2026-06-12T23:00")
    assert refused.detail.startswith(
        "Standby is for weekends: Friday 12 June 20:00 is not between Saturday 00:00 and "
        "Monday 00:00 in America/New_York. The earliest window you can ask for runs from "
        "Saturday 13 June 00:00"
    )


def test_a_window_must_end_after_it_starts(contact):
    refused = refusal(InvalidInput, contact, "2026-06-13T09:00", "2026-06-13T09:00")
    assert refused.detail.startswith("The window must end after it starts.")


def test_the_weekend_is_the_organizations_not_utc(contact):
    # Saturday 00:00 in New York is 04:00 UTC; Friday 23:00 in New York is refused although
    # it is Saturday in UTC.
    refusal(InvalidInput, contact, "2026-06-12T23:00", "2026-06-13T01:00")
    standby = ask(contact, "2026-06-13T00:00", "2026-06-13T02:00")
    assert standby.starts_at == datetime(2026, 6, 13, 4, 0, tzinfo=UTC)


def test_a_time_with_an_offset_is_taken_as_given(contact):
    start = datetime(2026, 6, 13, 13, 0, tzinfo=UTC)
    standby = ask(contact, start, start + timedelta(hours=8))
    assert standby.starts_at == start


# Daylight-saving changes (Europe/Berlin) --------------------------------------------------


def test_spring_forward_eight_elapsed_hours_span_nine_on_the_clock(berlin_contact):
    # Sunday 29 March 2026: 02:00 becomes 03:00.
    standby = ask(berlin_contact, "2026-03-29T00:00", "2026-03-29T09:00", sen=BERLIN_SEN)
    assert standby.ends_at - standby.starts_at == timedelta(hours=8)
    refused = refusal(
        InvalidInput, berlin_contact, "2026-03-28T20:00", "2026-03-29T05:01", sen=BERLIN_SEN
    )
    assert "this one lasts 8 h 01 min" in refused.detail


def test_fall_back_eight_hours_on_the_clock_are_nine_elapsed(frozen, berlin_contact):
    frozen.move_to(datetime(2026, 9, 1, tzinfo=UTC))
    # Sunday 25 October 2026: 03:00 becomes 02:00.
    standby = ask(berlin_contact, "2026-10-25T00:00", "2026-10-25T07:00", sen=BERLIN_SEN)
    assert standby.ends_at - standby.starts_at == timedelta(hours=8)
    refused = refusal(
        InvalidInput, berlin_contact, "2026-10-25T00:00", "2026-10-25T08:00", sen=BERLIN_SEN
    )
    assert "this one lasts 9 h 00 min" in refused.detail


def test_a_wall_time_the_clocks_skip_is_refused(berlin_contact):
    refused = refusal(
        InvalidInput, berlin_contact, "2026-03-29T02:30", "2026-03-29T08:00", sen=BERLIN_SEN
    )
    assert refused.detail.startswith(
        "The start 2026-03-29T02:30 does not exist in Europe/Berlin (the clocks go forward)"
    )
    assert [e.field for e in refused.errors] == ["starts_at"]


def test_a_wall_time_that_happens_twice_names_both_offsets(frozen, berlin_contact):
    frozen.move_to(datetime(2026, 9, 1, tzinfo=UTC))
    refused = refusal(
        InvalidInput, berlin_contact, "2026-10-25T00:00", "2026-10-25T02:30", sen=BERLIN_SEN
    )
    assert refused.detail == (
        "The end 2026-10-25T02:30 happens twice in Europe/Berlin (the clocks go back); add the "
        "offset you mean: 2026-10-25T02:30+02:00 or 2026-10-25T02:30+01:00."
    )
    assert [e.field for e in refused.errors] == ["ends_at"]


# Who may ask ------------------------------------------------------------------------------


def test_only_named_contacts_ask(license, contact, participant):
    refused = refusal(NotAllowed, participant, "2026-06-13T09:00", "2026-06-13T17:00")
    assert refused.detail == (
        f"Only the named contacts of {license.organization}'s licenses can ask for weekend "
        f"standby: Grace Hopper <{contact.email}>. You take part in tickets others opened; to "
        "ask for weekend standby, ask your organization's technical contact to add you as a "
        "named contact."
    )


def test_staff_do_not_ask(contact, support_manager):
    refusal(NotAllowed, support_manager, "2026-06-13T09:00", "2026-06-13T17:00")


def test_another_organizations_sen_is_unknown(contact, kestrel_contact):
    refused = refusal(NotFound, kestrel_contact, "2026-06-13T09:00", "2026-06-13T17:00")
    assert refused.detail.startswith(f"No license has the SEN {SEN}.")


def test_the_product_must_be_on_the_license(contact):
    refused = refusal(Conflict, contact, "2026-06-13T09:00", "2026-06-13T17:00", product="bamboo")
    assert [e.field for e in refused.errors] == ["product"]


def test_the_license_must_cover_the_weekend(contact, license):
    license.valid_until = license.valid_from + timedelta(days=100)
    license.save()
    refused = refusal(Conflict, contact, "2026-06-13T09:00", "2026-06-13T17:00")
    assert "does not cover the window's weekend" in refused.detail


def test_a_plan_is_required(contact):
    fields = standby_actions.StandbyInput(
        sen=SEN,
        product="jira-software",
        plan="  ",
        starts_at=SATURDAY_9,
        ends_at=SATURDAY_9 + timedelta(hours=4),
    )
    with pytest.raises(InvalidInput) as caught:
        standby_actions.request_standby(contact, fields)
    assert [e.field for e in caught.value.errors] == ["plan"]


def test_a_request_is_audited_and_support_managers_hear_of_it(
    contact, support_manager, deliver_mail
):
    deliver_mail()
    mail.outbox.clear()
    standby = ask(contact, "2026-06-13T09:00", "2026-06-13T17:00")
    entry = AuditEntry.objects.get(action="services.standby_requested")
    assert (entry.actor, entry.object_id) == (contact, str(standby.pk))
    deliver_mail()
    (message,) = mail.outbox
    assert message.to == [support_manager.email]
    assert "Saturday 13 June 2026 09:00 to Saturday 13 June 2026 17:00 (America/New_York)" in (
        message.body
    )


# Confirm, decline, withdraw ------------------------------------------------------------------


@pytest.fixture
def standby(contact):
    return ask(contact, "2026-06-13T09:00", "2026-06-13T17:00")


def test_a_support_manager_confirms_with_a_skilled_engineer(
    standby, support_manager, jira_engineer, contact, deliver_mail
):
    deliver_mail()
    mail.outbox.clear()
    confirmed = standby_actions.confirm_standby(
        support_manager, standby.pk, engineer=jira_engineer.user.email
    )
    assert (confirmed.status, confirmed.engineer) == (StandbyStatus.CONFIRMED, jira_engineer)
    assert confirmed.sequence == 1
    entry = AuditEntry.objects.get(action="services.standby_confirmed")
    assert entry.changes["engineer"] == [None, jira_engineer.user.email]
    deliver_mail()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([contact.email, jira_engineer.user.email])
    assert "Sanne de Vries (Amsterdam)" in mail.outbox[0].body


def test_only_a_support_manager_confirms(standby, jira_engineer, contact):
    for actor in (jira_engineer.user, contact):
        with pytest.raises(NotAllowed):
            standby_actions.confirm_standby(actor, standby.pk, engineer=jira_engineer.user.email)


def test_the_engineer_must_have_the_skill(standby, support_manager, other_engineer, products):
    other_engineer.skills.set([products["confluence"]])
    with pytest.raises(Conflict, match="Priya Raman is not skilled in Jira Software"):
        standby_actions.confirm_standby(
            support_manager, standby.pk, engineer=other_engineer.user.email
        )


def test_an_absent_engineer_is_refused(standby, support_manager, jira_engineer):
    Absence.objects.create(
        engineer=jira_engineer,
        starts_at=standby.starts_at + timedelta(hours=7),
        ends_at=standby.ends_at + timedelta(days=3),
        reason="Leave",
    )
    with pytest.raises(Conflict, match="Sanne de Vries is absent during the window"):
        standby_actions.confirm_standby(
            support_manager, standby.pk, engineer=jira_engineer.user.email
        )


def test_an_engineer_on_another_overlapping_standby_is_refused(
    standby, contact, support_manager, jira_engineer, other_engineer
):
    standby_actions.confirm_standby(support_manager, standby.pk, engineer=jira_engineer.user.email)
    overlapping = ask(contact, "2026-06-13T16:00", "2026-06-13T20:00")
    with pytest.raises(Conflict, match=f"already on standby {standby.key}"):
        standby_actions.confirm_standby(
            support_manager, overlapping.pk, engineer=jira_engineer.user.email
        )
    # Back to back is fine, and another engineer is free.
    following = ask(contact, "2026-06-13T17:00", "2026-06-13T20:00")
    standby_actions.confirm_standby(
        support_manager, following.pk, engineer=jira_engineer.user.email
    )
    standby_actions.confirm_standby(
        support_manager, overlapping.pk, engineer=other_engineer.user.email
    )


def test_a_confirmed_standby_is_not_confirmed_again(standby, support_manager, jira_engineer):
    standby_actions.confirm_standby(support_manager, standby.pk, engineer=jira_engineer.user.email)
    with pytest.raises(Conflict, match="is confirmed"):
        standby_actions.confirm_standby(
            support_manager, standby.pk, engineer=jira_engineer.user.email
        )


def test_an_unknown_engineer_is_refused(standby, support_manager):
    with pytest.raises(InvalidInput) as caught:
        standby_actions.confirm_standby(
            support_manager, standby.pk, engineer="nobody@premier.example"
        )
    assert [e.field for e in caught.value.errors] == ["engineer"]


def test_declining_needs_a_reason_the_customer_reads(
    standby, support_manager, contact, deliver_mail
):
    with pytest.raises(InvalidInput):
        standby_actions.decline_standby(support_manager, standby.pk, reason=" ")
    deliver_mail()
    mail.outbox.clear()
    declined = standby_actions.decline_standby(
        support_manager, standby.pk, reason="No Jira engineer is free that weekend."
    )
    assert declined.status == StandbyStatus.DECLINED
    deliver_mail()
    (message,) = mail.outbox
    assert message.to == [contact.email]
    assert "No Jira engineer is free that weekend." in message.body


def test_the_requester_withdraws_before_it_starts(
    frozen, standby, contact, second_contact, support_manager, jira_engineer, deliver_mail
):
    standby_actions.confirm_standby(support_manager, standby.pk, engineer=jira_engineer.user.email)
    with pytest.raises(NotAllowed, match="Only Grace Hopper, who asked"):
        standby_actions.withdraw_standby(second_contact, standby.pk)
    deliver_mail()
    mail.outbox.clear()
    withdrawn = standby_actions.withdraw_standby(contact, standby.pk, reason="Upgrade postponed")
    assert (withdrawn.status, withdrawn.sequence) == (StandbyStatus.WITHDRAWN, 2)
    deliver_mail()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [support_manager.email, jira_engineer.user.email]
    )
    with pytest.raises(Conflict, match="is withdrawn"):
        standby_actions.withdraw_standby(contact, standby.pk)


def test_nothing_changes_once_the_window_has_begun(frozen, standby, contact, support_manager):
    frozen.move_to(standby.starts_at)
    with pytest.raises(Conflict, match="has already begun"):
        standby_actions.withdraw_standby(contact, standby.pk)
    with pytest.raises(Conflict, match="has already begun"):
        standby_actions.decline_standby(support_manager, standby.pk, reason="Too late")


def test_another_customer_cannot_reach_a_request(standby, kestrel_contact):
    with pytest.raises(NotFound):
        queries.readable_standby(kestrel_contact, standby.pk)
    with pytest.raises(NotFound):
        standby_actions.withdraw_standby(kestrel_contact, standby.pk)
