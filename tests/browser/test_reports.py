"""The reports page through Chromium on the demo world: every report and every grouping it
supports is reachable from the form, changing the report offers only its groupings (htmx swaps
the form), and each choice shows a table."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from premierdesk.demo.world import SIGN_INS
from premierdesk.reports.queries import GROUPINGS, REPORTS
from tests.browser.test_sign_in import sign_in

pytestmark = pytest.mark.browser

SUPPORT_MANAGER = dict(SIGN_INS)["Support manager"]


def option_values(page: Page, label: str) -> list[str]:
    values: list[str] = (
        page.get_by_label(label, exact=True)
        .locator("option")
        .evaluate_all("options => options.map(o => o.value)")
    )
    return values


def test_every_report_and_grouping_is_reachable_from_the_form(page: Page, live_url: str) -> None:
    sign_in(page, SUPPORT_MANAGER)
    page.goto("/console/reports/")
    reports = option_values(page, "Report")
    assert reports == list(REPORTS)
    for name in reports:
        page.get_by_label("Report", exact=True).select_option(name)
        # The form is swapped for the chosen report's: only its groupings are offered.
        expect(page.locator(f'#report-filters[data-report="{name}"]')).to_be_attached()
        groupings = list(REPORTS[name].groupings)
        assert option_values(page, "Group by") == groupings
        for grouping in groupings:
            page.get_by_label("Group by", exact=True).select_option(grouping)
            # Wait for the page the button loads, so the next choice is made on it, not on
            # the page being left (whose swap the navigation would throw away).
            with page.expect_navigation():
                page.get_by_role("button", name="Show").click()
            table = page.locator("#report-table")
            expect(table.locator("thead th").first).to_have_text(GROUPINGS[grouping])
            expect(page.get_by_label("Report", exact=True)).to_have_value(name)
            expect(page.get_by_label("Group by", exact=True)).to_have_value(grouping)
            expect(table.locator("tbody tr").first).to_be_visible()
