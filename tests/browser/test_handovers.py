"""A handover through Chromium against the real server and the demo world: Sanne (Amsterdam)
writes the note on her L1 ticket from "My handovers" (htmx, in its row); Amsterdam's day ends
and the scheduler's handover runs; Olivia (Sydney) reads the note under "To acknowledge" and
acknowledges it.

The server keeps the real time, so the test makes the day fit it rather than moving the clock:
for the test Amsterdam works from an hour ago until the test ends its day, and the ticket is
for a product that, outside Amsterdam, only Olivia knows and that is not worked at weekends, so
routing hands it to her whatever the day and hour. The functions below marked "on the server"
run through ``on_server`` on the server's database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from premierdesk.accounts.models import User
from premierdesk.calendars.models import CalendarException, CoverageCalendar
from premierdesk.catalog.models import Product, WeekendClass
from premierdesk.customers.models import License
from premierdesk.demo.world import LICENSES, SIGN_INS
from premierdesk.offices import actions as offices
from premierdesk.offices.models import Engineer, Office
from premierdesk.tickets import actions as tickets
from tests.browser.test_sign_in import path_is, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_EMAILS = dict(SIGN_INS)
SANNE = DEMO_EMAILS["Support engineer (Amsterdam)"]
OLIVIA = DEMO_EMAILS["Support engineer (Sydney)"]
GRACE = DEMO_EMAILS["Customer named contact (Northwind)"]
SUPPORT_MANAGER = DEMO_EMAILS["Support manager"]
NORTHWIND_SEN = LICENSES[0].sen
PRODUCT = "handover-drill"
TEST_DAY = "amsterdam-browser-test-day"
NOTE = {
    "Status": "Heap dump analysed; a marketplace app leaks sessions.",
    "Next steps": "Disable the app on node 2 and watch the heap for an hour.",
    "Customer availability": "Grace until 20:00 New York time, by phone.",
}


# On the server.


def start_amsterdams_day(summary: str) -> dict[str, Any]:
    """On the server: Amsterdam on duty from an hour ago (its own hours set aside), and an L1
    ticket of Grace's that Sanne owns. Returns the ticket's key and Amsterdam's usual hours."""
    now = timezone.now()
    amsterdam = Office.objects.get(slug="amsterdam")
    usual_hours = amsterdam.calendar_id
    day = CoverageCalendar.objects.create(slug=TEST_DAY, name="Amsterdam (browser test)")
    CalendarException.objects.create(
        calendar=day,
        opens=True,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=2),
        label="browser test day",
    )
    amsterdam.calendar = day
    amsterdam.save(update_fields=["calendar"])
    product = Product.objects.create(
        slug=PRODUCT, name="Handover Drill Data Center", weekend_class=WeekendClass.NONE
    )
    License.objects.get(sen=NORTHWIND_SEN).products.add(product)
    for email in (SANNE, OLIVIA):
        Engineer.objects.get(user__email=email).skills.add(product)
    fields = tickets.TicketInput(
        sen=NORTHWIND_SEN,
        product=PRODUCT,
        product_version="5.1",
        environment="production",
        level="L1",
        summary=summary,
        description="Every node runs out of heap within the hour.",
    )
    ticket = tickets.open_ticket(User.objects.get(email=GRACE), fields)
    if ticket.owner is None or ticket.owner.email != SANNE:  # Sydney may be on duty too
        manager = User.objects.get(email=SUPPORT_MANAGER)
        tickets.assign_owner(manager, ticket.key, owner_email=SANNE, reason="Browser test")
    return {"key": ticket.key, "usual_hours": usual_hours}


def end_amsterdams_day() -> int:
    """On the server: Amsterdam's day ends now, and the scheduler's handover runs."""
    CalendarException.objects.filter(calendar__slug=TEST_DAY).update(ends_at=timezone.now())
    return offices.hand_over_due(timezone.now())


def restore_amsterdams_hours(usual_hours: int) -> None:
    """On the server: Amsterdam keeps its usual hours again, for the tests that follow."""
    Office.objects.filter(slug="amsterdam").update(calendar_id=usual_hours)


@pytest.fixture
def critical_ticket(on_server: Callable[..., Any]) -> Iterator[tuple[str, str]]:
    """The key and summary of Sanne's L1 ticket, Amsterdam on duty."""
    summary = f"Jira runs out of heap {uuid.uuid4().hex[:6]}"
    started = on_server(start_amsterdams_day, summary)
    try:
        yield started["key"], summary
    finally:
        on_server(restore_amsterdams_hours, started["usual_hours"])


# In the browser.


def open_my_handovers(page: Page, live_url: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My handovers").click()
    expect(page).to_have_url(path_is(live_url, "/console/rota/handovers/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My handovers")


def test_a_note_travels_with_the_handover_and_is_acknowledged(
    page: Page, live_url: str, on_server: Callable[..., Any], critical_ticket: tuple[str, str]
) -> None:
    key, summary = critical_ticket
    sign_in(page, SANNE)
    open_my_handovers(page, live_url)
    # A full page load would forget this; htmx swapping in the row keeps it.
    page.evaluate("window.__sameDocument = true")
    row = page.locator(f"#write-{key}")
    expect(row).to_contain_text(summary)
    expect(row).to_contain_text("No note written for this end of duty.")
    row.get_by_text("Write the note").click()
    for label, text in NOTE.items():
        row.get_by_label(label, exact=True).fill(text)
    row.get_by_role("button", name="Save the note").click()
    expect(row).to_contain_text(f"Handover note saved on {key}.")
    expect(row).to_contain_text(NOTE["Next steps"])
    expect(row.get_by_text("Update the note")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "saving the note reloaded the page"
    page.get_by_role("button", name="Sign out").click()

    assert on_server(end_amsterdams_day) >= 1

    sign_in(page, OLIVIA)
    open_my_handovers(page, live_url)
    waiting = page.locator("#to-acknowledge-list tr", has_text=key)
    expect(waiting).to_contain_text("Sanne de Vries")
    expect(waiting).to_contain_text("Amsterdam")
    for text in NOTE.values():
        expect(waiting).to_contain_text(text)
    expect(waiting).not_to_contain_text("None was written")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "handovers.png"), full_page=True)

    waiting.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#to-acknowledge").get_by_role("status")).to_contain_text(
        f"Acknowledged the handover of {key}; it is yours now."
    )
    expect(page.locator("#to-acknowledge-list tr", has_text=key)).to_have_count(0)
    expect(page.get_by_role("heading", name="Acknowledged in the last 24 hours")).to_be_visible()
    done = page.locator("#acknowledged-list tr", has_text=key)
    expect(done).to_contain_text(re.compile(r"Sanne de Vries\s+\(Amsterdam\)"))
