"""Calendar feeds: they parse back with icalendar, carry confirmed windows in UTC with a
stable UID, their reminders, and cancellations; tokens are hashed, rotated, and open only the
feeds their owner may read (anything else is a 404)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from icalendar import Calendar

from premierdesk.accounts.queries import token_digest
from premierdesk.audit.models import AuditEntry
from premierdesk.services.actions import feeds as feed_actions
from premierdesk.services.actions import standby as standby_actions
from premierdesk.services.models import FeedToken
from premierdesk.services.tests.conftest import SEN

pytestmark = pytest.mark.django_db


def ask(contact, day: str, start: str = "09:00", end: str = "17:00"):
    return standby_actions.request_standby(
        contact,
        standby_actions.StandbyInput(
            sen=SEN,
            product="jira-software",
            plan="Upgrade to 10.3",
            starts_at=datetime.fromisoformat(f"{day}T{start}"),
            ends_at=datetime.fromisoformat(f"{day}T{end}"),
        ),
    )


@pytest.fixture
def confirmed(contact, support_manager, jira_engineer):
    standby = ask(contact, "2026-06-13")
    return standby_actions.confirm_standby(
        support_manager, standby.pk, engineer=jira_engineer.user.email
    )


def events(client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_an_engineers_feed_has_the_confirmed_window_in_utc_with_reminders(
    client, confirmed, jira_engineer, support_manager, contact
):
    ask(contact, "2026-06-20")  # requested, not confirmed: not in any feed
    token = feed_actions.rotate_feed_token(jira_engineer.user)
    (event,) = events(client, f"/calendar/engineers/{jira_engineer.pk}.ics?token={token}")
    assert str(event["uid"]) == f"standby-{confirmed.pk}@{settings.MESSAGE_ID_DOMAIN}"
    assert event.decoded("dtstart") == datetime(2026, 6, 13, 13, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 6, 13, 21, 0, tzinfo=UTC)
    assert event["dtstart"].to_ical() == b"20260613T130000Z"
    assert str(event["status"]) == "CONFIRMED"
    assert "Sanne de Vries" in str(event["description"])
    triggers = sorted(alarm.decoded("trigger") for alarm in event.walk("VALARM"))
    assert triggers == [timedelta(hours=-24), timedelta(hours=-1)]


def test_the_uid_is_stable_and_a_withdrawal_shows_as_cancelled(
    client, confirmed, contact, support_manager
):
    token = feed_actions.rotate_feed_token(support_manager)
    url = f"/calendar/organizations/{contact.organization.slug}.ics?token={token}"
    (before,) = events(client, url)
    standby_actions.withdraw_standby(contact, confirmed.pk, reason="Postponed")
    (after,) = events(client, url)
    assert after["uid"] == before["uid"]
    assert (str(after["status"]), after["sequence"]) == ("CANCELLED", before["sequence"] + 1)
    assert not list(after.walk("VALARM"))


def test_office_and_organization_feeds(client, confirmed, office, contact, support_manager):
    token = feed_actions.rotate_feed_token(support_manager)
    assert len(events(client, f"/calendar/offices/{office.slug}.ics?token={token}")) == 1
    own = feed_actions.rotate_feed_token(contact)
    organization = contact.organization.slug
    assert len(events(client, f"/calendar/organizations/{organization}.ics?token={own}")) == 1


def test_a_wrong_or_missing_token_is_a_404(client, confirmed, contact):
    url = f"/calendar/organizations/{contact.organization.slug}.ics"
    feed_actions.rotate_feed_token(contact)
    assert client.get(url).status_code == 404
    assert client.get(f"{url}?token=pdcal_wrong").status_code == 404


def test_a_customer_token_opens_only_their_organizations_feed(
    client, confirmed, contact, kestrel_contact, jira_engineer, office
):
    token = feed_actions.rotate_feed_token(kestrel_contact)
    for url in (
        f"/calendar/organizations/{contact.organization.slug}.ics",
        f"/calendar/engineers/{jira_engineer.pk}.ics",
        f"/calendar/offices/{office.slug}.ics",
    ):
        assert client.get(f"{url}?token={token}").status_code == 404, url
    own = f"/calendar/organizations/{kestrel_contact.organization.slug}.ics?token={token}"
    assert events(client, own) == []


def test_rotating_revokes_the_old_token_and_keeps_only_a_digest(client, confirmed, contact):
    url = f"/calendar/organizations/{contact.organization.slug}.ics"
    old = feed_actions.rotate_feed_token(contact)
    new = feed_actions.rotate_feed_token(contact)
    assert client.get(f"{url}?token={old}").status_code == 404
    assert client.get(f"{url}?token={new}").status_code == 200
    stored = FeedToken.objects.get(user=contact)
    assert stored.token_hash == token_digest(new)  # the digest, never the token
    assert list(
        AuditEntry.objects.filter(action__startswith="services.feed_token")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["services.feed_token_created", "services.feed_token_rotated"]


def test_the_token_page_shows_the_links_once(as_user, contact):
    client = as_user(contact)
    page = client.get("/calendar/").content.decode()
    assert "?token=…" in page
    shown = client.post("/calendar/").content.decode()
    secret = FeedToken.objects.get(user=contact)
    assert "?token=pdcal_" in shown
    assert secret.token_hash not in shown
    again = client.get("/calendar/").content.decode()
    assert "?token=pdcal_" not in again


def test_feeds_take_a_fixed_number_of_queries(
    client, contact, support_manager, jira_engineer, other_engineer, django_assert_max_num_queries
):
    for day in ("2026-06-13", "2026-06-20", "2026-06-27"):
        standby = ask(contact, day)
        standby_actions.confirm_standby(
            support_manager, standby.pk, engineer=jira_engineer.user.email
        )
    token = feed_actions.rotate_feed_token(support_manager)
    with django_assert_max_num_queries(5):
        response = client.get(
            f"/calendar/organizations/{contact.organization.slug}.ics?token={token}"
        )
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 3
