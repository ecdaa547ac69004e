"""In a real Chromium: the township's operator edits 存在问题, saves it, and downloads the summary
with the edit in it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.summaries.tests.helpers import YEAR, township_2009

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser


def test_the_operator_edits_the_problems_generates_and_downloads(
    transactional_db: Any, cast: Cast, page: Page
) -> None:
    unit = township_2009(cast)
    log_in(page, "town_a", PASSWORD)
    page.goto(reverse("summaries:summary", args=[unit.pk, YEAR, 1, 12]))
    expect(page.get_by_test_id("summary-results")).to_contain_text("全镇共引进项目9个")
    problems = page.get_by_test_id("text-problems")
    expect(problems).to_contain_text("项目半年以上未取得新进展")  # the facts it starts from
    problems.fill("项目用地报批进度慢。\n部分企业融资困难。")
    page.get_by_test_id("save-problems").click()
    expect(page.get_by_test_id("section-problems")).to_contain_text("城关镇填报员")
    expect(page.get_by_test_id("text-problems")).to_have_value("项目用地报批进度慢。\n部分企业融资困难。")

    with page.expect_download() as waiting:
        page.get_by_test_id("download-docx").click()
    download = waiting.value
    assert download.suggested_filename.endswith("招商引资工作总结.docx")
    path = download.path()
    assert path is not None
    text = [p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs]
    problems_at = text.index("三、存在问题")
    assert text[problems_at + 1 : problems_at + 3] == ["项目用地报批进度慢。", "部分企业融资困难。"]
    assert "全年，全镇共引进项目9个" in text[2]
