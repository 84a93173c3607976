"""Navigation follows the role, through Chromium against the real server and the demo world:
Dan, a Northwind participant, is not offered what the rules refuse him and the portal says
why; Grace, Northwind's named contact, is offered all of it, and closing a ticket (final)
asks her first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from premierdesk.accounts.models import User
from premierdesk.demo.world import LICENSES
from premierdesk.tickets import actions as tickets
from tests.browser.test_sign_in import NAMED_CONTACT, PARTICIPANT, path_is, sign_in

pytestmark = pytest.mark.browser

NORTHWIND_SEN = LICENSES[0].sen

# What a named contact is offered and a participant is not (docs/product/people-and-roles.md#roles).
OFFERED_TO_NAMED_CONTACTS = [
    "Open a ticket",
    "Named contacts",
    "Our space",
    "Weekend standby",
    "Health checks",
]


def test_a_participant_is_not_offered_what_he_may_not_do_and_is_told_why(
    page: Page, live_url: str
) -> None:
    sign_in(page, PARTICIPANT)
    expect(page).to_have_url(path_is(live_url, "/portal/"))
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Tickets", exact=True)).to_be_visible()
    for label in OFFERED_TO_NAMED_CONTACTS:
        expect(menu.get_by_role("link", name=label, exact=True)).to_have_count(0)
    expect(page.locator("#why-no-tickets")).to_contain_text(
        "You take part in tickets others opened; to open Premier tickets, ask your "
        "organization's technical contact"
    )
    expect(page.locator("#card-named-contacts")).to_contain_text("You are not one of them")

    # Typing the address anyway: the page says why at the top, with no form to fill in.
    page.goto("/standby/")
    expect(page.locator("#not-offered")).to_contain_text("ask your organization's technical")
    expect(page.locator("#ask-standby")).to_have_count(0)


def test_a_named_contact_is_offered_all_of_it(page: Page, live_url: str) -> None:
    sign_in(page, NAMED_CONTACT)
    expect(page).to_have_url(path_is(live_url, "/portal/"))
    menu = page.get_by_role("navigation", name="Main")
    for label in OFFERED_TO_NAMED_CONTACTS:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.locator("#why-no-tickets")).to_have_count(0)
    menu.get_by_role("link", name="Open a ticket", exact=True).click()
    expect(page).to_have_url(path_is(live_url, "/portal/tickets/new/"))
    expect(page.locator("#open-ticket form")).to_be_visible()
    expect(page.locator("#not-offered")).to_have_count(0)


def resolve_a_ticket_of_graces(summary: str) -> str:
    """On the server: Grace opens a ticket and resolves it herself; returns its key."""
    fields = tickets.TicketInput(
        sen=NORTHWIND_SEN,
        product="jira-software",
        product_version="10.3.2",
        environment="production",
        level="L3",
        summary=summary,
        description="Fixed itself after the restart.",
    )
    grace = User.objects.get(email=NAMED_CONTACT)
    ticket = tickets.open_ticket(grace, fields)
    tickets.transition(grace, ticket.key, to="resolved", reason="Fixed after a restart.")
    return ticket.key


def test_closing_a_ticket_asks_first(
    page: Page, live_url: str, on_server: Callable[..., Any]
) -> None:
    key = on_server(resolve_a_ticket_of_graces, f"Restart fixed it {uuid.uuid4().hex[:6]}")
    sign_in(page, NAMED_CONTACT)
    expect(page).to_have_url(path_is(live_url, "/portal/"))
    page.goto(f"/tickets/{key}/")
    status = page.locator("#status-change")
    status.get_by_role("button", name="Close").click()
    expect(status).to_contain_text(f"Close {key} for good? You cannot reopen it.")
    status.get_by_role("link", name="Cancel").click()
    expect(status.get_by_role("button", name="Reopen")).to_be_visible()  # nothing changed

    status.get_by_role("button", name="Close").click()
    status.get_by_role("button", name="Confirm").click()
    expect(page.locator("#ticket")).to_contain_text(f"{key} is now closed.")
    expect(page.locator("#status-change")).to_have_count(0)
