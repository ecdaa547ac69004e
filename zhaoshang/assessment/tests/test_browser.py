"""In a real Chromium: the leader opens the published ranking, sorts it, drills into a unit's points
to see what it lost and why, and from a point's figure into the records behind it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.assessment import services
from zhaoshang.assessment.tests.conftest import YEAR, put, target
from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


def test_the_leader_goes_from_the_ranking_to_a_units_points_and_the_records_behind(
    transactional_db: Any, cast: Cast, scheme: Any, page: Page, snap: Snap
) -> None:
    target(cast.town_a, "funds_domestic", 1000)
    target(cast.town_b, "funds_domestic", 1000)
    put(cast.town_a, "funds_domestic", 2, 400)
    put(cast.town_b, "funds_domestic", 2, 1100)
    group = scheme.groups.get()
    leaders = group.items.get(code="leaders")
    services.enter_manual(
        leaders, cast.town_a, by=cast.admin, period="quarter", month=3, value=6, reason="招商信息报送不及时"
    )
    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)

    log_in(page, "leader", PASSWORD)
    page.goto("/assessment/")
    table = page.get_by_test_id("ranking")
    expect(table.locator("tbody tr").first).to_contain_text("河口乡")
    snap(page, "01-ranking")
    table.get_by_role("link", name="单位").click()
    expect(table.locator("tbody tr").first).to_contain_text("城关镇")  # by name: 城 before 河

    page.get_by_test_id("unit-link").filter(has_text="城关镇").click()
    points = page.get_by_test_id("points")
    expect(points).to_contain_text("省外到位资金")
    expect(points.locator("tr", has_text="省外到位资金")).to_contain_text("40.0%")
    expect(points.locator("tr", has_text="省外到位资金")).to_contain_text("30.00")  # lost 30 of 50
    expect(points.locator("tr", has_text="领导打分")).to_contain_text("招商信息报送不及时")
    snap(page, "02-unit-points")

    points.locator("tr", has_text="省外到位资金").get_by_title("该数值背后的记录").click()
    expect(page.get_by_test_id("drilldown-verified")).to_contain_text("400")  # the figure scored on
    expect(page.get_by_test_id("drilldown-line")).to_have_count(1)
    snap(page, "03-records-behind")
