"""Importing the project ledger: round trips, all-or-nothing, scope, and the import pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from zhaoshang.core.xlsx import XLSX_TYPE, cell, table_workbook
from zhaoshang.investors.models import Investor
from zhaoshang.projects import services
from zhaoshang.projects.importing import COLUMNS, import_projects, split_origin
from zhaoshang.projects.models import CreditShare, Project, StageChange, Steward
from zhaoshang.projects.services import StewardData
from zhaoshang.projects.tables import PREFETCH, PROJECT_TABLE, SELECT

LABEL = {c.key: c.label for c in COLUMNS}  # lazy: read in the language of the moment


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def client(client, settings):
    """Pages in English too, so that messages compare with the English labels above."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def sheet(rows: list[dict[str, Any]], keys: list[str] | None = None) -> io.BytesIO:
    """A workbook with the given columns (by key) and rows; text stays text, as in the export."""
    keys = keys or list(dict.fromkeys(k for row in rows for k in row))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("projects")
    ws.append([cell(ws, LABEL[k], header=True) for k in keys])
    for row in rows:
        ws.append([cell(ws, row.get(k)) for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "projects.xlsx"  # the test client uploads only named files
    return buffer


def export(user: Any) -> io.BytesIO:
    projects = Project.objects.visible_to(user, "export").select_related(*SELECT).prefetch_related(*PREFETCH)
    return io.BytesIO(table_workbook("Project ledger", PROJECT_TABLE.export_columns(), projects))


def snapshot() -> list[tuple]:
    """Everything an import could change, in comparable form."""
    fields = [f.attname for f in Project._meta.concrete_fields if f.name != "updated_at"]
    return [
        (
            *[getattr(p, f) for f in fields],
            sorted(p.investors.values_list("pk", flat=True)),
            sorted(p.credits.values_list("pk", "unit_id", "share")),
            sorted(p.stewards.values_list("pk", "name", "position", "phone")),
        )
        for p in Project.objects.order_by("pk")
    ]


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Project, Investor, CreditShare, Steward, StageChange))


def new_row(name: str = "光伏组件", **extra: Any) -> dict[str, Any]:
    return {"name": name, "unit": "城关镇", "total_investment": Decimal("8000"), **extra}


@pytest.fixture
def ledger(cast):
    """Projects with every kind of value the export writes."""
    signed = cast.project(
        name="新能源电池",
        stage="signed",
        signed_on=dt.date(2024, 3, 1),
        first_contact_on=dt.date(2023, 12, 1),
        contracted_amount=Decimal("0.0001"),
        total_investment=Decimal("12345678901.2345"),
        land_mu=Decimal("120.50"),
        construction_area=Decimal("35000.25"),
        expected_output=Decimal("50000"),
        jobs=300,
        industry_section="C",
        currency="USD",
        park=cast.park,
        description="年产10GWh电池",
        remarks='=HYPERLINK("http://x")',
    )
    services.update_project(
        signed,
        by=None,
        data={},
        credits=[(cast.town_a, Decimal("60")), (cast.department, Decimal("40"))],
        stewards=[StewardData("王明", "副镇长", "13800000000"), StewardData("李华")],
    )
    hk = Investor.objects.create(name="香港宏达", origin_country="香港", unit=cast.town_a)
    signed.investors.add(hk)
    cast.project(name="乡村民宿")
    cast.project(
        unit=cast.town_b,
        name="河口物流园",
        stage="dropped",
        dropped_on=dt.date(2024, 1, 2),
        drop_reason="落户外地",
    )
    return signed


@pytest.mark.parametrize("who", ["admin", "operator_a"])
def test_an_exported_ledger_imports_back_unchanged(cast, ledger, who):
    user = getattr(cast, who)
    before, numbers = snapshot(), counts()
    result = import_projects(user, export(user))
    assert result.errors == []
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == Project.objects.visible_to(user, "export").count() > 0
    assert (snapshot(), counts()) == (before, numbers)
    ledger.refresh_from_db()
    assert (ledger.total_investment, ledger.contracted_amount) == (
        Decimal("12345678901.2345"),
        Decimal("0.0001"),
    )


def test_a_credited_units_export_imports_back_unchanged_but_cannot_change_the_project(cast, ledger):
    from zhaoshang.accounts.models import Membership, User

    clerk = User.objects.create_user(username="dept", password="x", display_name="商务局填报员")
    Membership.objects.create(user=clerk, unit=cast.department, role="operator")
    before = snapshot()
    result = import_projects(clerk, export(clerk))
    assert (result.errors, result.unchanged) == ([], 1)
    edited = sheet([{"code": ledger.code, "name": "改名", "unit": "城关镇", "total_investment": 1}])
    refused = import_projects(clerk, edited)
    assert [(e.row, e.column) for e in refused.errors] == [(2, "Project code")]
    assert snapshot() == before


def test_an_edited_export_updates_its_projects_and_keeps_exact_amounts(cast, ledger):
    content = export(cast.admin)
    wb = load_workbook(content)
    ws = wb.active
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[header.index(LABEL["name"])].value == "新能源电池")
    row[header.index(LABEL["remarks"])].value = "已开工准备"
    row[header.index(LABEL["expected_output"])].value = 99999999999.9999
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = import_projects(cast.admin, out)
    assert (result.created, result.updated, result.errors) == (0, 1, [])
    ledger.refresh_from_db()
    assert ledger.remarks == "已开工准备"
    assert ledger.expected_output == Decimal("99999999999.9999")
    assert ledger.total_investment == Decimal("12345678901.2345")
    assert sorted(ledger.stewards.values_list("name", "position")) == [("李华", ""), ("王明", "副镇长")]


def test_new_projects_are_created_with_exact_amounts_and_their_relations(cast):
    content = sheet(
        [
            new_row(
                total_investment=Decimal("12345678901.2345"),
                contracted_amount="0.0001",
                investors="温州华立、匈牙利Tisza Kft.",
                origin="浙江温州、匈牙利",
                stage="Signed",
                signed_on="2024-02-01",
                credits="城关镇:60%、县商务局:40%",
                stewards="王明、李华",
            )
        ]
    )
    result = import_projects(cast.operator_a, content)
    assert (result.created, result.errors, result.kept_rows) == (1, [], [2])
    project = Project.objects.get(name="光伏组件")
    assert (project.total_investment, project.contracted_amount) == (
        Decimal("12345678901.2345"),
        Decimal("0.0001"),
    )
    assert (project.stage, project.signed_on, project.unit) == ("signed", dt.date(2024, 2, 1), cast.town_a)
    origins = {
        i.name: (i.origin_country, i.origin_province, i.origin_city, i.unit) for i in project.investors.all()
    }
    assert origins == {
        "温州华立": ("中国", "浙江", "温州", cast.town_a),
        "匈牙利Tisza Kft.": ("匈牙利", "", "", cast.town_a),
    }
    assert sorted(project.credits.values_list("unit__name", "share")) == [
        ("县商务局", Decimal("40")),
        ("城关镇", Decimal("60")),
    ]
    assert list(project.stewards.values_list("name", flat=True)) == ["王明", "李华"]


def test_an_origin_is_split_into_province_and_city_or_a_country():
    assert split_origin("浙江省温州市") == ("中国", "浙江省", "温州市")
    assert split_origin("内蒙古包头") == ("中国", "内蒙古", "包头")
    assert split_origin("香港") == ("香港", "", "")


def test_importing_the_same_new_projects_twice_creates_them_once(cast):
    rows = [new_row("甲项目"), new_row("乙项目", investors="温州华立")]
    first = import_projects(cast.operator_a, sheet(rows))
    numbers = counts()
    second = import_projects(cast.operator_a, sheet(rows))
    assert (first.created, second.created, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert counts() == numbers


def test_one_bad_row_writes_nothing_and_names_its_row_and_column(cast):
    numbers = counts()
    rows = [
        new_row("甲项目", investors="新客商"),
        new_row("乙项目", total_investment="很多"),
        new_row("丙项目"),
    ]
    result = import_projects(cast.operator_a, sheet(rows))
    assert counts() == numbers
    assert not result.written
    assert result.kept_rows == []
    assert result.valid_rows == [2, 4]
    money = "Total investment (10k CNY / 10k USD)"
    assert [(e.row, e.column) for e in result.errors] == [(3, money)]
    assert str(result.errors[0]).startswith(f"Row 3, “{money}”: ")


def test_keeping_the_valid_rows_keeps_exactly_them_and_says_which(cast):
    rows = [new_row("甲项目"), new_row("乙项目", signed_on="2024-13-40"), new_row("丙项目")]
    result = import_projects(cast.operator_a, sheet(rows), keep_valid=True)
    assert (result.kept_rows, result.rejected_rows, result.created) == ([2, 4], [3], 2)
    assert result.errors[0].column == "Signed on"
    assert set(Project.objects.values_list("name", flat=True)) == {"甲项目", "丙项目"}


def test_every_bad_cell_of_a_row_is_reported(cast):
    row = new_row(total_investment="-5", land_mu="1.234", jobs="3.5", stage="almost", currency="EUR")
    result = import_projects(cast.operator_a, sheet([row]))
    assert sorted(e.column for e in result.errors) == sorted(
        ["Total investment (10k CNY / 10k USD)", "Land (mu)", "Jobs", "Stage", "Currency"]
    )


def test_a_township_operator_cannot_import_into_another_township(cast):
    numbers = counts()
    result = import_projects(cast.operator_a, sheet([new_row("甲项目"), new_row("越界", unit="河口乡")]))
    assert [(e.row, e.column) for e in result.errors] == [(3, "Location unit")]
    assert counts() == numbers


def test_a_township_operator_cannot_update_another_units_project_by_its_code(cast):
    theirs = cast.project(unit=cast.town_b, name="河口物流园")
    before = snapshot()
    result = import_projects(cast.operator_a, sheet([new_row("改名", code=theirs.code)]))
    missing = import_projects(cast.operator_a, sheet([new_row("改名", code="XM99999999")]))
    assert snapshot() == before
    assert [(e.row, e.column) for e in result.errors] == [(2, "Project code")]
    # The same words as for a code that does not exist: nothing tells the project is there.
    assert result.errors[0].message.replace(theirs.code, "?") == missing.errors[0].message.replace(
        "XM99999999", "?"
    )


def test_credit_shares_that_do_not_sum_to_100_are_refused_with_their_row(cast):
    numbers = counts()
    result = import_projects(cast.operator_a, sheet([new_row(credits="城关镇:60%、县商务局:30%")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Credited units")]
    assert "sum to 100" in result.errors[0].message
    assert counts() == numbers


def test_a_stage_change_is_not_made_by_import(cast):
    project = cast.project(name="乡村民宿")
    result = import_projects(cast.operator_a, sheet([new_row("乡村民宿", stage="Negotiating")]))
    assert [(e.row, e.column) for e in result.errors] == [(2, "Stage")]
    project.refresh_from_db()
    assert project.stage == "lead"


def test_formula_looking_text_is_imported_as_text(cast):
    result = import_projects(cast.operator_a, sheet([new_row("=1+1", remarks='=HYPERLINK("http://x")')]))
    assert result.created == 1
    project = Project.objects.get()
    assert (project.name, project.remarks) == ("=1+1", '=HYPERLINK("http://x")')


def test_the_same_project_twice_in_one_file_is_an_error(cast):
    result = import_projects(cast.operator_a, sheet([new_row("甲项目"), new_row("甲项目")]))
    assert [(e.row, e.message) for e in result.errors] == [(3, "This project is already on row 2.")]
    assert Project.objects.count() == 0


def test_a_file_without_the_required_columns_is_refused(cast):
    result = import_projects(cast.operator_a, sheet([{"name": "甲项目"}]))
    assert [(e.row, e.message) for e in result.errors] == [(None, "The column “Location unit” is missing.")]


def test_a_leader_may_not_import(cast):
    result = import_projects(cast.leader, sheet([new_row()]))
    assert result.file_errors and Project.objects.count() == 0


# --- pages ----------------------------------------------------------------------------------


def test_the_template_has_the_export_header_and_instructions_but_no_example_row(client, cast):
    client.force_login(cast.operator_a)
    response = client.get(reverse("projects:import_template"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    first, instructions = wb.worksheets
    rows = list(first.values)
    assert rows == [tuple(str(c.label) for c in PROJECT_TABLE.export_columns())]
    text = " ".join(str(v) for row in instructions.values for v in row if v)
    assert "YYYY-MM-DD" in text and "单位名称:60%、单位名称:40%" in text
    assert import_projects(cast.operator_a, io.BytesIO(response.content)).errors == []


def test_the_import_pages_refuse_a_leader_and_send_strangers_to_log_in(client, cast):
    assert client.get(reverse("projects:import")).status_code == 302
    client.force_login(cast.leader)
    assert client.get(reverse("projects:import")).status_code == 403
    assert client.get(reverse("projects:import_template")).status_code == 403
    response = client.post(reverse("projects:import"), {"file": sheet([new_row()])})
    assert response.status_code == 403
    assert Project.objects.count() == 0


def test_an_operator_imports_through_the_page(client, cast):
    client.force_login(cast.operator_a)
    page = client.get(reverse("projects:import"))
    assert page.status_code == 200 and b'name="keep_valid"' in page.content
    bad = client.post(
        reverse("projects:import"), {"file": sheet([new_row("甲项目"), new_row("乙项目", jobs="x")])}
    )
    assert bad.status_code == 200
    assert b'data-testid="nothing-written"' in bad.content and "Jobs" in bad.content.decode()
    assert Project.objects.count() == 0
    kept = client.post(
        reverse("projects:import"),
        {"file": sheet([new_row("甲项目"), new_row("乙项目", jobs="x")]), "keep_valid": "on"},
    )
    assert b'data-testid="partial"' in kept.content
    assert list(Project.objects.values_list("name", flat=True)) == ["甲项目"]
    good = client.post(reverse("projects:import"), {"file": sheet([new_row("甲项目"), new_row("乙项目")])})
    assert b'data-testid="imported"' in good.content
    assert Project.objects.count() == 2


def test_the_page_refuses_an_oversized_upload(client, cast, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    client.force_login(cast.operator_a)
    response = client.post(reverse("projects:import"), {"file": io.BytesIO(b"x" * 200_000)})
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_the_pages_export_imports_back_through_the_page_unchanged(client, cast, ledger):
    client.force_login(cast.operator_a)
    exported = client.get(reverse("projects:export"))
    before, numbers = snapshot(), counts()
    upload = io.BytesIO(exported.content)
    upload.name = "export.xlsx"
    response = client.post(reverse("projects:import"), {"file": upload})
    assert b'data-testid="imported"' in response.content
    assert (snapshot(), counts()) == (before, numbers)
