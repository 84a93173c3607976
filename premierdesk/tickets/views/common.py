"""What the ticket pages share: the ticket a person may see, htmx or not, pagination."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from premierdesk.accounts.access import current_user
from premierdesk.accounts.models import User
from premierdesk.tickets.models import Ticket
from premierdesk.tickets.rules import readable_ticket

if TYPE_CHECKING:
    from django.core.paginator import _SupportsPagination  # a queryset, or any sliceable

PAGE_SIZE = 50
# Everything the ticket page's header shows, fetched with the ticket.
HEADER = ("license", "organization", "product", "opened_by", "owner", "office")


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.htmx)  # type: ignore[attr-defined]


def visible_ticket(request: HttpRequest, key: str) -> tuple[User, Ticket]:
    """The signed-in person and the ticket, if they may see it; otherwise NotFound, worded
    as for a ticket that does not exist."""
    user = current_user(request)
    return user, readable_ticket(user, key, timezone.now(), related=HEADER)


M = TypeVar("M", bound=Model)


def page_of(request: HttpRequest, rows: _SupportsPagination[M]) -> Page[M]:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The filters of a list, for its pager links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
