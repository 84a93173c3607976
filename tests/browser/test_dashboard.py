"""The managers' dashboard through Chromium against the real server and the demo world: the
support manager signs in and finds it on the console's home page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from premierdesk.demo.world import SIGN_INS
from tests.browser.test_sign_in import path_is, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SUPPORT_MANAGER = dict(SIGN_INS)["Support manager"]


def test_support_manager_sees_the_dashboard(page: Page, live_url: str) -> None:
    sign_in(page, SUPPORT_MANAGER)
    expect(page).to_have_url(path_is(live_url, "/console/"))
    page.goto("/console/")

    dashboard = page.locator("#dashboard")
    expect(dashboard).to_be_visible()
    expect(dashboard.get_by_role("heading", name="Now", exact=True)).to_be_visible()
    for card in ("#open-tickets", "#at-risk", "#handovers-today", "#attainment-month"):
        expect(dashboard.locator(card)).to_be_visible()
    expect(dashboard.get_by_role("link", name="Reports").first).to_be_visible()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
