"""Signing in and out, the API docs and API tokens, driven through Chromium against the real
server loaded with the demo world."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from premierdesk.demo.world import DEMO_PASSWORD, SIGN_INS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_EMAILS = dict(SIGN_INS)
NAMED_CONTACT = DEMO_EMAILS["Customer named contact (Northwind)"]
PARTICIPANT = DEMO_EMAILS["Customer participant (Northwind)"]
ENGINEER_SYDNEY = DEMO_EMAILS["Support engineer (Sydney)"]
ADMINISTRATOR = "admin@premier.example"


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def path_is(live_url: str, path: str) -> re.Pattern[str]:
    return re.compile(re.escape(live_url + path) + r"(\?.*)?$")


def test_named_contact_signs_in_to_the_portal(page: Page, live_url: str) -> None:
    sign_in(page, NAMED_CONTACT)

    expect(page).to_have_url(path_is(live_url, "/portal/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Grace")
    expect(page.get_by_text("Northwind Logistics")).to_be_visible()


def test_engineer_signs_in_to_the_console(page: Page, live_url: str) -> None:
    sign_in(page, ENGINEER_SYDNEY)

    expect(page).to_have_url(path_is(live_url, "/console/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff console")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Ticket queue")).to_be_visible()
    # The audit trail is for support managers and administrators (docs/access.md).
    expect(nav.get_by_role("link", name="Audit trail")).to_have_count(0)
    expect(nav.get_by_role("link", name="Administration")).to_have_count(0)
    expect(page.get_by_role("heading", name="Administration")).to_have_count(0)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "console-home.png"), full_page=True)


def test_wrong_password_is_refused(page: Page, live_url: str) -> None:
    sign_in(page, PARTICIPANT, password="not-the-demo-password")

    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page).to_have_url(path_is(live_url, "/accounts/sign-in/"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_api_docs_load_without_a_cdn(page: Page, live_url: str) -> None:
    elsewhere: list[str] = []

    def note(request: Request) -> None:
        if not request.url.startswith(live_url + "/"):
            elsewhere.append(request.url)

    page.on("request", note)
    page.goto("/api/v1/docs")

    expect(page.get_by_text("Premier Desk API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/auth/token", exact=True).first).to_be_visible()
    assert elsewhere == [], f"the API docs page loaded resources from elsewhere: {elsewhere}"


def test_administrator_creates_an_api_token_in_place(page: Page, live_url: str) -> None:
    sign_in(page, ADMINISTRATOR)
    expect(page).to_have_url(path_is(live_url, "/console/"))
    page.goto("/accounts/tokens/")
    # A full page load would forget this; htmx swapping in the answer keeps it.
    page.evaluate("window.__sameDocument = true")

    page.get_by_label("Token name").fill("browser monitoring")
    page.get_by_role("button", name="Create token").click()

    secret = page.locator("#new-token")
    expect(secret).to_have_text(re.compile(r"^pd_\S+$"))
    row = page.locator("#tokens tbody tr", has_text="browser monitoring")
    expect(row).to_have_count(1)
    shown_prefix = row.locator("td.mono").inner_text().rstrip("…")
    assert secret.inner_text().startswith(shown_prefix)
    expect(page).to_have_url(path_is(live_url, "/accounts/tokens/"))
    assert page.evaluate("window.__sameDocument") is True, "creating a token reloaded the page"


def test_sign_out_ends_the_session(page: Page, live_url: str) -> None:
    sign_in(page, NAMED_CONTACT)
    expect(page).to_have_url(path_is(live_url, "/portal/"))

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(path_is(live_url, "/accounts/sign-in/"))

    page.goto("/portal/")
    sign_in_page = re.escape(live_url) + r"/accounts/sign-in/\?next=/portal/$"
    expect(page).to_have_url(re.compile(sign_in_page))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
