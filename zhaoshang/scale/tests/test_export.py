"""The export loads relations in chunks itself (projects.tables.export_rows): the same cells as
prefetch_related gave, in a number of queries that does not grow with the rows of a chunk."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.investors.models import Investor
from zhaoshang.projects import services
from zhaoshang.projects.models import Project
from zhaoshang.projects.tables import PREFETCH, PROJECT_TABLE, SELECT, export_rows


def ledger(cast: Any) -> None:
    a = Investor.objects.create(name="乙方", origin_province="浙江省", origin_city="温州市", unit=cast.county)
    b = Investor.objects.create(name="甲方", origin_country="新加坡", unit=cast.county)
    for n in range(7):
        services.create_project(
            by=cast.admin,
            data={"name": f"项目{n}", "unit": cast.town_a, "total_investment": Decimal("100.5")},
            stage="negotiating" if n % 2 else "lead",
            investors=[a, b] if n % 3 == 0 else [a],
            credits=[(cast.town_a, Decimal(60)), (cast.town_b, Decimal(40))] if n % 2 else None,
            stewards=[services.StewardData(name=f"张{n}", phone="1"), services.StewardData(name="李")]
            if n % 4
            else (),
        )


def cells(projects: Any) -> list[list[Any]]:
    return [[c.value(p) for c in PROJECT_TABLE.export_columns()] for p in projects]


def test_the_chunked_loader_gives_the_cells_prefetch_gave(cast: Any) -> None:
    ledger(cast)
    queryset = Project.objects.order_by("-pk")
    expected = cells(queryset.select_related(*SELECT).prefetch_related(*PREFETCH))
    assert cells(export_rows(queryset, chunk=3)) == expected
    assert any("、" in str(v) for row in expected for v in row)  # several investors, stewards, credits


def test_the_loader_costs_four_queries_per_chunk(cast: Any) -> None:
    ledger(cast)
    with CaptureQueriesContext(connection) as one_chunk:
        rows = cells(export_rows(Project.objects.order_by("-pk"), chunk=100))
    assert len(rows) == 7
    assert len(one_chunk.captured_queries) <= 5  # the projects (a cursor), investors, stewards, credits
