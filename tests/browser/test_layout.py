"""Every page fits a laptop (1366 px) and a phone (390 px): each demo role signs in, walks its
menu and the detail pages reachable from it (a ticket, a license, a space page, a report…),
and on each page nothing reaches past the right edge of the screen except inside a box made
to scroll sideways (``.table-scroll`` and the like).

``LAYOUT_SCREENSHOTS=<directory>`` saves a full-page screenshot of every page at both widths,
to look at."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser

LAPTOP = ViewportSize(width=1366, height=768)
PHONE = ViewportSize(width=390, height=844)
WIDTHS = {"laptop": LAPTOP, "phone": PHONE}

# The README's demo sign-ins, one per role.
ROLES = [
    "grace@northwind.example",
    "tom.it@northwind.example",
    "dan.dba@northwind.example",
    "olivia.nguyen@premier.example",
    "support.manager@premier.example",
    "escalation@premier.example",
    "enterprise@premier.example",
    "jira.dev@premier.example",
    "admin@premier.example",
]

# The boxes made to scroll sideways: what is inside them may be wider than the screen.
# A space page's Markdown table scrolls in itself; so does preformatted text.
SCROLL_BOXES = ".table-scroll, .heat-scroll, .space-text table, pre, figure.chart"

# Links not to follow: downloads, the API, the admin's own pages (its index is in the menu),
# and sign-out.
NOT_PAGES = re.compile(r"(^/api/v1/(?!docs)|^/admin/.|\.ics$|/attachments/\d+/|/sign-out/)")
NOT_PAGE_QUERIES = re.compile(r"(^|&)(format|download)=")
# Pages no link leads to directly but a role's menu page holds: the audit trail's oldest
# entries (the demo's loading, with the longest changes), past its last page.
ALSO = {"/console/audit/": ["/console/audit/?page=999"]}
# Pages drawn by script after they load: what shows they are drawn.
DRAWN = {"/api/v1/docs": ".swagger-ui .opblock"}
# How many pages of one kind (same path but for its ids) to look at per role: a ticket
# page differs with what the ticket holds, so two of each.
PER_KIND = 2
# How deep to follow links from the menu: a space list → a space → a page of it.
DEPTH = 2

# Run in the page: what reaches past the right edge of the screen, outside a scroll box; which
# boxes scroll sideways without being meant to (and, on a laptop, which scroll boxes need to);
# what sticks out of a table row shown as a card. Each as a short description.
OVERFLOWS = """
([scrollBoxes, laptop]) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim())
      name += '.' + el.className.trim().split(/\\s+/).join('.');
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ');
    return text ? `${name} "${text.slice(0, 60)}"` : name;
  };
  const page = document.documentElement.scrollWidth;
  if (page > width) problems.push(`the page is ${page}px wide`);
  const forms = new Set(['TEXTAREA', 'SELECT', 'INPUT']);
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.closest(scrollBoxes);
    const inside = box !== null && box !== el;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    // Name the outermost element that reaches too far, not each of its descendants.
    const parent = el.parentElement;
    const parentTooWide = parent !== null && parent !== document.body && parent !== box
      && parent.getBoundingClientRect().right > width + 1;
    if (!inside && rect.right > width + 1 && !parentTooWide)
      problems.push(`${describe(el)} reaches ${Math.round(rect.right)}px`);
    const overflowX = getComputedStyle(el).overflowX;
    if (laptop && box === el && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${describe(el)} needs scrolling sideways (${el.scrollWidth}px)`);
    if (!inside && box !== el && !forms.has(el.tagName)
        && (overflowX === 'auto' || overflowX === 'scroll')
        && el.scrollWidth > el.clientWidth + 1)
      problems.push(`${describe(el)} scrolls sideways (${el.scrollWidth}px)`);
  }
  // A table shown as cards (on a phone) scrolls nowhere: nothing sticks out of its cards.
  for (const table of document.querySelectorAll('.card-rows > table')) {
    if (getComputedStyle(table).display !== 'block') continue;
    const edge = table.getBoundingClientRect().right;
    for (const el of table.querySelectorAll('tr *')) {
      const rect = el.getBoundingClientRect();
      const parent = el.parentElement.getBoundingClientRect();
      if ((rect.width || rect.height) && rect.right > edge + 1 && parent.right <= edge + 1)
        problems.push(`${describe(el)} sticks out of its card (${Math.round(rect.right)}px)`);
    }
  }
  return problems;
}
"""


@dataclass
class Walk:
    """What one role saw: the pages visited and what overflowed on each."""

    email: str
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def kind(path: str, query: str) -> str:
    """A page's kind: its path with ids (anything holding a digit) blanked, and its query's
    keys with any value holding a digit blanked (``?page=2`` and ``?page=3`` are one kind,
    ``?report=volume`` and ``?report=handovers`` two)."""
    parts = ["#" if re.search(r"\d", part) else part for part in path.split("/")]
    pairs = sorted(
        f"{key}=#" if re.search(r"\d", value) else f"{key}={value}"
        for key, _, value in (pair.partition("=") for pair in query.split("&") if pair)
    )
    return "/".join(parts) + ("?" + "&".join(pairs) if pairs else "")


def child_kind(parent: str, path: str, query: str) -> str:
    """Below the page it was found on, a slug is an id too: one space, one page of it."""
    if path.startswith(parent) and path != parent:
        depth = path[len(parent) :].strip("/").count("/") + 1
        return kind(parent, "") + "*/" * depth + ("?" if query else "")
    return kind(path, query)


def overflows(page: Page, laptop: bool = False) -> list[str]:
    problems: list[str] = page.evaluate(OVERFLOWS, [SCROLL_BOXES, laptop])
    return problems


def check_both_widths(page: Page, where: str, shots: Path | None) -> list[str]:
    """The page as loaded at laptop width, then narrowed to a phone's: what overflows."""
    problems = []
    for name, size in WIDTHS.items():
        page.set_viewport_size(size)
        if shots is not None:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", where).strip("-")[:120]
            page.screenshot(path=str(shots / f"{slug}-{name}.png"), full_page=True)
        found = overflows(page, laptop=size is LAPTOP)
        problems += [f"{where} at {size['width']}px: {problem}" for problem in found]
    page.set_viewport_size(LAPTOP)
    return problems


def links_in_main(page: Page, live_url: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("main a[href]", "links => links.map(a => a.href)")
    return [href for href in hrefs if href.startswith(live_url + "/")]


def walk(page: Page, live_url: str, email: str, shots: Path | None) -> Walk:
    """Sign in, then visit the menu's pages and what they link to, breadth first."""
    seen = Walk(email)
    page.set_viewport_size(LAPTOP)
    sign_in(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_attached()
    menu = page.eval_on_selector_all(
        "nav[aria-label=Main] a[href]", "links => links.map(a => a.href)"
    )
    assert menu, f"{email} has no menu"
    # (url, the page it was found on, depth)
    queue: list[tuple[str, str, int]] = [(page.url, "", 0)] + [(url, "", 0) for url in menu]
    kinds: dict[str, int] = {}
    visited: set[str] = set()
    while queue:
        url, parent, depth = queue.pop(0)
        parts = urlsplit(url)
        address = parts.path + (f"?{parts.query}" if parts.query else "")
        if address in visited or NOT_PAGES.search(parts.path):
            continue
        if NOT_PAGE_QUERIES.search(parts.query):
            continue
        if depth:
            page_kind = child_kind(parent, parts.path, parts.query)
            if kinds.get(page_kind, 0) >= PER_KIND:
                continue
            kinds[page_kind] = kinds.get(page_kind, 0) + 1
        visited.add(address)
        response = page.goto(url)
        # A refusal (403, 404) is a page too, and must fit; a server error is not.
        assert response is not None, f"{email}: {address} did not answer"
        assert response.status < 500, f"{email}: {address} failed"
        if parts.path in DRAWN:
            page.locator(DRAWN[parts.path]).first.wait_for()
        seen.visited.append(address)
        seen.problems += check_both_widths(page, f"{email} {address}", shots)
        if depth == 0:
            queue += [(live_url + also, "", 0) for also in ALSO.get(address, [])]
        if depth < DEPTH and not parts.path.startswith("/admin/"):
            queue += [(link, parts.path, depth + 1) for link in links_in_main(page, live_url)]
    return seen


@pytest.fixture
def new_context(browser: Browser, live_url: str) -> Iterator[Callable[[], BrowserContext]]:
    """Fresh browser contexts on the server under test, closed at the end. (Unlike the
    ``page`` fixture's, requests are not routed through Playwright: routing turns the browser's
    cache off, and these walks load the same stylesheet and script hundreds of times.)"""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(base_url=live_url, viewport=LAPTOP)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shots() -> Path | None:
    directory = os.environ.get("LAYOUT_SCREENSHOTS")
    if not directory:
        return None
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_every_page_of_every_role_fits_a_laptop_and_a_phone(
    new_context: Callable[[], BrowserContext], live_url: str, shots: Path | None
) -> None:
    walks = [walk(new_context().new_page(), live_url, email, shots) for email in ROLES]

    for seen in walks:
        assert len(seen.visited) > 5, f"{seen.email} saw only {seen.visited}"
    problems = [problem for seen in walks for problem in seen.problems]
    assert not problems, "\n".join(problems)


TASMAN_SEN = "SEN-6349158"
TASMAN_TECHNICAL = "ida.it@tasman.example"
TASMAN_INVITED = "fiona@tasman.example"
TASMAN_ONE_TOO_MANY = "hugh.ops@tasman.example"


def ask_for_one_named_contact_too_many() -> str:
    """On the server's database: Tasman's technical contact asks for one more named contact
    than its slots hold once the invited addition waiting in the queue is approved."""
    from premierdesk.accounts.models import User
    from premierdesk.customers.actions import request_named_contact

    technical = User.objects.get(email=TASMAN_TECHNICAL)
    change = request_named_contact(
        technical, TASMAN_SEN, email=TASMAN_ONE_TOO_MANY, reason="Runs the night shift."
    )
    return f"change-{change.pk}"


def test_a_refusal_in_the_approval_queue_fits_a_laptop_and_a_phone(
    new_context: Callable[[], BrowserContext],
    on_server: Callable[..., Any],
    shots: Path | None,
) -> None:
    """The slot limit's refusal, shown on its row, is the widest thing the queue shows. Only
    Tasman's license is touched (no other browser test uses it), and the refused change is
    declined at the end so that the queue looks as before but for the approved addition."""
    row_id = on_server(ask_for_one_named_contact_too_many)
    page = new_context().new_page()
    sign_in(page, "enterprise@premier.example")
    page.goto("/console/named-contacts/")
    page.locator("tr", has_text=TASMAN_INVITED).get_by_role("button", name="Approve").click()
    expect(page.locator("tr", has_text=TASMAN_INVITED)).to_have_count(0)

    refused = page.locator(f"#{row_id}")
    refused.get_by_role("button", name="Approve").click()
    expect(refused).to_contain_text("named-contact slots and all are taken")

    problems = check_both_widths(page, "the approval queue with a refusal", shots)
    assert not problems, "\n".join(problems)

    refused.get_by_label("Why it is declined").fill("All slots are taken.")
    refused.get_by_role("button", name="Decline").click()
    expect(page.locator(f"#{row_id}")).to_have_count(0)


def test_the_menu_folds_behind_a_toggle_on_a_phone(
    new_context: Callable[[], BrowserContext],
) -> None:
    page = new_context().new_page()
    sign_in(page, "admin@premier.example")
    nav = page.get_by_role("navigation", name="Main")
    audit = nav.get_by_role("link", name="Audit trail")
    expect(audit).to_be_visible()
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()

    page.set_viewport_size(PHONE)
    expect(audit).to_be_hidden()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(audit).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    # By keyboard too: the toggle is a checkbox named "Menu".
    toggle = page.get_by_role("checkbox", name="Menu")
    toggle.focus()
    page.keyboard.press("Space")
    expect(audit).to_be_hidden()
    audit_link = nav.get_by_role("link", name="Audit trail")
    page.keyboard.press("Space")
    audit_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(audit).to_be_hidden()
