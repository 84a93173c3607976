"""Reading customer spaces: who may read which space, and its pages and versions, what changed
between two versions (and the refusal of an edit made on an old one), and the first text of a
new space's "How do I" page.

Every page, API endpoint and command reads through here, so the rule is written once: staff
who work tickets read every space (an enterprise manager: those of the organizations they
manage); a customer reads their own organization's space if they are
one of its contacts (a named, billing or technical contact of one of its licenses, as for
managing named contacts); another organization's space answers exactly like an unknown one.
"""

from __future__ import annotations

import difflib

from django.db.models import Case, Count, QuerySet, When
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from premierdesk.accounts.models import User
from premierdesk.customers.models import Organization
from premierdesk.customers.rules import readable_organizations
from premierdesk.lib.errors import Conflict, FieldError, NotFound
from premierdesk.spaces import hooks
from premierdesk.spaces.markdown import render
from premierdesk.spaces.models import Page, PageKind, PageVersion
from premierdesk.spaces.rules import require_read_space, require_read_spaces, unknown_space


def readable_space(user: User, org_slug: str) -> Organization:
    """The organization whose space ``user`` may read. To a customer, another organization's
    space looks exactly like one that does not exist."""
    if user.is_customer:
        if user.organization is None or user.organization.slug != org_slug:
            raise unknown_space(org_slug)
        require_read_space(user, timezone.now())
        return user.organization
    require_read_space(user, timezone.now())
    organization = find_organization(org_slug)
    if not readable_organizations(user).filter(pk=organization.pk).exists():
        # An enterprise manager reads the spaces of the organizations they manage.
        raise unknown_space(org_slug)
    return organization


def own_space(user: User) -> Organization:
    """The signed-in customer's own organization, if they may read its space."""
    if user.organization is None:
        raise NotFound("Only customer contacts have a space of their own.")
    return readable_space(user, user.organization.slug)


def pages_of(organization: Organization) -> QuerySet[Page]:
    """The space's pages, "How do I" first, then by title."""
    return (
        Page.objects.filter(organization=organization)
        .select_related("organization", "updated_by")
        .alias(how_do_i_first=Case(When(kind=PageKind.HOW_DO_I, then=0), default=1))
        .order_by("how_do_i_first", "title", "pk")
    )


def page_in(organization: Organization, page_slug: str) -> Page:
    page = pages_of(organization).filter(slug=page_slug).first()
    if page is None:
        raise unknown_page(organization.slug, page_slug)
    return page


def readable_page(user: User, org_slug: str, page_slug: str) -> Page:
    return page_in(readable_space(user, org_slug), page_slug)


def versions_of(page: Page) -> QuerySet[PageVersion]:
    """The page's versions, latest first."""
    return PageVersion.objects.filter(page=page).select_related("author").order_by("-number")


def version_of(page: Page, number: int | None = None) -> PageVersion:
    """One version of the page; without ``number``, the current one."""
    wanted = page.version if number is None else number
    found = versions_of(page).filter(number=wanted).first()
    if found is None:
        raise NotFound(f"{page.title} has no version {wanted}; its latest is {page.version}.")
    return found


def html_of(version: PageVersion) -> SafeString:
    """The version's text as HTML, sanitised (spaces.markdown), so a template may show it."""
    return mark_safe(render(version.body_markdown))  # noqa: S308 - nh3 allow-list output


def spaces(user: User) -> QuerySet[Organization]:
    """The organizations whose spaces staff see, each with its number of pages."""
    require_read_spaces(user)
    return readable_organizations(user).annotate(page_count=Count("space_pages")).order_by("name")


def unknown_page(org_slug: str, page_slug: str) -> NotFound:
    return NotFound(f"The space {org_slug} has no page {page_slug}.")


def find_organization(org_slug: str) -> Organization:
    organization = Organization.objects.filter(slug=org_slug).first()
    if organization is None:
        raise unknown_space(org_slug)
    return organization


def how_do_i_text(organization: Organization) -> str:
    """The first version of an organization's "How do I" page: how to open a ticket, the phone
    numbers for critical tickets and what to say on the phone. Its links are relative, so the
    stored text stays right whatever address the service is reached at."""
    context = {
        "organization": organization,
        "service_policy": hooks.standby_terms(),  # today's figures, not the defaults
    }
    return render_to_string("spaces/how_do_i.md", context).strip() + "\n"


def edit_conflict(page_id: int, based_on: int) -> Conflict:
    """Someone saved the page after ``based_on``: say who, and put in the refusal what they
    changed (``diff``, a unified diff from ``based_on`` to now) and the current version."""
    page = Page.objects.select_related("updated_by").get(pk=page_id)
    if based_on > page.version or based_on < 1:
        return _version_conflict(
            f"{page.title} has no version {based_on}; the current one is {page.version}. "
            "Reload the page and edit that."
        )
    who = page.updated_by.email if page.updated_by else "the system"
    conflict = _version_conflict(
        f"{who} saved version {page.version} of {page.title} at {page.updated_at:%Y-%m-%d %H:%M} "
        f"UTC while you were editing version {based_on}, so your text was not saved. Merge "
        "their changes (shown) into your text and save again, or reload the page."
    )
    conflict.extra = {
        "current_version": page.version,
        "diff": changes_between(page, based_on, page.version),
    }
    return conflict


def _version_conflict(detail: str) -> Conflict:
    return Conflict(detail, errors=[FieldError("based_on_version", detail)])


def changes_between(page: Page, old: int, new: int) -> str:
    """A unified diff of the page's text from version ``old`` to version ``new``."""
    texts = dict(
        PageVersion.objects.filter(page=page, number__in=[old, new]).values_list(
            "number", "body_markdown"
        )
    )
    lines = difflib.unified_diff(
        texts.get(old, "").splitlines(keepends=True),
        texts.get(new, "").splitlines(keepends=True),
        fromfile=f"version {old}",
        tofile=f"version {new}",
    )
    return "".join(lines)
