"""In a real Chromium: the bureau reads an old report in, corrects one figure, confirms, and finds
the figure of last year beside this year's on the dashboard (同比) and the project in the ledger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser


def test_an_old_report_is_read_corrected_confirmed_and_compared(
    transactional_db: Any, cast: Cast, page: Page, tmp_path: Path
) -> None:
    year = timezone.localdate().year - 1
    report = tmp_path / "城关镇总结.txt"
    report.write_text(
        f"城關鎮{year}年招商引資工作總結\n"
        f"{year}年,全鎮共引進項目3個,境內市外到位資金1.2億元。\n"
        "(1)已開工建設項目1個:\n"
        "1、恒達新材料項目,總投資5000萬元。\n",
        encoding="utf-8",
    )
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in(page, "admin", PASSWORD)
    page.goto("/ingest/")
    page.get_by_test_id("upload-form").locator("select[name=unit]").select_option(str(cast.town_a.pk))
    page.set_input_files("#id_file", str(report))
    with page.expect_navigation():
        page.get_by_test_id("upload-submit").click()
    expect(page.get_by_test_id("review-text").locator("mark")).to_have_count(4)
    expect(page.locator("#id_year")).to_have_value(str(year))
    funds = page.get_by_test_id("figure-1-value")
    expect(funds).to_have_value("12000")
    funds.fill("12500")  # the user corrects the figure read
    with page.expect_navigation():
        page.get_by_test_id("review-confirm").click()
    expect(page.get_by_test_id("upload-status")).to_contain_text("已确认")

    page.goto(f"/?unit={cast.town_a.pk}&year={year + 1}")
    card = page.get_by_test_id("indicator-funds_domestic")
    expect(card.get_by_test_id("yoy-last")).to_have_text("12,500")
    page.goto("/projects/")
    expect(page.locator("main")).to_contain_text("恒達新材料項目")
    assert problems == []
