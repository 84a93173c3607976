"""The space pages: the portal's own space for a customer's contacts, the console's spaces
for staff, isolation between organizations, and what the forms show when refused."""

from __future__ import annotations

import re

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.customers.tests.factories import OrganizationFactory
from premierdesk.spaces import actions
from premierdesk.spaces.models import Page

pytestmark = pytest.mark.django_db
PORTAL = "/portal/space/"
CONSOLE = "/console/spaces/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


@pytest.fixture
def notes(northwind, northwind_space, engineer_sydney):
    return actions.write_page(
        engineer_sydney,
        northwind.slug,
        "Production",
        "Jira **9.12**\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))",
        "environment",
    )


def console_page(org, slug: str = "production") -> str:
    return f"{CONSOLE}{org.slug}/{slug}/"


# Portal -----------------------------------------------------------------------------------


def test_a_contact_sees_their_space_in_the_menu_and_its_pages(as_user, grace, northwind, notes):
    html = as_user(grace).get(PORTAL).content.decode()
    assert re.search(
        f'href="{PORTAL}"[^>]*>Our space</a>', between(html, 'aria-label="Main"', "</nav>")
    )
    pages = text(between(html, '<table id="pages">', "</table>"))
    assert "How do I" in pages
    assert "Production" in pages
    assert pages.index("How do I") < pages.index("Production")


def test_a_page_reads_rendered_and_inert(as_user, grace, notes):
    response = as_user(grace).get(f"{PORTAL}production/")
    assert response.status_code == 200
    article = between(
        response.content.decode(), '<article class="card space-text" id="page-text">', "</article>"
    )
    assert "<strong>9.12</strong>" in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    assert "<img" not in article
    assert 'href="javascript' not in article
    assert "Save a new version" not in response.content.decode()  # customers only read


def test_the_how_do_i_page_gives_the_phone_numbers(as_user, grace, northwind_space):
    html = as_user(grace).get(f"{PORTAL}how-do-i/").content.decode()
    assert "+1 512 555 0142" in html
    assert "Open the ticket first" in text(html)


def test_older_versions_are_readable_in_the_portal(as_user, grace, engineer_sydney, notes):
    actions.edit_page(engineer_sydney, notes.organization.slug, "production", "Prod", "new", "", 1)
    client = as_user(grace)
    current = client.get(f"{PORTAL}production/").content.decode()
    history = text(between(current, '<table id="history">', "</table>"))
    assert history.startswith("Version Title Written By Change note 2 Prod")
    old = client.get(f"{PORTAL}production/versions/1/").content.decode()
    assert "This is version 1 of 2" in text(old)
    assert "<strong>9.12</strong>" in old
    assert client.get(f"{PORTAL}production/versions/5/").status_code == 404


def test_another_organizations_page_is_not_found_in_the_portal(
    as_user, alan, grace, notes, kestrel_space, engineer_sydney
):
    kestrel_only = actions.write_page(
        engineer_sydney, kestrel_space.organization.slug, "Kestrel secrets", "vault"
    )
    grace_client = as_user(grace)
    assert grace_client.get(f"{PORTAL}{kestrel_only.slug}/").status_code == 404
    assert grace_client.get(f"{PORTAL}{kestrel_only.slug}/versions/1/").status_code == 404
    alan_client = as_user(alan)
    assert alan_client.get(f"{PORTAL}production/").status_code == 404
    assert "Production" not in alan_client.get(PORTAL).content.decode()
    assert "Kestrel secrets" in alan_client.get(PORTAL).content.decode()


def test_a_participant_is_told_who_reads_the_space(as_user, participant, northwind_space):
    response = as_user(participant).get(PORTAL)
    assert response.status_code == 403
    assert "named, billing and technical contacts" in response.content.decode()


def test_staff_going_to_the_portal_space_land_in_the_console(as_user, engineer_sydney):
    response = as_user(engineer_sydney).get(PORTAL)
    assert response.status_code == 302
    assert response["Location"] == CONSOLE


def test_portal_list_does_not_query_per_page(
    as_user, grace, northwind, northwind_space, engineer_sydney, django_assert_max_num_queries
):
    for n in range(10):
        actions.write_page(engineer_sydney, northwind.slug, f"Page {n}", "x")
    client = as_user(grace)
    client.get(PORTAL)
    with django_assert_max_num_queries(12):
        html = client.get(PORTAL).content.decode()
    assert html.count('<tr id="page-') == 11


# Console ----------------------------------------------------------------------------------


def test_staff_see_every_organizations_space(
    as_user, engineer_sydney, northwind_space, kestrel, django_assert_max_num_queries
):
    for _ in range(5):
        OrganizationFactory()
    client = as_user(engineer_sydney)
    html = client.get(CONSOLE).content.decode()
    nav = between(html, 'aria-label="Main"', "</nav>")
    assert re.search(f'href="{CONSOLE}"[^>]*>Customer spaces</a>', nav)
    with django_assert_max_num_queries(10):
        html = client.get(CONSOLE).content.decode()
    rows = between(html, '<table id="spaces">', "</table>")
    assert rows.count('<tr id="space-') == 7
    assert "Set up its space" in between(rows, f'id="space-{kestrel.slug}"', "</tr>")


def test_setting_up_a_space_for_an_organization_without_one(as_user, engineer_sydney, kestrel):
    response = as_user(engineer_sydney).post(CONSOLE, {"organization": kestrel.slug})
    assert response.status_code == 302
    assert response["Location"] == f"{CONSOLE}{kestrel.slug}/how-do-i/"
    assert list(Page.objects.filter(organization=kestrel).values_list("slug", flat=True)) == [
        "how-do-i"
    ]


@pytest.mark.parametrize("who", ["grace", "alan", "developer"])
def test_the_console_is_for_staff_who_work_tickets(as_user, request, who, notes):
    person = (
        UserFactory.create(role=Role.DEVELOPER)
        if who == "developer"
        else request.getfixturevalue(who)
    )
    client = as_user(person)
    org = notes.organization
    for url in (
        CONSOLE,
        f"{CONSOLE}{org.slug}/",
        console_page(org),
        f"{console_page(org)}versions/1/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(f"{CONSOLE}{org.slug}/", {"title": "x", "kind": "other"}).status_code == 403
    assert Page.objects.filter(organization=org).count() == 2


def test_staff_write_a_page_with_a_plain_form(as_user, engineer_sydney, northwind, northwind_space):
    client = as_user(engineer_sydney)
    response = client.post(
        f"{CONSOLE}{northwind.slug}/",
        {"title": "Upgrade plan", "kind": "other", "body": "Saturday", "change_note": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == console_page(northwind, "upgrade-plan")
    page = client.get(response["Location"]).content.decode()
    assert "Wrote Upgrade plan (version 1)." in page


def test_a_refused_new_page_keeps_what_was_typed(
    as_user, engineer_sydney, northwind, northwind_space
):
    response = as_user(engineer_sydney).post(
        f"{CONSOLE}{northwind.slug}/",
        {"title": "   ", "kind": "other", "body": "my long text"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Give the page a title." in html
    assert "my long text</textarea>" in html
    assert "<html" not in html  # the section, for htmx to swap


def test_staff_edit_a_page_with_htmx(as_user, engineer_sydney, notes):
    response = as_user(engineer_sydney).post(
        console_page(notes.organization),
        {
            "title": "Production",
            "body": "Jira 10",
            "change_note": "upgraded",
            "based_on_version": 1,
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Saved version 2 of Production." in html
    assert 'name="based_on_version" value="2"' in html
    assert "<p>Jira 10</p>" in html
    assert "upgraded" in text(between(html, '<table id="history">', "</table>"))
    assert AuditEntry.objects.filter(action="spaces.page_edited").count() == 1


def test_an_edit_conflict_keeps_the_text_and_shows_their_changes(
    as_user, engineer_sydney, engineer_amsterdam, notes
):
    """Both opened version 1; Olivia saved first. Sanne's save is refused, her text is still in
    the form, Olivia's changes are shown, and the form is now based on version 2."""
    url = console_page(notes.organization)
    as_user(engineer_sydney).post(
        url, {"title": "Production", "body": "Jira 10 by Olivia", "based_on_version": 1}
    )
    for headers in ({}, HTMX):
        response = as_user(engineer_amsterdam).post(
            url,
            {"title": "Production", "body": "Sanne's careful text", "based_on_version": 1},
            **headers,
        )
        assert response.status_code == 409
        html = response.content.decode()
        assert f"{engineer_sydney.email} saved version 2" in html
        assert "Sanne&#x27;s careful text</textarea>" in html
        assert "+Jira 10 by Olivia" in between(
            html, '<details class="tool" open id="their-changes">', "</details>"
        )
        assert 'name="based_on_version" value="2"' in html
    notes.refresh_from_db()
    assert notes.version == 2
    # Saving again, now knowingly based on version 2, goes through.
    merged = as_user(engineer_amsterdam).post(
        url, {"title": "Production", "body": "Merged", "based_on_version": 2}
    )
    assert merged.status_code == 302
    notes.refresh_from_db()
    assert notes.version == 3


def test_the_console_page_shows_any_version(as_user, engineer_sydney, notes):
    actions.edit_page(engineer_sydney, notes.organization.slug, "production", "Prod", "new", "", 1)
    html = (
        as_user(engineer_sydney)
        .get(f"{console_page(notes.organization)}versions/1/")
        .content.decode()
    )
    assert "This is version 1 of 2" in text(html)
    # The edit form starts from the current version, not the old one shown.
    assert 'name="based_on_version" value="2"' in html
    assert "new</textarea>" in html


def test_an_unknown_space_or_page_is_not_found_in_the_console(as_user, engineer_sydney, notes):
    client = as_user(engineer_sydney)
    assert client.get(f"{CONSOLE}nowhere/").status_code == 404
    assert client.get(console_page(notes.organization, "missing")).status_code == 404


def test_a_new_page_written_with_htmx_comes_back_in_the_section(
    as_user, engineer_sydney, northwind, northwind_space
):
    response = as_user(engineer_sydney).post(
        f"{CONSOLE}{northwind.slug}/",
        {"title": "Upgrade plan", "kind": "other", "body": "x"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Wrote Upgrade plan (version 1)." in html
    assert 'id="page-upgrade-plan"' in html


def test_a_page_with_a_long_history_is_a_bounded_number_of_queries(
    as_user, engineer_sydney, notes, django_assert_max_num_queries
):
    for n in range(15):
        actions.edit_page(
            engineer_sydney, notes.organization.slug, "production", "Production", f"v{n}", "", n + 1
        )
    client = as_user(engineer_sydney)
    client.get(console_page(notes.organization))
    with django_assert_max_num_queries(12):
        html = client.get(console_page(notes.organization)).content.decode()
    assert html.count('<tr id="version-') == 16
