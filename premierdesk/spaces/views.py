"""Space pages: the portal's own space for a customer's contacts, and the console's spaces
for staff, where pages are written and edited. Forms post plainly and redirect; with htmx
they swap the page's main section, refusals included."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from premierdesk.accounts.access import current_user
from premierdesk.accounts.rules import may_use_console
from premierdesk.customers.models import Organization
from premierdesk.lib.errors import Conflict
from premierdesk.pages.forms import Refused, after_change, submit
from premierdesk.spaces import actions, queries, rules
from premierdesk.spaces.forms import EditPageForm, NewPageForm, SetUpForm
from premierdesk.spaces.models import Page, PageVersion


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class HistoryRow:
    version: PageVersion
    url: str


def _urls(page: Page, console: bool) -> tuple[str, str]:
    """The page's address and the prefix of its versions' addresses, in portal or console."""
    if console:
        url = reverse("spaces:console-page", args=[page.organization.slug, page.slug])
    else:
        url = reverse("spaces:portal-page", args=[page.slug])
    return url, f"{url}versions/"


def _page_view(
    request: HttpRequest,
    page: Page,
    *,
    console: bool,
    number: int | None = None,
    status: int = 200,
    **shown: object,
) -> HttpResponse:
    """A page (or one of its versions) with its history; in the console, with the edit form.
    ``shown``: a notice, or the refused edit form with its diff."""
    shown_version = queries.version_of(page, number)
    url, versions_url = _urls(page, console)
    history = [HistoryRow(v, f"{versions_url}{v.number}/") for v in queries.versions_of(page)]
    current = shown_version if number is None else queries.version_of(page)
    context = {
        "page": page,
        "shown": shown_version,
        "html": queries.html_of(shown_version),
        "history": history,
        "page_url": url,
        "console": console,
        "edit_form": EditPageForm(
            initial={
                "title": current.title,
                "body": current.body_markdown,
                "based_on_version": page.version,
            }
        ),
        **shown,
    }
    template = "spaces/_page.html" if _is_htmx(request) else "spaces/page.html"
    return render(request, template, context, status=status)


# Portal ------------------------------------------------------------------------------------


@login_required
def portal_space(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if may_use_console(user):
        return redirect("spaces:console")
    organization = queries.own_space(user)
    pages = list(queries.pages_of(organization))
    return render(request, "spaces/portal_space.html", {"space": organization, "pages": pages})


@login_required
def portal_page(request: HttpRequest, page_slug: str, number: int | None = None) -> HttpResponse:
    organization = queries.own_space(current_user(request))
    page = queries.page_in(organization, page_slug)
    return _page_view(request, page, console=False, number=number)


# Console -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def console_spaces(request: HttpRequest) -> HttpResponse:
    """The organizations and their spaces; POST sets up the space of one that has none (an
    organization onboarded before spaces existed)."""
    user = current_user(request)
    organizations = queries.spaces(user)
    if request.method == "POST":
        form = SetUpForm(request.POST)
        if form.is_valid():
            # Only an organization whose space the person reads (an enterprise manager's own).
            slug = form.cleaned_data["organization"]
            organization = organizations.filter(slug=slug).first()
            if organization is None:
                raise rules.unknown_space(slug)
            page = actions.create_space(organization, user)
            return after_change(
                request,
                f"{organization}'s space is set up.",
                reverse("spaces:console-page", args=[organization.slug, page.slug]),
            )
    return render(request, "spaces/console_spaces.html", {"organizations": organizations})


def _space_view(
    request: HttpRequest, organization: Organization, *, status: int = 200, **shown: object
) -> HttpResponse:
    context = {
        "space": organization,
        "pages": list(queries.pages_of(organization)),
        "form": NewPageForm(),
        **shown,
    }
    template = "spaces/_console_space.html" if _is_htmx(request) else "spaces/console_space.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def console_space(request: HttpRequest, org: str) -> HttpResponse:
    """An organization's pages, and the form for a new one."""
    user = current_user(request)
    rules.require_read_spaces(user)
    organization = queries.readable_space(user, org)
    if request.method != "POST":
        return _space_view(request, organization)
    form = NewPageForm(request.POST)

    def written(page: Page) -> HttpResponse:
        return after_change(
            request,
            f"Wrote {page.title} (version 1).",
            reverse("spaces:console-page", args=[organization.slug, page.slug]),
            fresh=lambda notice: _space_view(request, organization, notice=notice),
        )

    return submit(
        form,
        lambda data: actions.write_page(user, organization.slug, **data),
        done=written,
        refused=lambda why: _space_view(request, organization, status=why.status, form=form),
    )


@login_required
def console_version(request: HttpRequest, org: str, page_slug: str, number: int) -> HttpResponse:
    user = current_user(request)
    rules.require_read_spaces(user)
    page = queries.readable_page(user, org, page_slug)
    return _page_view(request, page, console=True, number=number)


@login_required
@require_http_methods(["GET", "POST"])
def console_page(request: HttpRequest, org: str, page_slug: str) -> HttpResponse:
    """A page with its history and the edit form; POST saves a new version."""
    user = current_user(request)
    rules.require_read_spaces(user)
    page = queries.readable_page(user, org, page_slug)
    if request.method != "POST":
        return _page_view(request, page, console=True)
    form = EditPageForm(request.POST)

    def saved(page: Page) -> HttpResponse:
        return after_change(
            request,
            f"Saved version {page.version} of {page.title}.",
            reverse("spaces:console-page", args=[org, page.slug]),
            fresh=lambda notice: _page_view(request, page, console=True, notice=notice),
        )

    def refused(why: Refused) -> HttpResponse:
        if isinstance(why.refusal, Conflict):
            return _edit_conflict(request, page, form, why.refusal)
        return _page_view(request, page, console=True, status=why.status, edit_form=form)

    return submit(
        form,
        lambda data: actions.edit_page(user, org, page.slug, **data),
        done=saved,
        refused=refused,
    )


def _edit_conflict(
    request: HttpRequest, page: Page, form: EditPageForm, refusal: Conflict
) -> HttpResponse:
    """Someone saved meanwhile: keep what this writer typed, show what the other changed, and
    base the form on the version now current, so saving again is a deliberate merge."""
    current = refusal.extra.get("current_version")
    data = request.POST.copy()
    if current is not None:
        data["based_on_version"] = str(current)
    kept = EditPageForm(data)
    kept.is_valid()
    kept.add_error(None, refusal.detail)
    page.refresh_from_db()
    return _page_view(
        request,
        page,
        console=True,
        status=refusal.status,
        edit_form=kept,
        conflict_diff=refusal.extra.get("diff", ""),
    )
