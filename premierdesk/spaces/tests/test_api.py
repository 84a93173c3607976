"""The spaces API: each endpoint, its problem bodies, who reads (the organization's contacts
and staff), who writes (staff), and that a contact of another organization gets exactly the
404 of an unknown space on every endpoint."""

from __future__ import annotations

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.spaces import actions
from premierdesk.spaces.models import Page

pytestmark = pytest.mark.django_db


def assert_problem(response, status: int, detail_part: str = "", field: str | None = None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail", "errors"} <= set(body)
    assert body["status"] == status
    assert detail_part in body["detail"], body["detail"]
    if field is not None:
        assert [e["field"] for e in body["errors"]] == [field]
    return body


def pages_url(org: str) -> str:
    return f"/api/v1/spaces/{org}/pages"


def put(client, url: str, data: dict):
    return client.put(url, data, content_type="application/json")


def post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def notes(northwind, northwind_space, engineer_sydney):
    return actions.write_page(
        engineer_sydney, northwind.slug, "Production", "# Jira\n\n<script>x</script>", "environment"
    )


# Reading ----------------------------------------------------------------------------------


def test_a_contact_lists_their_spaces_pages(as_user, grace, northwind, notes):
    body = as_user(grace).get(pages_url(northwind.slug)).json()
    assert body["count"] == 2
    assert [(p["slug"], p["kind"], p["version"]) for p in body["items"]] == [
        ("how-do-i", "how_do_i", 1),
        ("production", "environment", 1),
    ]
    assert body["items"][1]["updated_by"] == notes.updated_by.email
    assert set(body["items"][0]) == {"slug", "title", "kind", "version", "updated_at", "updated_by"}


def test_a_page_reads_as_sanitised_html_and_markdown(as_user, technical, northwind, notes):
    body = as_user(technical).get(f"{pages_url(northwind.slug)}/production").json()
    assert body["organization"] == northwind.slug
    assert body["markdown"] == "# Jira\n\n<script>x</script>"
    assert body["html"] == "<h1>Jira</h1>\n<p>&lt;script&gt;x&lt;/script&gt;</p>\n"
    assert (body["version"], body["source"]) == (1, "")


def test_versions_list_and_each_version(as_user, grace, engineer_sydney, northwind, notes):
    actions.edit_page(engineer_sydney, northwind.slug, "production", "Prod", "v2", "renamed", 1)
    client = as_user(grace)
    listed = client.get(f"{pages_url(northwind.slug)}/production/versions").json()
    assert [(v["number"], v["title"], v["change_note"]) for v in listed["items"]] == [
        (2, "Prod", "renamed"),
        (1, "Production", ""),
    ]
    assert listed["items"][0]["author"] == engineer_sydney.email
    first = client.get(f"{pages_url(northwind.slug)}/production/versions/1").json()
    assert (first["number"], first["title"]) == (1, "Production")
    assert first["html"].startswith("<h1>Jira</h1>")
    assert_problem(
        client.get(f"{pages_url(northwind.slug)}/production/versions/9"), 404, "no version 9"
    )


def test_staff_read_every_space(as_user, engineer_amsterdam, northwind, kestrel_space):
    client = as_user(engineer_amsterdam)
    assert client.get(pages_url(kestrel_space.organization.slug)).json()["count"] == 1


def test_a_participant_of_the_organization_is_told_who_reads(as_user, participant, northwind_space):
    """An employee who is no contact (a ticket participant) is not let in, and told why."""
    response = as_user(participant).get(pages_url(northwind_space.organization.slug))
    assert_problem(response, 403, "named, billing and technical contacts")


def test_developers_do_not_read_spaces(as_user, northwind_space):
    developer = UserFactory.create(role=Role.DEVELOPER)
    response = as_user(developer).get(pages_url(northwind_space.organization.slug))
    assert_problem(response, 403, "staff who work tickets")


def test_signed_out_requests_are_refused(client, northwind_space):
    assert_problem(client.get(pages_url(northwind_space.organization.slug)), 401)


def test_another_organizations_contact_gets_404_everywhere(
    as_user, alan, grace, northwind, notes, kestrel_space
):
    """Alan (Kestrel's billing contact) asks about Northwind's space: every endpoint answers
    exactly as it does for an organization that does not exist."""
    client = as_user(alan)
    north, nowhere = pages_url(northwind.slug), pages_url("nowhere")
    edit = {"title": "x", "body": "x", "based_on_version": 1}
    requests = [
        lambda base: client.get(base),
        lambda base: client.get(f"{base}/production"),
        lambda base: client.get(f"{base}/production/versions"),
        lambda base: client.get(f"{base}/production/versions/1"),
        lambda base: post(client, base, {"title": "x", "body": "x"}),
        lambda base: put(client, f"{base}/production", edit),
    ]
    for send in requests:
        theirs = assert_problem(send(north), 404)
        unknown = assert_problem(send(nowhere), 404)
        assert theirs["detail"].replace(northwind.slug, "?") == unknown["detail"].replace(
            "nowhere", "?"
        )
    # and Alan's own space is there for him
    assert client.get(pages_url(kestrel_space.organization.slug)).status_code == 200
    assert Page.objects.get(pk=notes.pk).version == 1


def test_unknown_pages(as_user, grace, northwind, northwind_space):
    response = as_user(grace).get(f"{pages_url(northwind.slug)}/missing")
    assert_problem(response, 404, "no page missing")


# Writing ----------------------------------------------------------------------------------


def test_staff_write_a_page(as_user, engineer_sydney, northwind, northwind_space):
    response = post(
        as_user(engineer_sydney),
        pages_url(northwind.slug),
        {"title": "Upgrade plan", "body": "**Saturday**", "kind": "other", "change_note": "new"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["version"], body["html"]) == (
        "upgrade-plan",
        1,
        "<p><strong>Saturday</strong></p>\n",
    )
    assert body["updated_by"] == engineer_sydney.email


def test_writing_refusals_have_problem_bodies(
    as_user, engineer_sydney, grace, northwind, northwind_space
):
    staff = as_user(engineer_sydney)
    assert_problem(
        post(staff, pages_url(northwind.slug), {"title": " ", "body": ""}), 422, "", "title"
    )
    assert_problem(
        post(staff, pages_url(northwind.slug), {"title": "x", "kind": "novel"}), 422, "", "kind"
    )
    refused = post(as_user(grace), pages_url(northwind.slug), {"title": "Mine", "body": "x"})
    assert_problem(refused, 403, "Only Premier Support staff")


def test_staff_save_a_new_version(as_user, engineer_sydney, northwind, notes):
    response = put(
        as_user(engineer_sydney),
        f"{pages_url(northwind.slug)}/production",
        {"title": "Production", "body": "updated", "change_note": "ok", "based_on_version": 1},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["markdown"]) == (2, "updated")


def test_a_stale_edit_is_a_conflict_with_the_diff(
    as_user, engineer_sydney, engineer_amsterdam, northwind, notes
):
    url = f"{pages_url(northwind.slug)}/production"
    first = {"title": "Production", "body": "# Jira 10\n", "based_on_version": 1}
    assert put(as_user(engineer_sydney), url, first).status_code == 200
    second = {"title": "Production", "body": "# Jira 9\nmine\n", "based_on_version": 1}
    body = assert_problem(
        put(as_user(engineer_amsterdam), url, second), 409, "saved version 2", "based_on_version"
    )
    assert body["current_version"] == 2
    assert "+# Jira 10" in body["diff"]
    assert Page.objects.get(pk=notes.pk).version == 2


def test_a_customer_cannot_edit_their_own_space(as_user, grace, northwind, notes):
    edit = {"title": "x", "body": "x", "based_on_version": 1}
    assert_problem(put(as_user(grace), f"{pages_url(northwind.slug)}/production", edit), 403)


# Lists stay a bounded number of queries ----------------------------------------------------


def test_lists_do_not_query_per_row(
    as_user, grace, engineer_sydney, northwind, northwind_space, django_assert_max_num_queries
):
    for n in range(12):
        page = actions.write_page(engineer_sydney, northwind.slug, f"Page {n}", "x")
    for n in range(12):
        actions.edit_page(engineer_sydney, northwind.slug, page.slug, "Page", f"v{n}", "", n + 1)
    client = as_user(grace)
    client.get(pages_url(northwind.slug))  # warm the session
    with django_assert_max_num_queries(10):
        listed = client.get(pages_url(northwind.slug)).json()
    assert listed["count"] == 13
    with django_assert_max_num_queries(10):
        versions = client.get(f"{pages_url(northwind.slug)}/{page.slug}/versions").json()
    assert versions["count"] == 13
