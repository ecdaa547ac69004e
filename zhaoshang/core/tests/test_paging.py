"""The page parameters of every API list operation: an offset or a limit beyond what the database
can take is the caller's error (422), never an OverflowError (500)."""

from __future__ import annotations

from typing import Any

import pytest

from zhaoshang.api import api
from zhaoshang.core.paging import MAX_OFFSET
from zhaoshang.core.tests.test_endpoint_permissions import API


def paged_operations() -> list[str]:
    """The GET list operations that take the page parameters, found in the OpenAPI schema. Pages of
    one record's lines (the records behind a figure, ``/api/ledger/units/{unit_id}/drilldown``) have
    a path parameter and are tested with their record (zhaoshang/ledger/tests/test_drilldown.py)."""
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        path
        for path, ops in paths.items()
        if "get" in ops
        and "{" not in path
        and "offset" in {p["name"] for p in ops["get"].get("parameters", [])}
    )


PAGED = paged_operations()


def test_every_list_operation_of_the_registry_takes_the_page_parameters():
    lists = {path for (method, path), scope in API.items() if method == "get" and scope.kind == "list"}
    # The overdue requests are a fixed report of at most 500 rows, not a paged list; the indicators
    # are the deployment's few dozen, read whole.
    assert set(PAGED) == lists - {"/api/requests/overdue", "/api/ledger/indicators"}


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("offset=9223372036854775808", "offset"),  # one past a signed 64-bit integer
        ("offset=99999999999999999999999", "offset"),
        (f"offset={MAX_OFFSET + 1}", "offset"),
        ("offset=-1", "offset"),
        ("limit=9223372036854775808", "limit"),
        ("limit=0", "limit"),
    ],
)
def test_an_offset_or_limit_out_of_range_is_refused_with_422(
    client: Any, cast: Any, path: str, query: str, parameter: str
) -> None:
    client.force_login(cast.admin)
    response = client.get(f"{path}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422, (path, query)
    (error,) = response.json()["detail"]
    assert error["loc"] == ["query", parameter]
    assert "less than or equal" in error["msg"] or "greater than or equal" in error["msg"]


@pytest.mark.parametrize("path", PAGED)
def test_the_furthest_offset_answers_an_empty_page(client: Any, cast: Any, path: str) -> None:
    cast.project()
    client.force_login(cast.admin)
    body = client.get(f"{path}?offset={MAX_OFFSET}").json()
    assert (body["offset"], body["items"]) == (MAX_OFFSET, [])
