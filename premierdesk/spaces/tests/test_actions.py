"""Writing spaces: the space made at onboarding, pages and their versions, two people editing
at once, who may write, and the audit trail of every change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from premierdesk.accounts.models import Role
from premierdesk.accounts.tests.factories import UserFactory
from premierdesk.audit.models import AuditEntry
from premierdesk.customers.actions import onboard_organization
from premierdesk.customers.models import Organization
from premierdesk.lib.errors import Conflict, InvalidInput, NotAllowed, NotFound
from premierdesk.spaces import actions, queries
from premierdesk.spaces.models import AppendOnlyError, Page, PageKind, PageVersion

pytestmark = pytest.mark.django_db


def audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


# Onboarding -------------------------------------------------------------------------------


def test_onboarding_an_organization_gives_it_a_how_do_i_page(administrator):
    organization = Organization(name="Acme Rail", slug="acme-rail", time_zone="Europe/Paris")
    onboard_organization(administrator, organization, ["name", "slug", "time_zone"])

    page = Page.objects.get(organization=organization)
    assert (page.slug, page.title, page.kind, page.version) == (
        "how-do-i",
        "How do I",
        PageKind.HOW_DO_I,
        1,
    )
    text = page.versions.get().body_markdown
    assert "Acme Rail" in text
    assert "+1 512 555 0142" in text  # the phone numbers for critical tickets
    assert "/portal/tickets/new/" in text  # where to open a ticket
    for say in ("SEN", "product", "level"):
        assert say in text
    assert [e.object_id for e in audit("customers.organization.created")] == [str(organization.pk)]
    assert [e.object_id for e in audit("spaces.space_created")] == [str(organization.pk)]
    assert audit("spaces.page_written")[0].actor == administrator


def test_an_organization_added_in_the_admin_gets_its_space(administrator, as_user):
    response = as_user(administrator).post(
        "/admin/customers/organization/add/",
        {"name": "Acme Rail", "slug": "acme-rail", "time_zone": "Europe/Paris"},
    )
    assert response.status_code == 302, response.content
    organization = Organization.objects.get(slug="acme-rail")
    assert list(Page.objects.filter(organization=organization).values_list("slug", flat=True)) == [
        "how-do-i"
    ]


def test_a_failed_space_leaves_no_organization(administrator, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "_new_page", broken)
    organization = Organization(name="Acme Rail", slug="acme-rail", time_zone="Europe/Paris")
    with pytest.raises(RuntimeError):
        onboard_organization(administrator, organization, ["name"])
    assert not Organization.objects.filter(slug="acme-rail").exists()
    assert not audit("customers.organization.created")


def test_creating_a_space_twice_changes_nothing(northwind, administrator):
    first = actions.create_space(northwind, administrator)
    again = actions.create_space(northwind, administrator)
    assert again.pk == first.pk
    assert PageVersion.objects.filter(page__organization=northwind).count() == 1
    assert len(audit("spaces.space_created")) == 1


# Writing and editing ------------------------------------------------------------------------


def test_staff_write_a_page_as_version_one(engineer_sydney, northwind, northwind_space):
    page = actions.write_page(
        engineer_sydney, northwind.slug, "  Production  environment ", "Jira 9.12", "environment"
    )
    assert (page.slug, page.title, page.kind, page.version) == (
        "production-environment",
        "Production environment",
        PageKind.ENVIRONMENT,
        1,
    )
    version = page.versions.get()
    assert (version.number, version.body_markdown, version.author) == (
        1,
        "Jira 9.12",
        engineer_sydney,
    )
    entry = audit("spaces.page_written")[-1]
    assert (entry.actor, entry.object_id) == (engineer_sydney, str(page.pk))
    assert entry.changes["version"] == [None, 1]


def test_a_taken_title_gets_its_own_slug(engineer_sydney, northwind, northwind_space):
    first = actions.write_page(engineer_sydney, northwind.slug, "Notes", "a")
    second = actions.write_page(engineer_sydney, northwind.slug, "Notes", "b")
    assert (first.slug, second.slug) == ("notes", "notes-2")


def test_edits_append_versions_and_keep_every_one(
    engineer_sydney, engineer_amsterdam, northwind, northwind_space, frozen
):
    page = actions.write_page(engineer_sydney, northwind.slug, "Notes", "one")
    frozen.shift(timedelta(hours=1))
    page = actions.edit_page(
        engineer_amsterdam, northwind.slug, "notes", "Notes v2", "two", "more detail", 1
    )
    assert (page.version, page.title, page.updated_by) == (2, "Notes v2", engineer_amsterdam)
    assert page.slug == "notes"  # links to the page keep working
    versions = list(page.versions.order_by("number"))
    assert [(v.number, v.body_markdown, v.author) for v in versions] == [
        (1, "one", engineer_sydney),
        (2, "two", engineer_amsterdam),
    ]
    assert versions[1].change_note == "more detail"
    assert versions[1].written_at - versions[0].written_at == timedelta(hours=1)
    entry = audit("spaces.page_edited")[-1]
    assert entry.changes == {"version": [1, 2], "title": ["Notes", "Notes v2"]}
    assert entry.reason == "more detail"


def test_two_staff_editing_at_once_lose_nothing(
    engineer_sydney, engineer_amsterdam, northwind, northwind_space
):
    """Both loaded version 1. The first save wins; the second is refused with who saved, the
    current version and the diff of their changes, and nothing of either is overwritten."""
    page = actions.write_page(engineer_sydney, northwind.slug, "Notes", "line a\nline b\n")
    actions.edit_page(
        engineer_sydney, northwind.slug, page.slug, "Notes", "line a\nline B\n", "", 1
    )
    with pytest.raises(Conflict) as refused:
        actions.edit_page(
            engineer_amsterdam, northwind.slug, page.slug, "Notes", "line a\nmine\n", "", 1
        )
    assert engineer_sydney.email in refused.value.detail
    assert "saved version 2" in refused.value.detail
    assert [e.field for e in refused.value.errors] == ["based_on_version"]
    assert refused.value.extra["current_version"] == 2
    assert "-line b\n+line B\n" in str(refused.value.extra["diff"])
    page.refresh_from_db()
    assert page.version == 2
    assert list(page.versions.values_list("body_markdown", flat=True)) == [
        "line a\nline B\n",
        "line a\nline b\n",
    ]
    assert len(audit("spaces.page_edited")) == 1
    # Merged and based on version 2, the second writer's save goes through.
    merged = actions.edit_page(
        engineer_amsterdam, northwind.slug, page.slug, "Notes", "line a\nline B\nmine\n", "", 2
    )
    assert merged.version == 3


def test_a_version_that_never_was_is_refused(engineer_sydney, northwind, northwind_space):
    with pytest.raises(Conflict, match="has no version 7"):
        actions.edit_page(engineer_sydney, northwind.slug, "how-do-i", "How do I", "x", "", 7)


@pytest.mark.parametrize(
    ("title", "body", "kind", "field"),
    [
        ("   ", "x", "other", "title"),
        ("x" * 201, "x", "other", "title"),
        ("Notes", "x" * 200_001, "other", "body"),
        ("Notes", "x", "novel", "kind"),
    ],
)
def test_invalid_pages_are_refused_on_their_field(
    engineer_sydney, northwind, northwind_space, title, body, kind, field
):
    with pytest.raises(InvalidInput) as refused:
        actions.write_page(engineer_sydney, northwind.slug, title, body, kind)
    assert [e.field for e in refused.value.errors] == [field]
    assert Page.objects.filter(organization=northwind).count() == 1


def test_customers_and_developers_do_not_write(grace, alan, northwind, northwind_space):
    developer = UserFactory.create(role=Role.DEVELOPER)
    for writer in (grace, developer):
        with pytest.raises(NotAllowed, match="Only Premier Support staff"):
            actions.write_page(writer, northwind.slug, "Mine", "x")
        with pytest.raises(NotAllowed):
            actions.edit_page(writer, northwind.slug, "how-do-i", "Mine", "x", "", 1)
    # Another customer's space answers like one that does not exist.
    with pytest.raises(NotFound) as other:
        actions.write_page(alan, northwind.slug, "Mine", "x")
    with pytest.raises(NotFound) as unknown:
        actions.write_page(alan, "no-such-org", "Mine", "x")
    assert other.value.detail.replace(northwind.slug, "?") == unknown.value.detail.replace(
        "no-such-org", "?"
    )
    assert Page.objects.filter(organization=northwind).count() == 1
    assert not audit("spaces.page_edited")


def test_unknown_space_and_page(engineer_sydney, northwind_space):
    with pytest.raises(NotFound, match="no customer space nowhere"):
        actions.write_page(engineer_sydney, "nowhere", "Notes", "x")
    with pytest.raises(NotFound, match="no page missing"):
        actions.edit_page(
            engineer_sydney, northwind_space.organization.slug, "missing", "T", "x", "", 1
        )


def test_versions_are_never_changed_or_deleted(northwind_space):
    version = northwind_space.versions.get()
    version.body_markdown = "rewritten"
    with pytest.raises(AppendOnlyError):
        version.save()
    with pytest.raises(AppendOnlyError):
        version.delete()
    with pytest.raises(AppendOnlyError):
        PageVersion.objects.filter(pk=version.pk).update(body_markdown="rewritten")
    with pytest.raises(AppendOnlyError):
        PageVersion.objects.filter(pk=version.pk).delete()


# Health-check reports ---------------------------------------------------------------------


def test_a_health_check_report_is_published_once_per_source(
    engineer_sydney, engineer_amsterdam, northwind, northwind_space
):
    page = actions.publish_report(
        northwind, "Health check: Jira", "## Findings", "health_check:12", engineer_sydney
    )
    assert (page.kind, page.source, page.version, page.slug) == (
        PageKind.HEALTH_CHECK_REPORT,
        "health_check:12",
        1,
        "health-check-jira",
    )
    again = actions.publish_report(
        northwind,
        "Health check: Jira",
        "## Findings (revised)",
        "health_check:12",
        engineer_amsterdam,
    )
    assert again.pk == page.pk
    assert again.version == 2
    assert again.versions.get(number=2).body_markdown == "## Findings (revised)"
    assert Page.objects.filter(organization=northwind, source="health_check:12").count() == 1
    assert [e.action for e in AuditEntry.objects.filter(object_id=str(page.pk))] == [
        "spaces.page_edited",
        "spaces.page_written",
    ]


def test_only_staff_publish_reports(grace, northwind, northwind_space):
    with pytest.raises(NotAllowed):
        actions.publish_report(northwind, "Report", "x", "health_check:1", grace)
    with pytest.raises(InvalidInput):
        actions.publish_report(
            northwind, "Report", "x", "  ", UserFactory.create(role=Role.ADMINISTRATOR)
        )


def test_the_how_do_i_page_states_todays_service_policy(northwind):
    from premierdesk.services.models import ServicePolicy

    ServicePolicy.objects.update_or_create(
        pk=1, defaults={"standby_notice_days": 14, "standby_max_hours": 6}
    )
    text = " ".join(queries.how_do_i_text(northwind).split())
    assert "**weekend standby** (at least 14 days ahead, at most 6 hours)" in text
