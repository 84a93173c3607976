"""`premierdesk contacts SEN`: who holds a named-contact slot at an instant, and why."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from premierdesk.customers import actions
from premierdesk.testing.fixtures import frozen_at

pytestmark = pytest.mark.django_db
# Twelve days before the US clocks go back (Sunday 2026-11-01, 02:00 EDT -> 01:00 EST).
NOW = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
SEN = "SEN-1234567"

frozen = frozen_at(NOW)


@pytest.fixture
def two_contacts(license, technical, manager):
    """Grace and Ken hold two of the three slots; Nora's addition waits for approval."""
    grace = add_approved(technical, manager, "grace@northwind.example", "Grace Hopper")
    add_approved(technical, manager, "ken@northwind.example", "Ken Adams")
    actions.request_named_contact(
        technical, SEN, email="nora@northwind.example", full_name="Nora Lee"
    )
    return grace


def add_approved(technical, manager, email, full_name) -> int:
    change = actions.request_named_contact(technical, SEN, email=email, full_name=full_name)
    return actions.approve_change(manager, change.pk).pk


def add_cover(technical, manager, covered_id, starts_at, ends_at) -> int:
    cover = actions.request_cover(
        technical,
        SEN,
        covered_id=covered_id,
        email="stand.in@northwind.example",
        full_name="Stand In",
        starts_at=starts_at,
        ends_at=ends_at,
    )
    return actions.approve_change(manager, cover.pk).pk


def contacts(*args: str) -> str:
    out = io.StringIO()
    call_command("contacts", *args, stdout=out)
    return out.getvalue()


def listed(output: str) -> tuple[str, str]:
    """The active part and the others part of the text output."""
    active, _, others = output.partition("Others:")
    return active, others


def as_json(*args: str) -> dict:
    return json.loads(contacts(*args, "--json"))


def test_text_lists_the_active_people_and_why(two_contacts):
    output = contacts(SEN)

    assert output.startswith(
        "SEN-1234567 (Northwind Logistics) at 2026-10-20 09:00 UTC "
        "(2026-10-20 05:00 America/New_York): 2 of 3 slots taken"
    )
    active, others = listed(output)
    why = "approved window from 2026-10-20 09:00 UTC (permanent)"
    assert f"grace@northwind.example (Grace Hopper): {why}" in active
    assert f"ken@northwind.example (Ken Adams): {why}" in active
    assert "nora@northwind.example" not in active
    assert (
        "nora@northwind.example (Nora Lee): pending: asked for; waits for the enterprise "
        "manager's approval" in others
    )


def test_a_cover_is_active_inside_its_window_and_flips_back_after_it(
    two_contacts, technical, manager
):
    start, end = NOW + timedelta(days=7), NOW + timedelta(days=14)
    add_cover(technical, manager, two_contacts, start, end)

    before_active, before_others = listed(contacts(SEN))
    assert "grace@northwind.example" in before_active
    assert "stand.in@northwind.example (Stand In): upcoming: approved; starts" in before_others

    during = contacts(SEN, "--at", "2026-10-28T09:00Z")
    during_active, during_others = listed(during)
    assert "2 of 3 slots taken" in during
    assert (
        "stand.in@northwind.example (Stand In): covering for grace@northwind.example "
        "until 2026-11-03 09:00 UTC" in during_active
    )
    assert (
        "grace@northwind.example (Grace Hopper): suspended: on leave; covered by "
        "stand.in@northwind.example" in during_others
    )

    after_active, after_others = listed(contacts(SEN, "--at", "2026-11-03T09:00Z"))
    assert "grace@northwind.example (Grace Hopper): approved window" in after_active
    assert "stand.in@northwind.example" not in after_active + after_others  # its window ended


def test_an_offset_is_honoured(two_contacts, technical, manager):
    add_cover(technical, manager, two_contacts, NOW + timedelta(days=7), NOW + timedelta(days=14))

    # 20:00 in Sydney's summer (+11:00) is 09:00 UTC, the very instant the cover starts.
    assert as_json("--at", "2026-10-28T04:00+11:00", SEN)["at"] == "2026-10-27T17:00:00+00:00"
    document = as_json("--at", "2026-10-28T20:00+11:00", SEN)
    assert document["at"] == "2026-10-28T09:00:00+00:00"
    assert [a["email"] for a in document["active"]] == [
        "ken@northwind.example",
        "stand.in@northwind.example",
    ]


def test_a_time_without_offset_is_read_in_the_organizations_zone_across_dst(
    two_contacts, technical, manager
):
    # The cover starts at 02:30 EST on the night the clocks go back.
    starts = datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    add_cover(technical, manager, two_contacts, starts, starts + timedelta(days=7))

    # 03:00 New York is EST (UTC-5) by then: 08:00 UTC, inside the cover. Read as UTC, or
    # with the summer offset (07:00 UTC), it would fall before the cover starts.
    after_change = as_json(SEN, "--at", "2026-11-01T03:00")
    assert after_change["at"] == "2026-11-01T08:00:00+00:00"
    assert "stand.in@northwind.example" in {a["email"] for a in after_change["active"]}

    # 00:30 is still EDT (UTC-4): 04:30 UTC, before the cover.
    before_change = as_json(SEN, "--at", "2026-11-01T00:30")
    assert before_change["at"] == "2026-11-01T04:30:00+00:00"
    assert "grace@northwind.example" in {a["email"] for a in before_change["active"]}


def test_json_parses_and_matches_the_roster(two_contacts, technical, manager):
    cover = add_cover(
        technical, manager, two_contacts, NOW + timedelta(days=7), NOW + timedelta(days=14)
    )

    document = as_json(SEN, "--at", "2026-10-28T09:00Z")

    assert {k: document[k] for k in ("sen", "organization", "at", "slots")} == {
        "sen": "SEN-1234567",
        "organization": "Northwind Logistics",
        "at": "2026-10-28T09:00:00+00:00",
        "slots": 3,
    }
    assert document["active"][1] == {
        "email": "stand.in@northwind.example",
        "full_name": "Stand In",
        "window_id": cover,
        "starts_at": "2026-10-27T09:00:00+00:00",
        "ends_at": "2026-11-03T09:00:00+00:00",
        "covers": "grace@northwind.example",
        "why": "covering for grace@northwind.example until 2026-11-03 09:00 UTC",
    }
    assert [(o["email"], o["state"]) for o in document["others"]] == [
        ("grace@northwind.example", "suspended"),
        ("nora@northwind.example", "pending"),
    ]
    assert document["others"][0]["window_id"] == two_contacts
    assert document["others"][0]["ends_at"] is None


def test_no_at_means_now(two_contacts, frozen):
    frozen.shift(timedelta(hours=3))
    assert as_json(SEN)["at"] == "2026-10-20T12:00:00+00:00"


def test_a_license_without_contacts_says_nobody(license):
    output = contacts(SEN.lower())
    assert "0 of 3 slots taken" in output
    assert "Active named contacts:\n  nobody" in output
    assert "Others:" not in output


def test_an_unknown_sen_is_one_clear_line(license):
    with pytest.raises(CommandError) as refused:
        contacts("SEN-7654321")
    assert str(refused.value) == (
        "No license has the SEN SEN-7654321. Check the Support Entitlement Number on your "
        "Premier Support contract (it looks like SEN-1234567)."
    )


def test_an_unreadable_at_is_one_clear_line(license):
    with pytest.raises(CommandError) as refused:
        contacts(SEN, "--at", "next tuesday")
    assert str(refused.value) == (
        "--at 'next tuesday' is not a date and time. Write it as ISO 8601, e.g. "
        "2026-12-01T09:00Z, 2026-12-01T09:00+11:00, or 2026-12-01T09:00 for "
        "America/New_York time."
    )


def test_a_local_time_that_happens_twice_asks_for_the_offset(license):
    with pytest.raises(CommandError) as refused:
        contacts(SEN, "--at", "2026-11-01T01:30")
    assert str(refused.value) == (
        "--at 2026-11-01T01:30 happens twice in America/New_York (the clocks go back); add "
        "the offset you mean: 2026-11-01T01:30-04:00 or 2026-11-01T01:30-05:00."
    )


def test_a_local_time_that_never_happens_is_refused(license):
    with pytest.raises(CommandError, match="does not exist in America/New_York"):
        contacts(SEN, "--at", "2027-03-14T02:30")
