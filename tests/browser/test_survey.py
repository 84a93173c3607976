"""The survey after a ticket closes, through Chromium against the real server
(docs/product/surveys-and-reports.md#surveys): an engineer resolves and closes one of Grace's
tickets; the invitation e-mail waiting in the server's outbox carries the link; a browser that never
signed in opens it, rates the ticket, writes the two texts and is thanked; the same link opened
again says it was already answered.

Closing the ticket and reading the outbox run through ``on_server``, on the server's database;
the e-mail's link starts with the server's ``SITE_URL``, so only its path is opened here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from premierdesk.accounts.models import User
from premierdesk.demo.world import LICENSES, SIGN_INS
from premierdesk.notifications.models import OutboxMessage
from premierdesk.tickets import actions as tickets
from tests.browser.test_sign_in import path_is

pytestmark = pytest.mark.browser

DEMO_EMAILS = dict(SIGN_INS)
GRACE = DEMO_EMAILS["Customer named contact (Northwind)"]
ENGINEER = DEMO_EMAILS["Support engineer (Sydney)"]
NORTHWIND_SEN = LICENSES[0].sen
SURVEY_LINK = re.compile(r"https?://\S+/survey/[^/\s]+/")
WENT_WELL = "Olivia found the leaking app within the hour."
COULD_BE_BETTER = "The first answer took a while to come."


# On the server.


def close_a_ticket_of_graces(summary: str) -> dict[str, str]:
    """On the server: Grace opens a ticket, an engineer resolves and closes it. Returns its
    key and the survey link of the invitation e-mail sent to Grace."""
    fields = tickets.TicketInput(
        sen=NORTHWIND_SEN,
        product="jira-software",
        product_version="10.3.2",
        environment="production",
        level="L3",
        summary=summary,
        description="The issue navigator is slow for one project.",
    )
    ticket = tickets.open_ticket(User.objects.get(email=GRACE), fields)
    engineer = User.objects.get(email=ENGINEER)
    tickets.transition(engineer, ticket.key, to="resolved", reason="Index rebuilt.")
    tickets.transition(engineer, ticket.key, to="closed", reason="Confirmed by the customer.")
    invitation = OutboxMessage.objects.get(
        event_key=f"feedback.invitation:{ticket.pk}", recipient=GRACE
    )
    found = SURVEY_LINK.search(invitation.body)
    assert found is not None, f"no survey link in {invitation.body!r}"
    return {"key": ticket.key, "subject": invitation.subject, "link": found.group(0)}


# In the browser.


def test_the_survey_link_is_answered_once_without_signing_in(
    page: Page, live_url: str, on_server: Callable[..., Any]
) -> None:
    summary = f"Issue navigator slow {uuid.uuid4().hex[:6]}"
    closed = on_server(close_a_ticket_of_graces, summary)
    key = closed["key"]
    assert key in closed["subject"]
    survey_path = urlsplit(closed["link"]).path

    page.goto(survey_path)
    expect(page).to_have_url(path_is(live_url, survey_path))
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we do?")
    expect(page.locator("main")).to_contain_text(f"About {key}: {summary}")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    form = page.locator("#survey")
    form.get_by_role("radio", name="4", exact=True).check()
    form.get_by_label("What went well?").fill(WENT_WELL)
    form.get_by_label("What could have been better?").fill(COULD_BE_BETTER)
    form.get_by_role("button", name="Send my answer").click()

    thanks = page.locator("#thanks")
    expect(thanks.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(thanks).to_contain_text(f"About {key}: {summary}")
    expect(thanks).to_contain_text("Your rating of 4 of 5 is recorded.")
    expect(page.locator("#callback")).to_have_count(0)  # not a low rating

    page.goto(survey_path)
    answered = page.locator("#answered")
    expect(answered.get_by_role("heading", level=1)).to_have_text("Already answered")
    expect(answered).to_contain_text(key)
    expect(page.locator("#survey")).to_have_count(0)
