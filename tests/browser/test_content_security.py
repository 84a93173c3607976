"""The Content-Security-Policy in a real browser: the pages people use (htmx, the rota's
timeline placed by static JS, the reports' charts, the API docs, the admin) work without the
browser refusing a single script or style."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from premierdesk.demo.world import SIGN_INS
from tests.browser.test_sign_in import ADMINISTRATOR, sign_in

pytestmark = pytest.mark.browser

SUPPORT_MANAGER = dict(SIGN_INS)["Support manager"]


def watch_for_refusals(page: Page) -> list[str]:
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    return refused


def test_the_console_runs_without_a_refused_script_or_style(page: Page) -> None:
    refused = watch_for_refusals(page)
    sign_in(page, SUPPORT_MANAGER)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    for path in ("/console/", "/console/tickets/", "/console/reports/", "/console/rota/"):
        response = page.goto(path)
        assert response is not None
        assert response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # The rota's bars are placed from their data- attributes by static/premierdesk/positions.js.
    bar = page.locator("#timeline .bar").first
    expect(bar).to_be_visible()
    left = bar.get_attribute("data-left")
    assert left is not None
    placed = bar.evaluate("element => element.style.left")
    assert placed.endswith("%")
    assert float(placed.removesuffix("%")) == pytest.approx(float(left))
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    assert refused == []


def test_the_admin_runs_without_a_refused_script(page: Page) -> None:
    refused = watch_for_refusals(page)
    sign_in(page, ADMINISTRATOR)
    page.goto("/admin/notifications/outboxmessage/")
    expect(page.locator("#result_list")).to_be_visible()
    assert [line for line in refused if "script" in line] == []
