"""A health check through Chromium against the real server and the demo world
(docs/product/services.md#health-checks): Grace, Northwind's named contact, requests one from the
portal for a staging installation and sees it requested, on its own page and in her organization's
list."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from premierdesk.demo.world import LICENSES, SIGN_INS
from tests.browser.test_sign_in import path_is, sign_in

pytestmark = pytest.mark.browser

GRACE = dict(SIGN_INS)["Customer named contact (Northwind)"]
NORTHWIND_SEN = LICENSES[0].sen
PRODUCT = "Confluence Data Center"


def test_grace_requests_a_health_check(page: Page, live_url: str) -> None:
    notes = f"Two nodes behind nginx, PostgreSQL 15, 1.2 M pages ({uuid.uuid4().hex[:6]})."
    sign_in(page, GRACE)
    expect(page).to_have_url(path_is(live_url, "/portal/"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Health checks").click()
    expect(page).to_have_url(path_is(live_url, "/health-checks/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Health checks")

    form = page.locator("#request-health-check")
    form.get_by_label("License (SEN)").select_option(value=NORTHWIND_SEN)
    form.get_by_label("Product", exact=True).select_option(label=PRODUCT)
    form.get_by_label("Version").fill("8.5.16")
    form.get_by_label("Environment").select_option(label="Staging")
    form.get_by_label("About the installation").fill(notes)
    form.get_by_role("button", name="Request").click()

    expect(page).to_have_url(re.compile(re.escape(live_url) + r"/health-checks/\d+/$"))
    check_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    key = f"HC-{check_id}"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{key}: health check")
    expect(page.locator(".messages")).to_contain_text("Health check asked for.")
    expect(page.locator("#status")).to_have_text("Requested")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(f"Northwind Logistics ({NORTHWIND_SEN})")
    expect(facts).to_contain_text(f"{PRODUCT} 8.5.16, Staging")
    expect(facts).to_contain_text(notes)
    expect(facts).to_contain_text("Grace Hopper")
    expect(page.locator("#findings")).to_contain_text(
        "Findings appear here when the report is delivered."
    )

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Health checks").click()
    row = page.locator("#health-checks tr").filter(
        has=page.get_by_role("link", name=key, exact=True)
    )
    expect(row).to_contain_text(f"{PRODUCT} 8.5.16")
    expect(row).to_contain_text("Staging")
    expect(row).to_contain_text("Requested")
