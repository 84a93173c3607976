"""API of customer spaces: an organization's pages (by its slug), their versions, and the
staff's writing and editing. Who may read or write is decided in ``spaces.queries`` and
``spaces.actions``; a customer asking about another organization's space gets a 404."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from premierdesk.accounts.access import current_user
from premierdesk.restapi.pagination import PagePagination
from premierdesk.restapi.schemas import REFUSALS
from premierdesk.spaces import actions, queries
from premierdesk.spaces.models import Page, PageKind, PageVersion

router = Router(tags=["spaces"])

PAGES = "/spaces/{org}/pages"
PAGE = PAGES + "/{slug}"


class PageSummaryOut(Schema):
    slug: str
    title: str
    kind: str = Field(description="how_do_i, environment, health_check_report or other.")
    version: int = Field(description="The number of the latest version, which the page shows.")
    updated_at: datetime
    updated_by: str | None

    @staticmethod
    def resolve_updated_by(page: Page) -> str | None:
        return page.updated_by.email if page.updated_by else None


class PageOut(Schema):
    organization: str = Field(description="The organization's slug.")
    slug: str
    title: str
    kind: str
    version: int
    updated_at: datetime
    updated_by: str | None
    source: str = Field(description='What published it, e.g. "health_check:12"; else empty.')
    markdown: str
    html: str = Field(description="The Markdown rendered and sanitised; safe to show as is.")
    created_at: datetime


class VersionSummaryOut(Schema):
    number: int
    title: str
    author: str | None
    written_at: datetime
    change_note: str

    @staticmethod
    def resolve_author(version: PageVersion) -> str | None:
        return version.author.email if version.author else None


class VersionOut(Schema):
    number: int
    title: str
    author: str | None
    written_at: datetime
    change_note: str
    markdown: str
    html: str


class NewPage(Schema):
    title: str = Field(max_length=200)
    body: str = Field("", description="Markdown.")
    kind: PageKind = PageKind.OTHER
    change_note: str = Field("", max_length=500)


class PageEdit(Schema):
    title: str = Field(max_length=200)
    body: str = Field("", description="Markdown.")
    change_note: str = Field("", max_length=500)
    based_on_version: int = Field(
        description="The version you edited. If someone saved a later one meanwhile, nothing is "
        "saved: the 409 answer says who, with `current_version` and `diff` (their changes)."
    )


def page_out(page: Page) -> PageOut:
    current = queries.version_of(page)
    return PageOut(
        organization=page.organization.slug,
        slug=page.slug,
        title=page.title,
        kind=page.kind,
        version=page.version,
        source=page.source,
        updated_at=page.updated_at,
        updated_by=page.updated_by.email if page.updated_by else None,
        created_at=page.created_at,
        markdown=current.body_markdown,
        html=queries.html_of(current),
    )


def version_out(version: PageVersion) -> VersionOut:
    return VersionOut(
        number=version.number,
        title=version.title,
        author=version.author.email if version.author else None,
        written_at=version.written_at,
        change_note=version.change_note,
        markdown=version.body_markdown,
        html=queries.html_of(version),
    )


@router.get(PAGES, response=list[PageSummaryOut], summary="Pages of an organization's space")
@paginate(PagePagination)
def list_pages(request: HttpRequest, org: str) -> QuerySet[Page]:
    return queries.pages_of(queries.readable_space(current_user(request), org))


@router.get(PAGE, response={200: PageOut, **REFUSALS}, summary="One page, as it reads now")
def get_page(request: HttpRequest, org: str, slug: str) -> PageOut:
    return page_out(queries.readable_page(current_user(request), org, slug))


@router.get(
    PAGE + "/versions",
    response=list[VersionSummaryOut],
    summary="A page's versions, latest first",
)
@paginate(PagePagination)
def list_versions(request: HttpRequest, org: str, slug: str) -> QuerySet[PageVersion]:
    return queries.versions_of(queries.readable_page(current_user(request), org, slug))


@router.get(
    PAGE + "/versions/{number}",
    response={200: VersionOut, **REFUSALS},
    summary="One version of a page",
)
def get_version(request: HttpRequest, org: str, slug: str, number: int) -> VersionOut:
    page = queries.readable_page(current_user(request), org, slug)
    return version_out(queries.version_of(page, number))


@router.post(PAGES, response={201: PageOut, **REFUSALS}, summary="Write a new page (staff)")
def write_page(request: HttpRequest, org: str, payload: NewPage) -> Status[PageOut]:
    page = actions.write_page(current_user(request), org, **payload.dict())
    return Status(201, page_out(queries.page_in(page.organization, page.slug)))


@router.put(PAGE, response={200: PageOut, **REFUSALS}, summary="Save a new version (staff)")
def edit_page(request: HttpRequest, org: str, slug: str, payload: PageEdit) -> PageOut:
    page = actions.edit_page(current_user(request), org, slug, **payload.dict())
    return page_out(queries.page_in(page.organization, page.slug))
