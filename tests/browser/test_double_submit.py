"""A double-click writes once, in Chromium against the real server: Grace double-clicks "Open
the ticket" and gets one ticket, then double-clicks "Add the comment" and gets one comment;
a comment sent again after its answer was lost is there once. Each form carries the key it
was shown with; the second request answers with the first's result."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, Route, expect

from premierdesk.demo.world import SIGN_INS
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser

GRACE = dict(SIGN_INS)["Customer named contact (Northwind)"]
# Long enough for a second request, sent when the first is answered, to be answered too.
SETTLE_MS = 1500


def tickets_with_summary(summary: str) -> int:
    """Run on the server's database (``on_server``)."""
    from premierdesk.tickets.models import Ticket

    return Ticket.objects.filter(summary=summary).count()


def comments_with_body(body: str) -> int:
    """Run on the server's database (``on_server``)."""
    from premierdesk.tickets.models import Comment

    return Comment.objects.filter(body=body).count()


def test_a_double_click_opens_one_ticket_and_adds_one_comment(
    page: Page, live_url: str, on_server
) -> None:
    summary = f"Indexing stuck {uuid.uuid4().hex[:6]}"
    sign_in(page, GRACE)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Open a ticket").click()
    form = page.locator("#open-ticket form")
    form.get_by_label("Product", exact=True).select_option(label="Jira Software Data Center")
    form.get_by_label("Version").fill("10.3.2")
    form.get_by_label("Environment").select_option(label="Production")
    form.get_by_role("radio", name=re.compile("^L3")).check()
    form.get_by_label("Summary", exact=True).fill(summary)
    form.get_by_label("Description").fill("The index rebuild has been at 99 % since noon.")
    form.get_by_role("button", name="Open the ticket").dblclick()

    expect(page).to_have_url(re.compile(re.escape(live_url) + r"/tickets/PS-\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(summary)
    page.wait_for_timeout(SETTLE_MS)
    assert on_server(tickets_with_summary, summary) == 1

    body = f"Rebuild restarted at 14:00 ({uuid.uuid4().hex[:6]})."
    comments = page.locator("#comment-form")
    comments.get_by_label("Comment").fill(body)
    comments.get_by_role("button", name="Add the comment").dblclick()
    expect(page.locator("#conversation .comment", has_text=body)).to_have_count(1)
    page.wait_for_timeout(SETTLE_MS)
    assert on_server(comments_with_body, body) == 1
    page.reload()
    expect(page.locator("#conversation .comment", has_text=body)).to_have_count(1)


def test_a_comment_sent_again_after_its_answer_was_lost_is_added_once(
    page: Page, on_server
) -> None:
    """The server commits the comment but its answer never arrives (a database restart, a
    dropped connection); Grace, seeing no result, clicks again: the comment is there once."""
    sign_in(page, GRACE)
    page.goto("/portal/tickets/?status=open")
    page.locator("table a", has_text=re.compile(r"^PS-\d+$")).first.click()
    lost: list[str] = []

    def lose_the_first_answer(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            route.fetch()  # the server receives the comment and commits it
            lost.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/comments/", lose_the_first_answer)
    body = f"Still at 99 % ({uuid.uuid4().hex[:6]})."
    comments = page.locator("#comment-form")
    comments.get_by_label("Comment").fill(body)
    comments.get_by_role("button", name="Add the comment").click()
    for _ in range(100):
        if lost:
            break
        page.wait_for_timeout(100)
    assert lost, "the comment was never sent"
    expect(comments.get_by_label("Comment")).to_have_value(body)  # nothing came back
    comments.get_by_role("button", name="Add the comment").click()

    expect(page.locator("#conversation .comment", has_text=body)).to_have_count(1)
    assert on_server(comments_with_body, body) == 1
