"""The reports page: every report with every grouping it supports renders a table with
headers in words and names, not slugs; a grouping the report does not support is refused
beside the field (never an error page), and the form offers only the chosen report's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.customers.tests.factories import LicenseFactory, OrganizationFactory
from premierdesk.offices.tests.factories import OfficeFactory
from premierdesk.reports.queries import COLUMNS, GROUPINGS, REPORTS
from premierdesk.testing.fixtures import frozen_at
from premierdesk.tickets.models import Status, Ticket
from premierdesk.tickets.tests.factories import make_products

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 20, 9, 0, tzinfo=UTC)
PAGE = "/console/reports/"
EVERY = [(name, by) for name, entry in REPORTS.items() for by in entry.groupings]

frozen = frozen_at(NOW)


@pytest.fixture
def manager_client(as_user):
    products = make_products()
    office = OfficeFactory.create(name="Amsterdam", slug="ams-1")
    northwind = OrganizationFactory.create(name="Northwind Logistics", slug="northwind")
    license = LicenseFactory.create(organization=northwind)
    opener = UserFactory.create(role=Role.CUSTOMER, organization=northwind)
    opened, resolved = datetime(2026, 5, 4, 9, tzinfo=UTC), datetime(2026, 5, 5, 9, tzinfo=UTC)
    Ticket.objects.create(
        license=license,
        organization=northwind,
        product=products["jira-software"],
        product_version="1",
        environment="production",
        level="L2",
        summary="report",
        description="report",
        opened_by=opener,
        opened_at=opened,
        status=Status.RESOLVED,
        status_changed_at=resolved,
        updated_at=resolved,
        resolved_at=resolved,
        office=office,
    )
    return as_user(UserFactory.create(role=Role.SUPPORT_MANAGER))


def options(page: str, name: str) -> list[str]:
    start = page.index(f'name="{name}"')
    select = page[start : page.index("</select>", start)]
    return [part.split('"')[0] for part in select.split('<option value="')[1:]]


@pytest.mark.parametrize(("name", "by"), EVERY)
def test_every_report_renders_every_grouping_it_supports(manager_client, name, by):
    response = manager_client.get(f"{PAGE}?report={name}&by={by}&since=2026-04&until=2026-05")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="report-table"' in page
    header = page[page.index("<thead>") : page.index("</thead>")]
    assert f"<th>{GROUPINGS[by]}</th>" in header
    for column in response.context["table"].columns[1:]:
        assert f"<th>{COLUMNS[column]}</th>" in header
    assert options(page, "by") == list(REPORTS[name].groupings)  # only this report's
    assert f'<option value="{by}" selected>' in page


def test_headers_and_groups_read_as_words_not_keys_or_slugs(manager_client):
    page = manager_client.get(f"{PAGE}?report=resolution&by=office&since=2026-05").content
    text = page.decode()
    assert "<th>Average hours</th>" in text
    assert "Averagehours" not in text
    assert "<td>Amsterdam</td>" in text
    assert "ams-1" not in text
    by_organization = manager_client.get(f"{PAGE}?report=volume&by=organization").content
    assert b"<td>Northwind Logistics</td>" in by_organization
    handovers = manager_client.get(f"{PAGE}?report=handovers").content.decode()
    assert ">From office</option>" in handovers
    assert "Fromoffice" not in handovers


@pytest.mark.parametrize("name", ["handovers", "satisfaction"])
def test_a_grouping_the_report_lacks_is_refused_beside_the_field(manager_client, name):
    # The plain GET of a form whose report changed without JavaScript: by=level stayed.
    response = manager_client.get(f"{PAGE}?report={name}&by=level&since=2026-04&until=2026-05")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="report-table"' not in page
    assert f"{REPORTS[name].label} cannot be grouped by &#x27;level&#x27;" in page
    assert 'class="errorlist"' in page
    assert options(page, "by") == list(REPORTS[name].groupings)
    assert 'value="2026-04"' in page  # what was typed is kept


def test_a_month_that_is_not_one_is_refused_beside_the_field(manager_client):
    response = manager_client.get(f"{PAGE}?report=volume&since=May")
    assert response.status_code == 400
    assert "&#x27;May&#x27; is not a month; write YYYY-MM." in response.content.decode()


@pytest.mark.parametrize("name", list(REPORTS))
def test_changing_the_report_swaps_in_a_form_with_its_groupings(manager_client, name):
    response = manager_client.get(
        f"{PAGE}form/?report={name}&by=level&since=2026-02", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<form method="get" class="filters" id="report-filters"')
    assert f'data-report="{name}"' in page
    assert options(page, "by") == list(REPORTS[name].groupings)
    chosen = "level" if "level" in REPORTS[name].groupings else REPORTS[name].groupings[0]
    assert f'<option value="{chosen}" selected>' in page
    assert 'value="2026-02"' in page


def test_the_api_refuses_a_grouping_from_the_same_table(manager_client):
    response = manager_client.get("/api/v1/reports/handovers?by=level")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == [
        {
            "field": "by",
            "message": "Handovers cannot be grouped by 'level'; group it by "
            "from office (from_office), to office (to_office).",
        }
    ]
