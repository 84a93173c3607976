"""A session that ends while Grace types a comment: sending it takes her to sign in (the whole
page, no sign-in form swapped into the ticket), and after signing in she is back on the ticket
with her comment still in the box. Both ways it ends: the session row is gone (expired), or
every cookie is (the form's security token goes with them, so the CSRF check refuses first)."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from premierdesk.accounts.models import User
from premierdesk.demo.world import DEMO_PASSWORD, LICENSES, SIGN_INS
from premierdesk.tickets import actions as tickets
from tests.browser.test_sign_in import path_is, sign_in

pytestmark = pytest.mark.browser

GRACE = dict(SIGN_INS)["Customer named contact (Northwind)"]
KEPT_NOTICE = "What you typed before signing in again is back in the form"


# On the server.


def open_a_ticket_of_graces(summary: str) -> str:
    fields = tickets.TicketInput(
        sen=LICENSES[0].sen,
        product="jira-software",
        product_version="10.3.2",
        environment="production",
        level="L3",
        summary=summary,
        description="Dashboards load slowly since the upgrade.",
    )
    return tickets.open_ticket(User.objects.get(email=GRACE), fields).key


def end_graces_sessions() -> int:
    """What expiry does: her session rows are gone."""
    from django.contrib.sessions.models import Session

    grace = str(User.objects.get(email=GRACE).pk)
    ended = 0
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == grace:
            session.delete()
            ended += 1
    return ended


# In the browser.


def csp_violations(page: Page) -> list[str]:
    found: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", watch)
    return found


def type_a_comment(page: Page, key: str, text: str) -> None:
    sign_in(page, GRACE)
    expect(page).to_have_url(re.compile(r"/portal/"))
    page.goto(f"/tickets/{key}/")
    page.locator("#comment-form").get_by_label("Comment").fill(text)


def sign_in_again_and_find_the_text(page: Page, live_url: str, key: str, text: str) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next="))
    expect(page.locator("header.topbar")).to_have_count(1)  # a whole page, nothing nested
    page.get_by_label("E-mail").fill(GRACE)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(path_is(live_url, f"/tickets/{key}/"))
    box = page.locator("#comment-form").get_by_label("Comment")
    expect(box).to_have_value(text)
    expect(page.locator("#comment-form")).to_contain_text(KEPT_NOTICE)

    # Sent now, it is added once, and the kept text is forgotten.
    page.locator("#comment-form").get_by_role("button", name="Add the comment").click()
    expect(page.locator("#conversation .comment", has_text=text)).to_have_count(1)
    page.reload()
    expect(page.locator("#comment-form").get_by_label("Comment")).to_have_value("")
    expect(page.locator("#conversation .comment", has_text=text)).to_have_count(1)


def test_an_expired_session_keeps_the_comment_through_sign_in(
    page: Page, live_url: str, on_server
) -> None:
    violations = csp_violations(page)
    key = on_server(open_a_ticket_of_graces, f"Slow dashboards {uuid.uuid4().hex[:6]}")
    text = f"Here are the timings you asked for: {uuid.uuid4().hex[:8]}."
    type_a_comment(page, key, text)
    assert on_server(end_graces_sessions) >= 1

    page.locator("#comment-form").get_by_role("button", name="Add the comment").click()
    sign_in_again_and_find_the_text(page, live_url, key, text)
    assert violations == []


def test_cleared_cookies_explain_the_expired_form_and_keep_the_comment(
    page: Page, live_url: str, on_server
) -> None:
    key = on_server(open_a_ticket_of_graces, f"Slow search {uuid.uuid4().hex[:6]}")
    text = f"Search takes 40 seconds for project OPS: {uuid.uuid4().hex[:8]}."
    type_a_comment(page, key, text)
    page.context.clear_cookies()

    page.locator("#comment-form").get_by_role("button", name="Add the comment").click()
    expect(page.get_by_role("heading", name="This form had expired")).to_be_visible()
    expect(page.locator("header.topbar")).to_have_count(1)
    page.get_by_role("link", name="Back to the page").click()
    sign_in_again_and_find_the_text(page, live_url, key, text)
