"""Writing customer spaces (docs/product/services.md#customer-spaces): the space made at onboarding,
pages staff write and edit, and health-check reports published into it.

A page's text is only ever added to: every save is a new ``PageVersion``. Saving claims the
next number with a conditional update on the page's current version, so of two people editing
the same version at once exactly one wins and the other is told, with nothing lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from premierdesk.accounts.models import User
from premierdesk.audit.actions import record
from premierdesk.customers.models import Organization
from premierdesk.lib.errors import InvalidInput
from premierdesk.spaces.models import Page, PageKind, PageVersion
from premierdesk.spaces.queries import edit_conflict, find_organization, how_do_i_text, unknown_page
from premierdesk.spaces.rules import require_write_space

HOW_DO_I_SLUG = "how-do-i"
HOW_DO_I_TITLE = "How do I"
MAX_TITLE = 200  # as Page.title
MAX_NOTE = 500  # as PageVersion.change_note
MAX_BODY = 200_000  # characters; a page, not an archive (attachments belong on tickets)


@dataclass(frozen=True)
class Text:
    """What a person wrote for one version of a page."""

    title: str
    body: str
    change_note: str = ""


def _clean(text: Text) -> Text:
    title = " ".join(text.title.split())
    if not title:
        raise InvalidInput.on_field("title", "Give the page a title.")
    if len(title) > MAX_TITLE:
        raise InvalidInput.on_field("title", f"Keep the title under {MAX_TITLE} characters.")
    if len(text.body) > MAX_BODY:
        raise InvalidInput.on_field(
            "body", f"A page holds at most {MAX_BODY:,} characters; split it into pages."
        )
    note = " ".join(text.change_note.split())
    if len(note) > MAX_NOTE:
        raise InvalidInput.on_field(
            "change_note", f"Keep the change note under {MAX_NOTE} characters."
        )
    return Text(title, text.body.replace("\r\n", "\n"), note)


def _free_slug(organization: Organization, title: str) -> str:
    base = slugify(title)[:70] or "page"
    taken = set(
        Page.objects.filter(organization=organization, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _new_page(
    actor: User | None,
    organization: Organization,
    text: Text,
    kind: str,
    *,
    slug: str | None = None,
    source: str = "",
) -> Page:
    now = timezone.now()
    page = Page.objects.create(
        organization=organization,
        slug=slug or _free_slug(organization, text.title),
        title=text.title,
        kind=kind,
        version=1,
        source=source,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )
    _write_version(actor, page, 1, text)
    record(
        actor,
        "spaces.page_written",
        page,
        changes={"version": [None, 1], "title": [None, text.title], "kind": [None, kind]},
        reason=text.change_note,
    )
    return page


def _write_version(actor: User | None, page: Page, number: int, text: Text) -> PageVersion:
    return PageVersion.objects.create(
        page=page,
        number=number,
        title=text.title,
        body_markdown=text.body,
        author=actor,
        written_at=page.updated_at,
        change_note=text.change_note,
    )


@transaction.atomic
def create_space(organization: Organization, actor: User | None) -> Page:
    """Give a new organization its space, with the "How do I" page. Called when the
    organization is onboarded; calling it again changes nothing and returns the page."""
    existing = Page.objects.filter(organization=organization, slug=HOW_DO_I_SLUG).first()
    if existing is not None:
        return existing
    text = Text(HOW_DO_I_TITLE, how_do_i_text(organization), "Space created at onboarding")
    page = _new_page(actor, organization, text, PageKind.HOW_DO_I, slug=HOW_DO_I_SLUG)
    record(actor, "spaces.space_created", organization, changes={"pages": [0, 1]})
    return page


@transaction.atomic
def write_page(
    actor: User,
    org_slug: str,
    title: str,
    body: str,
    kind: str = PageKind.OTHER,
    change_note: str = "",
) -> Page:
    """A new page in the organization's space (staff only)."""
    require_write_space(actor, org_slug)
    organization = find_organization(org_slug)
    if kind not in PageKind.values:
        kinds = ", ".join(PageKind.values)
        raise InvalidInput.on_field("kind", f"{kind} is not a kind of page; use one of {kinds}.")
    return _new_page(actor, organization, _clean(Text(title, body, change_note)), kind)


@transaction.atomic
def edit_page(
    actor: User,
    org_slug: str,
    page_slug: str,
    title: str,
    body: str,
    change_note: str,
    based_on_version: int,
) -> Page:
    """Save a new version of the page. ``based_on_version`` is the version the writer started
    from: if someone saved another version meanwhile, nothing is saved and the refusal says
    who, and carries what they changed, so the writer can merge and save again."""
    require_write_space(actor, org_slug)
    page = _find_page(find_organization(org_slug), page_slug)
    return _save_version(actor, page, _clean(Text(title, body, change_note)), based_on_version)


def _find_page(organization: Organization, page_slug: str) -> Page:
    page = Page.objects.filter(organization=organization, slug=page_slug).first()
    if page is None:
        raise unknown_page(organization.slug, page_slug)
    return page


def _save_version(actor: User, page: Page, text: Text, based_on: int) -> Page:
    now = timezone.now()
    claimed = Page.objects.filter(pk=page.pk, version=based_on).update(
        version=based_on + 1, title=text.title, updated_at=now, updated_by=actor
    )
    if claimed != 1:
        raise edit_conflict(page.pk, based_on)
    before = page.title
    page.refresh_from_db()
    _write_version(actor, page, page.version, text)
    record(
        actor,
        "spaces.page_edited",
        page,
        changes={"version": [based_on, page.version], "title": [before, text.title]},
        reason=text.change_note,
    )
    return page


@transaction.atomic
def publish_report(
    organization: Organization, title: str, body: str, source: str, actor: User
) -> Page:
    """Publish a health-check report (Markdown) in the organization's space, for its contacts
    to read. ``source`` names what the report comes from, e.g. ``"health_check:12"``:
    publishing the same source again adds a version to that page rather than a second page.
    ``actor`` is the engineer who delivers it (support staff). Returns the page."""
    require_write_space(actor, organization.slug)
    text = _clean(Text(title, body, "Health-check report published"))
    source = source.strip()
    if not source or len(source) > 64:
        raise InvalidInput.on_field("source", "Name the report's source, e.g. health_check:12.")
    page = Page.objects.select_for_update().filter(organization=organization, source=source).first()
    if page is None:
        return _new_page(actor, organization, text, PageKind.HEALTH_CHECK_REPORT, source=source)
    republished = Text(text.title, text.body, "Health-check report published again")
    return _save_version(actor, page, republished, page.version)
