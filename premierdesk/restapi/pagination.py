"""Page-number pagination, the same for every list in the API:

GET /api/v1/...?page=2&page_size=50
{"items": [...], "count": 123, "page": 2, "pages": 3, "next": "...page=3", "previous": "..."}
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, Protocol, overload

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from premierdesk.lib.errors import NotFound

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class PagePagination(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page, at most 200."
        )

    class Output(Schema):
        items: list[Any]
        count: int
        page: int
        pages: int
        next: str | None
        previous: str | None

    items_attribute = "items"

    def paginate_queryset(
        self,
        queryset: QuerySet[Any] | Sequence[Any],
        pagination: Any,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        pages = max(1, math.ceil(count / pagination.page_size))
        if pagination.page > pages:
            raise NotFound(f"Page {pagination.page} does not exist; the last page is {pages}.")
        start = (pagination.page - 1) * pagination.page_size
        items = list(queryset[start : start + pagination.page_size])
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "pages": pages,
            "next": _page_url(request, pagination.page + 1) if pagination.page < pages else None,
            "previous": _page_url(request, pagination.page - 1) if pagination.page > 1 else None,
        }


class Rows(Protocol):
    """What a list needs of its rows: a count, and slices (a queryset, or a list that counts
    with another query than the one it reads a page with)."""

    def count(self) -> int: ...
    def __getitem__(self, index: Any) -> Any: ...


class Mapped(Sequence[Any]):
    """A queryset whose rows are turned into output by ``render`` only for the page shown,
    for lists whose items need more than the row (e.g. a state computed at an instant)."""

    def __init__(self, queryset: QuerySet[Any] | Rows, render: Callable[[Any], Any]) -> None:
        self.queryset = queryset
        self.render = render

    def __len__(self) -> int:
        return self.queryset.count()

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.render(row) for row in self.queryset[index]]
        return self.render(self.queryset[index])


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
