"""The export reads projects as values and loads relations in chunks itself
(projects.tables.export_rows): the same cells as the model instances the list page shows, in a
number of queries that does not grow with the rows of a chunk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

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
    # Foreign currency, a park, every optional field set; and one with every optional field empty.
    services.create_project(
        by=cast.admin,
        data={
            "name": "外资项目",
            "unit": cast.town_b,
            "park": cast.park,
            "currency": "USD",
            "total_investment": Decimal("1234.5678"),
            "contracted_amount": Decimal("0.0001"),
            "land_mu": Decimal("12.5"),
            "jobs": 0,
            "sector": "secondary",
            "description": "厂房 <一期> & 二期",
            "signed_on": dt.date(2024, 2, 29),
            "remarks": "备注\n第二行",
        },
        stage="signed",
        investors=[b],
        credits=[(cast.town_b, Decimal("33.33")), (cast.town_a, Decimal("66.67"))],
    )
    services.create_project(
        by=cast.admin, data={"name": "空项目", "unit": cast.town_a, "total_investment": 0}
    )


def cells(projects: Any) -> list[list[Any]]:
    return [[c.value(p) for c in PROJECT_TABLE.export_columns()] for p in projects]


def test_the_value_rows_give_the_cells_of_the_model_instances(cast: Any) -> None:
    ledger(cast)
    queryset = Project.objects.order_by("-pk")
    expected = cells(queryset.select_related(*SELECT).prefetch_related(*PREFETCH))
    assert cells(export_rows(queryset, chunk=3)) == expected
    assert any("、" in str(v) for row in expected for v in row)  # several investors, stewards, credits
    foreign = expected[1]
    assert "USD" in foreign and "示例经济开发区" in foreign and "新加坡" in foreign
    assert any(isinstance(v, Decimal) for v in foreign) and dt.date(2024, 2, 29) in foreign
    assert [type(v) for v in cells(export_rows(queryset))[0]] == [type(v) for v in expected[0]]


def test_the_value_rows_speak_the_language_of_the_export(cast: Any) -> None:
    ledger(cast)
    queryset = Project.objects.order_by("-pk")
    for language, signed in (("zh-hans", "签约"), ("en", "Signed")):
        with translation.override(language):
            expected = cells(queryset.select_related(*SELECT).prefetch_related(*PREFETCH))
            assert cells(export_rows(queryset)) == expected
            assert signed in expected[1]


def test_the_value_rows_follow_the_queryset_order_and_filter(cast: Any) -> None:
    ledger(cast)
    queryset = Project.objects.filter(unit=cast.town_a).order_by("name", "-pk")
    names = [row[1] for row in cells(export_rows(queryset, chunk=2))]
    assert names == list(queryset.values_list("name", flat=True))


def test_the_loader_costs_the_same_queries_per_chunk_whatever_its_size(cast: Any) -> None:
    ledger(cast)
    with CaptureQueriesContext(connection) as one_chunk:
        rows = cells(export_rows(Project.objects.order_by("-pk"), chunk=100))
    assert len(rows) == 9
    # the projects (a cursor); links, investors, credits, stewards; the unit names not read yet
    assert len(one_chunk.captured_queries) <= 6
    with CaptureQueriesContext(connection) as three_chunks:
        cells(export_rows(Project.objects.order_by("-pk"), chunk=3))
    # five at most per later chunk: unit names are read only when the chunk brings new ones
    assert len(three_chunks.captured_queries) <= 6 + 2 * 5
