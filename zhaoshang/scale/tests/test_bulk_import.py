"""The bulk twin of the project import leaves exactly what the per-row service leaves: the same
projects and relations, stage changes, audit entries, ledger events and totals."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Q
from openpyxl import Workbook

from zhaoshang.audit.models import ChainHead, Entry
from zhaoshang.audit.services import verify
from zhaoshang.investors.models import Investor
from zhaoshang.ledger.models import Event, Total
from zhaoshang.ledger.services import mismatches, totals_from_ledger
from zhaoshang.projects import bulk_import, services, stages
from zhaoshang.projects.importing import SHEET, import_projects
from zhaoshang.projects.models import Project, StageChange

KEYS = ["name", "unit", "total_investment", "stage", "signed_on", "contracted_amount", "credits", "stewards",
        "investors", "currency"]  # fmt: skip


def sheet(cast: Any) -> io.BytesIO:
    signed = dt.date(2025, 3, 14)
    two, three = "城关镇:60%、河口乡:40%", "城关镇:33.33%、河口乡:33.33%、县商务局:33.34%"
    rows = [
        ["光伏组件", "城关镇", "8000.5", "签约", signed, "6000.25", two, "张三、李四", "温州客商", "CNY"],
        ["冷链物流", "河口乡", "1200", "在谈", None, None, None, None, None, "CNY"],
        ["新材料", "城关镇", "33333.3333", "签约", signed, "10000", three, "王五", "温州客商", "USD"],
        ["文旅综合体", "县商务局", "500", "线索", None, None, None, None, None, "CNY"],
    ]  # fmt: skip
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("projects")
    ws.append([str(SHEET.labels[k]) for k in KEYS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "projects.xlsx"
    return out


def state() -> dict[str, Any]:
    """Everything an import writes, with ids and codes replaced by the order of creation."""
    order = {pk: n for n, pk in enumerate(Project.objects.order_by("pk").values_list("pk", flat=True))}

    def norm(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items() if k not in ("id", "code")}
        return value

    projects = [
        (
            order[p.pk],
            norm({f.attname: getattr(p, f.attname) for f in Project._meta.concrete_fields})
            | {"created_at": None, "updated_at": None},
            sorted(p.investors.values_list("name", flat=True)),
            sorted(p.credits.values_list("unit_id", "share", "project_unit_id")),
            list(p.stewards.order_by("pk").values_list("name", "position", "phone")),
            list(
                StageChange.objects.filter(project=p).values_list(
                    "from_stage", "to_stage", "changed_on", "note", "changed_by_id", "changed_by_name"
                )
            ),
        )
        for p in Project.objects.order_by("pk")
    ]
    events = sorted(
        (
            e.kind,
            e.unit_id,
            order[e.project_id],
            e.year,
            e.month,
            e.verified,
            e.amount,
            e.source.split(":")[0],
        )
        for e in Event.objects.all()
    )
    totals = sorted(Total.objects.values_list("unit_id", "kind", "year", "month", "verified", "reported"))
    entries = [
        (e.chain, e.seq, e.action, e.object_type, order[int(e.object_id)], e.user_id, e.user_name,
         e.unit_name, e.client_ip, e.request_id, e.object_repr, e.before, norm(e.after), e.note)
        for e in Entry.objects.filter(object_type="projects.project").order_by("chain", "seq")
    ]  # fmt: skip
    return {"projects": projects, "events": events, "totals": totals, "entries": entries}


def test_the_bulk_path_writes_what_the_per_row_service_writes(cast: Any) -> None:
    Investor.objects.create(name="温州客商", origin_province="浙江省", origin_city="温州市", unit=cast.county)
    with transaction.atomic():
        with mock.patch.object(bulk_import, "create", wraps=bulk_import.create) as bulk:
            result = import_projects(cast.admin, sheet(cast), keep_valid=True)  # the per-row path
        assert not bulk.called and result.created == 4, result.errors
        per_row = state()
        transaction.set_rollback(True)
    assert not Project.objects.exists()
    with mock.patch.object(bulk_import, "create", wraps=bulk_import.create) as bulk:
        result = import_projects(cast.admin, sheet(cast))
    assert bulk.called and result.created == 4 and result.written
    assert state() == per_row
    # Written by COPY on PostgreSQL: the values the ORM sets on save are there too.
    assert not Project.objects.filter(Q(created_at=None) | Q(updated_at=None)).exists()
    assert not StageChange.objects.filter(recorded_at=None).exists()
    assert all(e.at and len(e.hash) == 64 for e in Entry.objects.all())
    assert per_row["events"] and per_row["totals"] and len(per_row["entries"]) == 4
    assert mismatches(totals_from_ledger()) == [] and stages.mismatches() == []
    assert ChainHead.objects.exists()
    assert list(verify()) == []  # every hash chain holds


def test_a_file_with_an_error_is_refused_whole_by_the_per_row_path(cast: Any) -> None:
    data = sheet(cast)
    from openpyxl import load_workbook

    wb = load_workbook(data)
    wb.active.append(["坏行", "邻县某镇", "1", "线索"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "projects.xlsx"
    Investor.objects.create(name="温州客商", origin_province="浙江省", unit=cast.county)
    with mock.patch.object(bulk_import, "create", wraps=bulk_import.create) as bulk:
        result = import_projects(cast.admin, out)
    assert not bulk.called
    assert [e.row for e in result.errors] == [6] and not Project.objects.exists()


@pytest.mark.parametrize("user", ["operator_b", "stranger"])
def test_the_bulk_path_refuses_another_units_township(cast: Any, user: str) -> None:
    Investor.objects.create(name="温州客商", origin_province="浙江省", unit=cast.county)
    result = import_projects(getattr(cast, user), sheet(cast))
    assert result.errors and not Project.objects.exists()


def bad_sheet(cast: Any, column: str, value: Any) -> io.BytesIO:
    """Two good new rows and one whose ``column`` holds ``value``."""
    keys = ["name", "unit", "total_investment", "stage", column]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("projects")
    ws.append([str(SHEET.labels[k]) for k in keys])
    ws.append(["光伏组件", "城关镇", "8000.5", "在谈", None])
    ws.append(["冷链物流", "河口乡", "1200", "在谈", None])
    ws.append(["新材料", "城关镇", "300", "在谈", value])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "projects.xlsx"
    return out


@pytest.mark.parametrize(("column", "value"), [("location", "路" * 201), ("drop_reason", "因" * 201)])
def test_a_value_a_row_sets_is_checked_although_the_blank_projects_was_checked_once(
    cast: Any, column: str, value: str
) -> None:
    """The bulk path checks the fields each row leaves at the blank project's values once; a value a
    row sets is checked on that row (here too long for its column), and nothing is written."""
    with mock.patch.object(bulk_import, "create", wraps=bulk_import.create) as bulk:
        result = import_projects(cast.admin, bad_sheet(cast, column, value))
    assert not bulk.called
    assert [(e.row, e.column) for e in result.errors] == [(4, str(SHEET.labels[column]))]
    assert not Project.objects.exists()


def test_the_fields_checked_once_are_the_blank_projects_valid_ones(cast: Any) -> None:
    checked = services.checked_once(Project(created_by=cast.admin))
    assert {"currency", "location", "remarks", "stage", "park", "jobs"} <= checked
    # the coordinates are tied by a check constraint (both or neither): each row checks them
    assert not {"longitude", "latitude"} & checked
    # The blank has no name, unit or total investment: every row checks its own.
    assert not {"name", "unit", "total_investment"} & checked
    assert not set(services.NOT_INPUT) & checked


def test_nothing_is_checked_once_when_a_projects_checks_span_fields(cast: Any) -> None:
    def clean(self: Project) -> None:
        return None

    with mock.patch.object(Project, "clean", clean, create=True):
        assert services.checked_once(Project(created_by=cast.admin)) == frozenset()
    with mock.patch.object(Project._meta, "constraints", [mock.Mock()]):
        assert services.checked_once(Project(created_by=cast.admin)) == frozenset()


def test_a_row_the_database_refuses_leaves_nothing_of_the_file(cast: Any) -> None:
    """A refusal by the database while the file is written (here an event without its kind) fails
    the import, and the transaction takes every table's rows back with it."""

    def refused_event(planned: Any) -> None:
        row = {"kind": None, "unit_id": cast.town_a.pk, "project_id": planned[0][1].pk, "year": 2026,
               "month": 1, "verified": True, "amount": 1, "source": "x"}  # fmt: skip
        bulk_import.insert_rows(Event, [row])

    Investor.objects.create(name="温州客商", origin_province="浙江省", unit=cast.county)
    entries = Entry.objects.count()
    with mock.patch.object(bulk_import, "counted", refused_event), pytest.raises(IntegrityError):
        import_projects(cast.admin, sheet(cast))
    assert not Project.objects.exists() and not StageChange.objects.exists()
    assert Entry.objects.count() == entries and not Event.objects.exists()


def test_the_bulk_path_counts_the_new_projects_by_the_countys_rules(cast: Any) -> None:
    """A county rule in force (亿元-style threshold, foreign projects at the rule's rate): the projects
    the bulk path creates are counted by it as the per-row service counts them."""
    from decimal import Decimal

    from zhaoshang.ledger import rules
    from zhaoshang.ledger.models import ExchangeRate, Indicator
    from zhaoshang.ledger.services import subtree_figures

    ExchangeRate.objects.create(year=2025, cny_per_usd=Decimal("7.0000"))
    indicator = rules.define(
        by=cast.admin,
        county=cast.county,
        name_zh="5000万元以上签约项目",
        name_en="Signed projects of 50 million or more",
        measure="count",
        kinds=["signed"],
        min_investment=Decimal(5000),
    )
    Investor.objects.create(name="温州客商", origin_province="浙江省", origin_city="温州市", unit=cast.county)
    with transaction.atomic():
        result = import_projects(cast.admin, sheet(cast), keep_valid=True)  # the per-row path
        assert result.created == 4, result.errors
        per_row = state()
        transaction.set_rollback(True)
    with mock.patch.object(bulk_import, "create", wraps=bulk_import.create) as bulk:
        result = import_projects(cast.admin, sheet(cast))
    assert bulk.called and result.created == 4
    assert state() == per_row
    # 光伏组件 (8000.5万元) and 新材料 (33333.3333万美元 at 7): signed, over the threshold
    assert Indicator.objects.get(pk=indicator.pk).figure(
        subtree_figures(cast.county, 2025, kinds=[indicator.kind])
    ) == (Decimal(2), Decimal(0))
    assert any(kind == indicator.kind for kind, *_rest in per_row["events"])
    assert mismatches(totals_from_ledger()) == []
