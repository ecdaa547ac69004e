"""Importing investors with their contacts: credit code as natural key, duplicate warnings,
all-or-nothing or keep-valid-rows, scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import Workbook

from zhaoshang.core.xlsx import cell
from zhaoshang.investors import services
from zhaoshang.investors.importing import COLUMNS, import_investors
from zhaoshang.investors.models import Investor

LABEL = {c.key: c.label for c in COLUMNS}  # lazy: read in the language of the test


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


def sheet(rows: list[dict[str, Any]]) -> io.BytesIO:
    keys = list(dict.fromkeys(k for row in rows for k in row))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("investors")
    ws.append([cell(ws, str(LABEL[k]), header=True) for k in keys])
    for row in rows:
        ws.append([cell(ws, row.get(k)) for k in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "investors.xlsx"
    return buffer


def test_it_imports_investors_with_their_contacts(cast):
    rows = [
        {
            "name": "华为技术有限公司",
            "credit_code": "914403001922038216",
            "origin": "广东深圳",
            "unit": "城关镇",
            "contacts": "张经理 招商总监 13800001111 zhang@example.com、李秘书",
            "registered_capital": "4033984.1",
        },
        {"name": "香港某某贸易", "origin": "香港", "unit": "990101001"},
    ]
    result = import_investors(cast.operator_a, sheet(rows))
    assert result.errors == [] and result.created == 2
    huawei = Investor.objects.get(credit_code="914403001922038216")
    assert (huawei.origin_province, huawei.origin_city) == ("广东", "深圳")
    assert str(huawei.registered_capital) == "4033984.1000"
    contacts = list(huawei.contacts.values_list("name", "position", "phone", "email"))
    assert contacts == [("张经理", "招商总监", "13800001111", "zhang@example.com"), ("李秘书", "", "", "")]
    assert Investor.objects.get(name="香港某某贸易").origin_country == "香港"


def test_a_row_with_a_known_credit_code_updates_that_investor(cast):
    investor = services.create_investor(
        by=cast.operator_a, data={"name": "华为", "credit_code": "914403001922038216", "unit": cast.town_a}
    )
    rows = [
        {"name": "华为技术有限公司", "credit_code": "914403001922038216", "unit": "城关镇", "tags": "通信"}
    ]
    result = import_investors(cast.operator_a, sheet(rows))
    assert result.updated == 1 and Investor.objects.count() == 1
    investor.refresh_from_db()
    assert investor.name == "华为技术有限公司" and investor.tags == "通信"
    assert import_investors(cast.operator_a, sheet(rows)).unchanged == 1


def test_a_broken_credit_code_refuses_the_whole_file_unless_valid_rows_are_kept(cast):
    rows = [
        {"name": "甲公司", "unit": "城关镇"},
        {"name": "乙公司", "credit_code": "914403001922038217", "unit": "城关镇"},
    ]
    result = import_investors(cast.operator_a, sheet(rows))
    assert not result.written and result.rejected_rows == [3] and not Investor.objects.exists()
    assert result.errors[0].column == str(LABEL["credit_code"])
    kept = import_investors(cast.operator_a, sheet(rows), keep_valid=True)
    assert kept.kept_rows == [2] and list(Investor.objects.values_list("name", flat=True)) == ["甲公司"]


def test_a_likely_duplicate_is_refused_with_its_name_unless_allowed(cast):
    services.create_investor(by=cast.operator_a, data={"name": "溫州XX集團有限公司", "unit": cast.town_a})
    rows = [{"name": "温州XX集团", "unit": "城关镇"}]
    result = import_investors(cast.operator_a, sheet(rows))
    assert result.rejected_rows == [2] and "溫州XX集團有限公司" in result.errors[0].message
    assert import_investors(cast.operator_a, sheet(rows), allow_duplicates=True).created == 1


def test_an_operator_cannot_import_into_the_neighbouring_township(cast):
    services.create_investor(
        by=cast.operator_b,
        data={"name": "河口乡客商", "credit_code": "914403001922038216", "unit": cast.town_b},
    )
    result = import_investors(cast.operator_a, sheet([{"name": "新客商", "unit": "河口乡"}]))
    assert result.rejected_rows == [2] and not Investor.objects.filter(name="新客商").exists()
    # The neighbour's code neither blocks nor reaches the neighbour's record: a record of its own.
    mine = import_investors(
        cast.operator_a, sheet([{"name": "同一企业", "credit_code": "914403001922038216", "unit": "城关镇"}])
    )
    assert mine.errors == [] and mine.created == 1
    assert Investor.objects.get(unit=cast.town_b).name == "河口乡客商"


def test_a_leader_may_not_import(cast):
    result = import_investors(cast.leader, sheet([{"name": "甲公司", "unit": "城关镇"}]))
    assert result.file_errors and not Investor.objects.exists()


def test_an_export_imports_back_unchanged(client, cast):
    services.create_investor(
        by=cast.operator_a,
        data={
            "name": "阿里巴巴（中国）有限公司",
            "credit_code": "91330100799655058B",
            "unit": cast.town_a,
            "origin_province": "浙江",
            "origin_city": "杭州",
            "size": "large",
        },
        contacts=[
            services.ContactData(name="马经理", position="总监", phone="13800001111", email="ma@example.com")
        ],
    )
    client.force_login(cast.operator_a)
    export = client.get(reverse("investors:export"))
    upload = io.BytesIO(export.content)
    upload.name = "export.xlsx"
    result = import_investors(cast.operator_a, upload)
    assert result.errors == [] and result.unchanged == 1


def test_the_import_page_and_its_template(client, cast):
    client.force_login(cast.operator_a)
    assert client.get(reverse("investors:import_template")).status_code == 200
    response = client.post(
        reverse("investors:import"), {"file": sheet([{"name": "甲公司", "unit": "城关镇"}])}
    )
    assert response.status_code == 200 and Investor.objects.filter(name="甲公司").exists()
    client.force_login(cast.leader)
    assert client.get(reverse("investors:import")).status_code == 403


def test_an_empty_contacts_cell_leaves_the_contacts_on_file(cast):
    investor = services.create_investor(
        by=cast.operator_a,
        data={"name": "华为", "credit_code": "914403001922038216", "unit": cast.town_a},
        contacts=[services.ContactData(name="张经理", phone="13800001111")],
    )
    rows = [{"name": "华为", "credit_code": "914403001922038216", "unit": "城关镇", "contacts": ""}]
    result = import_investors(cast.operator_a, sheet(rows))
    assert result.errors == []
    assert list(investor.contacts.values_list("name", "phone")) == [("张经理", "13800001111")]


def test_a_contact_owned_by_a_unit_the_importer_cannot_choose_keeps_that_unit(cast):
    investor = services.create_investor(
        by=cast.admin,
        data={"name": "华为", "credit_code": "914403001922038216", "unit": cast.town_a},
        contacts=[services.ContactData(name="张经理", unit=cast.county)],
    )
    rows = [
        {
            "name": "华为",
            "credit_code": "914403001922038216",
            "unit": "城关镇",
            "contacts": "张经理 13800001111",
        }
    ]
    result = import_investors(cast.operator_a, sheet(rows))
    assert result.errors == [] and result.updated == 1
    assert list(investor.contacts.values_list("phone", "unit")) == [("13800001111", cast.county.pk)]


def test_the_import_page_refuses_an_oversized_upload_with_the_shared_message(client, cast, settings):
    settings.MAX_UPLOAD_BYTES = 512 * 1024
    client.force_login(cast.operator_a)
    response = client.post(reverse("investors:import"), {"file": io.BytesIO(b"x" * 700_000)})
    assert response.status_code == 400
    assert "0.5 MB" in response.content.decode()  # the shared message names the limit
    assert not Investor.objects.exists()


def test_the_import_page_passes_allow_duplicates_on_to_the_importer(client, cast):
    services.create_investor(
        by=cast.operator_a,
        data={"name": "甲公司", "unit": cast.town_a},
        contacts=[services.ContactData(name="王经理", phone="13800001111")],
    )
    client.force_login(cast.operator_a)
    row = [{"name": "乙公司", "unit": "城关镇", "contacts": "王经理 13800001111"}]
    client.post(reverse("investors:import"), {"file": sheet(row)})
    assert Investor.objects.count() == 1  # the same contact phone: refused as a likely duplicate
    client.post(reverse("investors:import"), {"file": sheet(row), "allow_duplicates": "on"})
    assert Investor.objects.count() == 2


def test_a_name_longer_than_the_field_is_refused_as_too_long_not_searched_for_duplicates(cast):
    # 1,200 different characters: the duplicate search built 1,199 LIKEs before the length check,
    # which SQLite refused as too deep an expression (a 500 during the import).
    long_name = "".join(chr(0x4E00 + i) for i in range(1200))
    services.create_investor(by=cast.operator_a, data={"name": "一丁七万", "unit": cast.town_a})
    result = import_investors(cast.operator_a, sheet([{"name": long_name, "unit": "城关镇"}]))
    assert result.rejected_rows == [2] and not result.written
    assert result.errors[0].column == str(LABEL["name"])
    assert "at most 200 characters" in result.errors[0].message
