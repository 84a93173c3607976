"""Named contacts through Chromium against the real server and the demo world: a technical
contact asks for an addition (a refusal first, shown in place by htmx), and the enterprise
manager works the approval queue, where the slot limit refuses one change on its own row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from premierdesk.demo.world import SIGN_INS
from tests.browser.test_sign_in import path_is, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_EMAILS = dict(SIGN_INS)
TECHNICAL = DEMO_EMAILS["Customer technical contact (Northwind)"]
PARTICIPANT = DEMO_EMAILS["Customer participant (Northwind)"]
ENTERPRISE_MANAGER = "enterprise@premier.example"


def test_technical_contact_asks_and_enterprise_manager_decides(page: Page, live_url: str) -> None:
    sign_in(page, TECHNICAL)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Named contacts").click()
    page.get_by_role("link", name=re.compile(r"SEN-\d+")).first.click()
    license_url = page.url
    expect(page.locator("#roster")).to_contain_text("grace@northwind.example")
    expect(page.locator("#slots")).to_be_visible()

    add = page.locator("form", has=page.get_by_role("button", name="Ask to add"))
    add.get_by_label("E-mail").fill("alan@kestrel.example")
    add.get_by_role("button", name="Ask to add").click()
    # Refused (422) and swapped in place by htmx, beside the field, keeping what was typed.
    expect(page.get_by_text("is not a person of Northwind Logistics").first).to_be_visible()
    expect(page).to_have_url(license_url)
    add = page.locator("form", has=page.get_by_role("button", name="Ask to add"))
    expect(add.get_by_label("E-mail")).to_have_value("alan@kestrel.example")

    add.get_by_label("E-mail").fill(PARTICIPANT)
    add.get_by_role("button", name="Ask to add").click()
    expect(page.locator("#pending")).to_contain_text(PARTICIPANT)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "named-contacts.png"), full_page=True)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, ENTERPRISE_MANAGER)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Named-contact approvals").click()
    expect(page).to_have_url(path_is(live_url, "/console/named-contacts/"))
    nora = page.locator("tr", has_text="nora@northwind.example")
    nora.get_by_role("button", name="Approve").click()
    expect(page.locator("tr", has_text="nora@northwind.example")).to_have_count(0)

    # Northwind's three slots are now taken: approving the participant is refused on its row.
    dan = page.locator("tr", has_text=PARTICIPANT)
    dan.get_by_role("button", name="Approve").click()
    refusal = page.locator("tr", has_text=PARTICIPANT)
    expect(refusal).to_contain_text("named-contact slots and all are taken")
    expect(refusal).to_contain_text("grace@northwind.example")
    page.screenshot(path=str(SCREENSHOTS / "named-contact-approvals.png"), full_page=True)
