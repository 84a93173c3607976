"""Reading customer spaces: who may read which space, and its pages and versions.

Every page, API endpoint and command reads through here, so the rule is written once: staff
who work tickets read every space (an enterprise manager: those of the organizations they
manage); a customer reads their own organization's space if they are
one of its contacts (a named, billing or technical contact of one of its licenses, as for
managing named contacts); another organization's space answers exactly like an unknown one.
"""

from __future__ import annotations

from django.db.models import Case, Count, QuerySet, When
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from premierdesk.accounts.models import User
from premierdesk.customers.models import Organization
from premierdesk.customers.rules import readable_organizations
from premierdesk.lib.errors import NotAllowed, NotFound
from premierdesk.spaces.actions import find_organization, may_write, unknown_page, unknown_space
from premierdesk.spaces.markdown import render
from premierdesk.spaces.models import Page, PageKind, PageVersion
from premierdesk.spaces.rules import require_read_space


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
    if not may_write(user):
        raise NotAllowed("Customer spaces are read by Premier Support staff who work tickets.")
    return readable_organizations(user).annotate(page_count=Count("space_pages")).order_by("name")
