"""`premierdesk sla due` and `premierdesk sla show`: the
docs/product/response-targets-and-coverage.md scenarios through the CLI, JSON that parses, and one
clear line for bad input."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from premierdesk.catalog.models import Product, WeekendClass
from premierdesk.customers.tests.factories import premier_offering
from premierdesk.tickets import actions
from premierdesk.tickets.tests.conftest import NOW

pytestmark = pytest.mark.django_db
FRIDAY_1650_PACIFIC = "2027-03-26T16:50:00-07:00"


@pytest.fixture(autouse=True)
def catalog(db):
    premier_offering()
    Product.objects.create(
        slug="bitbucket", name="Bitbucket Data Center", weekend_class=WeekendClass.L1_ONLY
    )
    Product.objects.create(slug="trello", name="Trello", covered=False)


def sla(*args: str) -> str:
    out = io.StringIO()
    call_command("sla", *args, stdout=out)
    return out.getvalue()


def due(level: str, opened: str = FRIDAY_1650_PACIFIC, *extra: str) -> str:
    return sla("due", "--offering", "premier", "--level", level, "--product", "bitbucket",
               "--opened", opened, *extra)  # fmt: skip


def test_l2_bitbucket_on_friday_evening_is_due_monday_10_sydney_plus_110_minutes():
    text = due("L2")
    # Monday 10:00 in Sydney is Sunday 23:00 UTC (AEDT, +11:00, until 4 April 2027).
    assert "Due     2027-03-29 00:50 UTC   2027-03-28 17:50 UTC-07:00" in text
    assert "Local times in UTC-07:00 (the offset of --opened)." in text
    intervals = text.split("Intervals (UTC):\n")[1].splitlines()[:3]
    assert [" ".join(line.split()) for line in intervals] == [
        "2027-03-26 23:50 -> 2027-03-27 00:00 counted 10 min covered by Premier 24x5",
        "2027-03-27 00:00 -> 2027-03-28 23:00 paused 47 h 00 min global weekend",
        "2027-03-28 23:00 -> 2027-03-29 00:50 counted 1 h 50 min covered by Premier 24x5",
    ]


def test_l1_bitbucket_at_the_same_moment_is_due_30_minutes_later():
    document = json.loads(due("L1", FRIDAY_1650_PACIFIC, "--json"))
    assert document["due_at"] == "2027-03-27T00:20:00Z"
    assert document["due_local"] == "2027-03-26T17:20:00-07:00"
    assert document["intervals"] == [
        {
            "start": "2027-03-26T23:50:00Z",
            "end": "2027-03-27T00:20:00Z",
            "counted": True,
            "minutes": 30.0,
            "reason": "covered by 24x7 (weekend critical coverage)",
        }
    ]


def test_json_of_the_l2_scenario_has_due_at_in_utc_and_the_intervals():
    document = json.loads(due("l2", "2027-03-26T23:50Z", "--json"))
    assert (document["due_at"], document["target_minutes"]) == ("2027-03-29T00:50:00Z", 120)
    assert [(i["counted"], i["minutes"], i["reason"]) for i in document["intervals"]] == [
        (True, 10.0, "covered by Premier 24x5"),
        (False, 2820.0, "global weekend"),
        (True, 110.0, "covered by Premier 24x5"),
    ]
    assert document["warnings_at"] == ["2027-03-28T23:50:00Z", "2027-03-29T00:20:00Z"]


def test_the_organization_gives_the_local_time(northwind):
    text = due("L2", FRIDAY_1650_PACIFIC, "--organization", northwind.slug)
    assert "2027-03-29 00:50 UTC   2027-03-28 20:50 EDT" in text
    assert "America/New_York (Northwind Logistics's time zone)" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--level", "L2", "--opened", "2027-03-26T16:50:00"], "has no offset: add one"),
        (["--level", "L2", "--opened", "Friday"], "is not ISO 8601"),
        (["--level", "L9", "--opened", FRIDAY_1650_PACIFIC], "valid: L1, L2, L3, L4."),
        (["--level", "L2", "--opened", FRIDAY_1650_PACIFIC, "--organization", "x"], "'x'"),
    ],
)
def test_bad_input_is_one_line(args, message):
    with pytest.raises(CommandError) as refused:
        sla("due", "--offering", "premier", "--product", "bitbucket", *args)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)


def test_unknown_offering_and_product_list_the_valid_ones():
    with pytest.raises(CommandError, match=r"^Unknown offering 'gold'; valid: premier\.$"):
        sla("due", "--offering", "gold", "--level", "L2", "--product", "bitbucket",
            "--opened", FRIDAY_1650_PACIFIC)  # fmt: skip
    # Products Premier does not cover are not valid either.
    with pytest.raises(CommandError, match=r"^Unknown product 'trello'; valid: bitbucket\.$"):
        sla("due", "--offering", "premier", "--level", "L2", "--product", "trello",
            "--opened", FRIDAY_1650_PACIFIC)  # fmt: skip


def test_show_explains_a_tickets_clocks(ticket, engineer, frozen):
    frozen.shift(timedelta(minutes=25))
    actions.add_comment(engineer, ticket.key, body="We are on it.")
    text = sla("show", ticket.key)
    assert f"{ticket.key} Boards load slowly after the upgrade" in text
    assert "first_response #1 (L2): met, target 2 h 00 min, counted 25 min" in text
    assert "2026-05-04 09:00 -> 2026-05-04 09:25  counted" in text
    document = json.loads(sla("show", ticket.key.lower(), "--json"))
    first = document["clocks"][0]
    assert (first["kind"], first["state"], first["counted_minutes"]) == (
        "first_response",
        "met",
        25.0,
    )
    assert document["at"] == (NOW + timedelta(minutes=25)).isoformat().replace("+00:00", "Z")


def test_show_refuses_an_unknown_ticket_in_one_line():
    with pytest.raises(CommandError, match=r"^There is no ticket PS-999999"):
        sla("show", "PS-999999")
    with pytest.raises(CommandError, match="is not a ticket key"):
        sla("show", "JIRA-1")
