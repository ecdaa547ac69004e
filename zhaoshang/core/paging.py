"""Paging and counting, shared by the list pages (core/views.py) and the API's list operations
(core/api.py): the count cap of lists of national size, the API's page parameters and one page of
a queryset."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from ninja import Field, Schema

T = TypeVar("T")

MAX_LIMIT = 200
# The furthest a caller may skip. A database takes an OFFSET up to a signed 64-bit integer (Python's
# slice of a queryset raises OverflowError past it, a 500); no list of this system comes near a
# billion rows, so an offset past that is an error of the caller's and answers 422.
MAX_OFFSET = 10**9

# Lists of national size (projects, activities, the review queues) count at most this many rows, in
# their pages and their API: an exact count of a national subtree scans it.
LIST_COUNT_CAP = 1000


def capped_count(queryset: QuerySet, cap: int | None) -> tuple[int, bool]:
    """The number of rows, or ``cap`` and True when there are more: counting a national subtree of
    a million projects costs a scan, counting to the cap costs at most ``cap`` rows."""
    if cap is None:
        return queryset.count(), False
    count = queryset.order_by()[: cap + 1].count()
    return (cap, True) if count > cap else (count, False)


class PageParams(Schema):
    limit: int = Field(settings.PAGE_SIZE, ge=1, le=MAX_LIMIT, description="Rows per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows to skip.")
    sort: str = Field("", description='A sort key of the list page, "-" first for descending.')


class Page(Schema, Generic[T]):
    count: int = Field(..., description="Rows matching the filters, on all pages (at most the cap).")
    capped: bool = Field(
        False, description="True when more rows match than the list counts: count is then the cap."
    )
    limit: int
    offset: int
    items: list[T]


def page_of(
    queryset: QuerySet,
    params: PageParams,
    count_cap: int | None = None,
    rows: Callable[[QuerySet], list[Any]] = list,
) -> dict[str, Any]:
    """One page of the queryset; ``rows`` reads the page's slice (by default as model instances; a
    list may read values instead, see ``core.api.plain_response``)."""
    count, capped = capped_count(queryset, count_cap)
    return {
        "count": count,
        "capped": capped,
        "limit": params.limit,
        "offset": params.offset,
        "items": rows(queryset[params.offset : params.offset + params.limit]),
    }
