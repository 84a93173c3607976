"""Weekend standby through Chromium against the real server and the demo world
(docs/product/services.md#weekend-standby): Grace, Northwind's named contact, first asks for a
window too soon and is refused beside the start with the earliest window she could ask for, then
asks for a Saturday 09:00-15:00 window at least three weeks ahead and sees it requested; the support
manager confirms it with a skilled engineer from the console, where it shows confirmed.

The server keeps the real time, so the windows are computed from it in Northwind's own zone.
The demo (and other tests) put engineers on standby and on leave, so the engineer to confirm
with is one the server says is free during the window (``free_engineer``, run through
``on_server``), never a fixed name.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from premierdesk.catalog.models import Product
from premierdesk.demo.world import LICENSES, ORGANIZATIONS, SIGN_INS
from premierdesk.offices.models import Absence, Engineer
from premierdesk.services.models import StandbyRequest, StandbyStatus
from premierdesk.services.windows import StandbyRules, earliest_window, window_text
from tests.browser.test_sign_in import path_is, sign_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_EMAILS = dict(SIGN_INS)
GRACE = DEMO_EMAILS["Customer named contact (Northwind)"]
SUPPORT_MANAGER = DEMO_EMAILS["Support manager"]
NORTHWIND_SEN = LICENSES[0].sen
NORTHWIND_ZONE = ZoneInfo(ORGANIZATIONS[0][2])
PRODUCT_SLUG = "jira-software"
PRODUCT = "Jira Software Data Center"
# docs/product/services.md#weekend-standby: at least 3 weeks ahead, at most 8 hours.
RULES = StandbyRules(notice=timedelta(days=21), max_length=timedelta(hours=8))
SATURDAY = 5
WALL_TIME = "%Y-%m-%dT%H:%M"


# On the server.


def free_engineer(product_slug: str, starts_at: str, ends_at: str) -> dict[str, str]:
    """On the server: an active engineer skilled in the product, neither absent nor on a
    confirmed standby during the window; their e-mail and full name."""
    starts, ends = datetime.fromisoformat(starts_at), datetime.fromisoformat(ends_at)
    product = Product.objects.get(slug=product_slug)
    busy = StandbyRequest.objects.filter(
        status=StandbyStatus.CONFIRMED, starts_at__lt=ends, ends_at__gt=starts
    ).values("engineer_id")
    absent = Absence.objects.filter(starts_at__lt=ends, ends_at__gt=starts).values("engineer_id")
    engineer = (
        Engineer.objects.filter(skills=product, user__is_active=True)
        .exclude(pk__in=busy)
        .exclude(pk__in=absent)
        .select_related("user")
        .order_by("user__full_name")
        .first()
    )
    assert engineer is not None, f"no engineer skilled in {product_slug} is free then"
    return {"email": engineer.user.email, "name": engineer.user.full_name}


# Windows, from the real time.


def saturday_window(after: datetime) -> tuple[datetime, datetime]:
    """Saturday 09:00-15:00 (Northwind's wall time) of the first Saturday whose 09:00 is
    later than ``after``."""
    day = after.astimezone(NORTHWIND_ZONE).date()
    day += timedelta(days=(SATURDAY - day.weekday()) % 7)
    while True:
        starts = datetime.combine(day, time(9), NORTHWIND_ZONE)
        if starts > after:
            return starts, datetime.combine(day, time(15), NORTHWIND_ZONE)
        day += timedelta(days=7)


def earliest_texts(asked_between: tuple[datetime, datetime], not_before: datetime) -> set[str]:
    """What the refusal may name as the earliest window, asked at some instant (whole
    minutes matter) between the two given."""
    first, last = asked_between
    instant = first.replace(second=0, microsecond=0)
    texts = set()
    while instant <= last + timedelta(minutes=1):
        window = earliest_window(instant, NORTHWIND_ZONE.key, RULES, not_before=not_before)
        texts.add(window_text(window, NORTHWIND_ZONE))
        instant += timedelta(minutes=1)
    return texts


# In the browser.


def ask_for_standby(page: Page, starts: datetime, ends: datetime, plan: str) -> None:
    form = page.locator("#ask-standby")
    form.get_by_label("License (SEN)").select_option(value=NORTHWIND_SEN)
    form.get_by_label("Product", exact=True).select_option(label=PRODUCT)
    form.get_by_label("From", exact=True).fill(starts.strftime(WALL_TIME))
    form.get_by_label("To", exact=True).fill(ends.strftime(WALL_TIME))
    form.get_by_label("What is planned").fill(plan)
    form.get_by_role("button", name="Ask for standby").click()


def test_grace_asks_for_standby_and_the_support_manager_confirms_it(
    page: Page, live_url: str, on_server: Callable[..., Any]
) -> None:
    plan = f"Upgrade Jira from 9.12 to 10.3 on all four nodes ({uuid.uuid4().hex[:6]})."
    sign_in(page, GRACE)
    expect(page).to_have_url(path_is(live_url, "/portal/"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Weekend standby").click()
    expect(page).to_have_url(path_is(live_url, "/standby/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekend standby")

    # Too soon: the coming weekend.
    too_soon, too_soon_end = saturday_window(datetime.now(UTC) + timedelta(hours=2))
    asked_from = datetime.now(UTC)
    ask_for_standby(page, too_soon, too_soon_end, plan)
    form = page.locator("#ask-standby")
    refusal = form.locator(".errorlist")
    expect(refusal).to_contain_text(re.compile(r"Asked \d+ days? ahead; standby needs 21\."))
    expect(refusal).to_contain_text("The earliest window you can ask for runs from")
    asked_until = datetime.now(UTC)
    shown = refusal.inner_text()
    named = earliest_texts((asked_from, asked_until), too_soon)
    assert any(text in shown for text in named), f"{shown!r} names none of {named}"
    expect(page).to_have_url(path_is(live_url, "/standby/"))
    # Nothing typed is lost.
    expect(form.get_by_label("From", exact=True)).to_have_value(too_soon.strftime(WALL_TIME))
    expect(form.get_by_label("What is planned")).to_have_value(plan)

    # At least three weeks ahead (an hour to spare), Saturday 09:00-15:00 in New York.
    starts, ends = saturday_window(datetime.now(UTC) + RULES.notice + timedelta(hours=1))
    ask_for_standby(page, starts, ends, plan)
    expect(page).to_have_url(re.compile(re.escape(live_url) + r"/standby/\d+/$"))
    standby_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    key = f"SB-{standby_id}"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{key}: weekend standby")
    expect(page.locator("#status")).to_have_text("Requested")
    expect(page.locator("main")).to_contain_text(plan)
    window = f"{starts:%a} {starts.day} {starts:%b %Y} 09:00"
    expect(page.locator("main")).to_contain_text(window)
    page.get_by_role("link", name="All standby requests").click()
    mine = page.locator("#standby-requests tr").filter(
        has=page.get_by_role("link", name=key, exact=True)
    )
    expect(mine).to_contain_text("Requested")
    expect(mine).to_contain_text(PRODUCT)
    page.get_by_role("button", name="Sign out").click()

    engineer = on_server(
        free_engineer,
        PRODUCT_SLUG,
        starts.astimezone(UTC).isoformat(),
        ends.astimezone(UTC).isoformat(),
    )
    sign_in(page, SUPPORT_MANAGER)
    expect(page).to_have_url(path_is(live_url, "/console/"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Weekend standby").click()
    expect(page).to_have_url(path_is(live_url, "/console/standby/"))
    row = page.locator(f"#standby-{standby_id}")
    expect(row).to_contain_text("Northwind Logistics")
    expect(row).to_contain_text("Requested")
    row.get_by_label("Engineer").select_option(value=engineer["email"])
    row.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(path_is(live_url, "/console/standby/"))
    expect(page.locator(".messages")).to_contain_text(f"{key} confirmed.")
    row = page.locator(f"#standby-{standby_id}")
    expect(row).to_contain_text("Confirmed")
    expect(row).to_contain_text(engineer["name"])
    expect(row.get_by_role("button", name="Confirm")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "standby.png"), full_page=True)

    page.goto(f"/standby/{standby_id}/")
    expect(page.locator("#status")).to_have_text("Confirmed")
    expect(page.locator("main")).to_contain_text(engineer["name"])
