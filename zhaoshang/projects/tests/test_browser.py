"""Scenarios in a real Chromium: a township operator records a project, signs it, finds it in the
ledger and exports it; anyone can switch the interface between Chinese and English."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project, StageChange

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]
NAME = "浏览器测试项目"


def zh(text: Any) -> str:
    """What the Chinese interface shows for an English msgid (the msgid itself until translated)."""
    with translation.override("zh-hans"):
        return str(gettext(text) if isinstance(text, str) else text)


def change_stage(page: Page, to_stage: str, on: str, contracted_amount: str = "") -> None:
    form = page.get_by_test_id("stage-form")
    form.locator("#id_to_stage").select_option(to_stage)
    form.locator("#id_on").fill(on)
    if contracted_amount:
        form.locator("#id_contracted_amount").fill(contracted_amount)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def exported_rows(path: Path) -> list[dict[str, Any]]:
    """The data rows of an exported ledger, keyed by the header row's labels."""
    sheet = load_workbook(path, read_only=True).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_an_operator_signs_a_new_project_and_finds_it_in_the_export(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap, artifacts: Path
) -> None:
    today = timezone.localdate()
    # Decoys the filters must leave out: the same name at another stage, another signed project.
    cast.project(name=f"{NAME}（线索）")
    cast.project(name="已签约的其他项目", stage=Stage.SIGNED, signed_on=today, contracted_amount=Decimal(100))

    log_in(page, "town_a", PASSWORD)
    snap(page, "01-logged-in")

    page.goto("/projects/new/")
    page.fill("#id_name", NAME)
    page.locator("#id_unit").select_option(label=cast.town_a.name)
    page.fill("#id_total_investment", "12345.6789")
    page.locator("#id_currency").select_option("CNY")
    snap(page, "02-new-project-form")
    with page.expect_navigation():
        page.get_by_test_id("project-form").locator("button[type=submit]").click()
    project = Project.objects.get(name=NAME)
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.get_by_test_id("stage")).to_have_text(zh(Stage.LEAD.label))
    snap(page, "03-created")

    change_stage(page, Stage.NEGOTIATING, today.isoformat())
    expect(page.get_by_test_id("stage")).to_have_text(zh(Stage.NEGOTIATING.label))
    snap(page, "04-negotiating")

    change_stage(page, Stage.SIGNED, today.isoformat(), contracted_amount="10000")
    expect(page.get_by_test_id("stage")).to_have_text(zh(Stage.SIGNED.label))
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(3)
    snap(page, "05-signed")
    project.refresh_from_db()
    assert (project.stage, project.signed_on, project.contracted_amount) == (
        Stage.SIGNED,
        today,
        Decimal("10000"),
    )
    assert list(StageChange.objects.filter(project=project).values_list("to_stage", flat=True)) == [
        Stage.LEAD,
        Stage.NEGOTIATING,
        Stage.SIGNED,
    ]

    page.goto("/projects/")
    page.locator("#id_stage").select_option([Stage.SIGNED.value])
    page.fill("#id_q", NAME)
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name=zh("Filter")).click()
    table_rows = page.get_by_test_id("project-table").locator("tbody tr")
    expect(table_rows).to_have_count(1)
    expect(table_rows.first).to_contain_text(NAME)
    snap(page, "06-filtered-list")

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    saved = artifacts / "07-export.xlsx"
    download.save_as(saved)

    rows = exported_rows(saved)
    assert len(rows) == 1
    row = rows[0]
    assert row[zh("Project name")] == NAME
    assert row[zh("Stage")] == zh(Stage.SIGNED.label)
    assert row[zh("Location unit")] == cast.town_a.name
    assert Decimal(str(row[zh("Total investment (10k CNY / 10k USD)")])) == Decimal("12345.6789")


def test_the_interface_is_chinese_until_the_user_switches_to_english(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    log_in(page, "town_a", PASSWORD)
    navbar = page.locator("nav")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(navbar.get_by_role("link", name=zh("Projects"), exact=True)).to_be_visible()
    snap(page, "01-chinese")

    with page.expect_navigation():
        navbar.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(navbar.get_by_role("link", name="Projects", exact=True)).to_be_visible()
    snap(page, "02-english")

    page.goto("/projects/")  # the choice is kept for the following pages
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name=re.compile("^Project ledger"))).to_be_visible()
    snap(page, "03-english-list")
