"""Traditional Chinese (issue 18): a third interface language derived from Simplified, and search
and imports that fold the two scripts."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook

from zhaoshang.core.chinese import script_variants, to_simplified, to_traditional
from zhaoshang.core.xlsx import cell
from zhaoshang.projects.importing import COLUMNS, import_projects
from zhaoshang.projects.models import Project


def test_the_traditional_catalogue_is_the_simplified_one_converted_and_complete():
    import polib

    locale = Path(settings.BASE_DIR) / "locale"
    hans = polib.pofile(str(locale / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    path = locale / "zh_Hant" / "LC_MESSAGES" / "django.po"
    hant = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))}
    stale = [
        e.msgid
        for e in hans
        if (e.msgctxt, e.msgid) not in hant or hant[e.msgctxt, e.msgid].msgstr != to_traditional(e.msgstr)
    ]
    assert stale == [], f"run `make messages`: {stale[:3]}"
    assert all(e.msgstr or e.msgstr_plural for e in hant.values())


def test_mainland_words_are_kept_in_traditional_script():
    assert to_traditional("项目信息软件签约资金") == "項目信息軟件簽約資金"
    assert to_simplified("城關鎮 線索 第一產業") == "城关镇 线索 第一产业"
    assert script_variants("綜合") == ["綜合", "综合"] and script_variants("Abc") == ["Abc"]


def test_the_pages_speak_traditional_chinese_when_chosen(client, cast):
    client.force_login(cast.operator_a)
    client.post(reverse("set_language"), {"language": "zh-hant"})
    page = client.get(reverse("projects:list")).content.decode()
    assert 'lang="zh-hant"' in page and "項目" in page and "项目" not in page.split("<main", 1)[1]


def test_a_search_in_either_script_finds_the_other(client, cast):
    cast.project(name="综合服务中心")
    cast.project(name="綜合物流園")
    client.force_login(cast.operator_a)
    for query in ("綜合", "综合"):
        found = client.get(reverse("projects:list"), {"q": query}).content.decode()
        assert "综合服务中心" in found and "綜合物流園" in found, query


def test_an_import_in_traditional_script_is_understood(cast):
    labels = {c.key: str(c.label) for c in COLUMNS}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("projects")
    keys = ["name", "unit", "stage", "sector", "total_investment"]
    sheet.append([cell(sheet, to_traditional(labels[k]), header=True) for k in keys])
    sheet.append([cell(sheet, v) for v in ("繁體導入項目", "城關鎮", "線索", "第一產業", "100")])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "projects.xlsx"
    result = import_projects(cast.operator_a, data)
    assert result.errors == [] and result.created == 1
    project = Project.objects.get(name="繁體導入項目")
    assert (project.unit, project.stage, project.sector) == (cast.town_a, "lead", "primary")
