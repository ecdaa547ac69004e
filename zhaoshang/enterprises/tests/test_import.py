"""Importing quarterly returns from .xlsx: all or nothing, row errors named, by credit code."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook

from zhaoshang.core.xlsx import cell
from zhaoshang.enterprises.importing import LABELS, import_returns
from zhaoshang.enterprises.models import QuarterlyReturn
from zhaoshang.enterprises.tests.helpers import credit_code, enterprise

LAST_YEAR = dt.date.today().year - 1


def sheet(rows: list[dict[str, Any]]) -> io.BytesIO:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("returns")
    ws.append([cell(ws, LABELS[k], header=True) for k in keys])
    for row in rows:
        ws.append([cell(ws, row.get(k)) for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "returns.xlsx"
    return buffer


def row(n: int, quarter: int = 1, **data: Any) -> dict[str, Any]:
    return {
        "credit_code": credit_code(n),
        "year": LAST_YEAR,
        "quarter": quarter,
        "output": 100,
        "sales": 90,
        "tax": 0,
        "jobs": 10,
        **data,
    }


def test_it_imports_returns_by_credit_code_with_zero_tax(cast):
    a, b = enterprise(cast, 1), enterprise(cast, 2)
    result = import_returns(cast.operator_a, sheet([row(1), row(2, 2, energy="12.5"), row(1, 2)]))
    assert (result.created, result.errors) == (3, [])
    assert QuarterlyReturn.objects.filter(enterprise=a).count() == 2
    assert QuarterlyReturn.objects.get(enterprise=b).energy == Decimal("12.5")
    assert QuarterlyReturn.objects.filter(tax=0, status="reported").count() == 3


def test_one_bad_row_imports_nothing_and_the_errors_are_in_chinese(cast):
    enterprise(cast, 1)
    rows = [row(1), row(1, 2, output=None), row(99, 3), row(1, 1)]
    with override("zh-hans"):
        result = import_returns(cast.operator_a, sheet(rows))
    assert QuarterlyReturn.objects.count() == 0 and not result.written
    by_row = {e.row: e.message for e in result.errors}
    assert by_row[3] == "此单元格必填。"
    assert set(by_row) == {3, 4, 5}  # unknown credit code; the same quarter twice


def test_an_operator_cannot_import_the_returns_of_the_neighbouring_township(cast):
    enterprise(cast, 1, unit=cast.town_b)
    result = import_returns(cast.operator_a, sheet([row(1)]))
    assert result.errors and QuarterlyReturn.objects.count() == 0
    assert import_returns(cast.leader, sheet([row(1)])).file_errors


def test_the_import_page_and_its_template(client, cast):
    enterprise(cast, 1)
    client.force_login(cast.operator_a)
    assert client.get(reverse("enterprises:import_template")).status_code == 200
    response = client.post(reverse("enterprises:import"), {"file": sheet([row(1)])})
    assert response.status_code == 200 and QuarterlyReturn.objects.count() == 1
    export = client.get(reverse("enterprises:returns_export"))
    assert export.status_code == 200
