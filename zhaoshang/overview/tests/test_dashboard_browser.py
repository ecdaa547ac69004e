"""The dashboard in a real Chromium: the leader sees the county's charts drawn, clicks a township's
bar to drill down, and the page raises no console error and no Content-Security-Policy violation."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.ledger.funds import record_funds
from zhaoshang.ledger.models import Indicator
from zhaoshang.projects.choices import Stage
from zhaoshang.targets.models import Target

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]

# Collects CSP violations in the page (an init script runs outside the page's policy).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

# The pixel position, inside the chart's element, of the middle of bar ``index``.
BAR_POSITION = """([index, value]) => {
  const chart = echarts.getInstanceByDom(document.getElementById("children-chart"));
  const [x, top] = chart.convertToPixel({seriesIndex: 0}, [index, value]);
  const [, bottom] = chart.convertToPixel({seriesIndex: 0}, [index, 0]);
  return [x, (top + bottom) / 2];
}"""


def test_the_leader_drills_down_from_the_county_to_a_township(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    today = timezone.localdate()
    indicator = Indicator.objects.get(code="funds_domestic")  # the cast fixture restores indicators
    Target.objects.create(unit=cast.county, year=today.year, indicator=indicator, value=Decimal(5000))
    Target.objects.create(unit=cast.town_a, year=today.year, indicator=indicator, value=Decimal(1000))
    project = cast.project(
        name="城关镇签约项目", stage=Stage.SIGNED, signed_on=today, contracted_amount=Decimal(800)
    )
    record_funds(project, by=None, arrived_on=today, source="domestic", amount=Decimal(600), verified=True)
    record_funds(project, by=None, arrived_on=today, source="domestic", amount=Decimal(150))
    cast.project(unit=cast.town_b, name="河口乡线索")

    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(WATCH_CSP)

    log_in(page, "leader", PASSWORD)
    page.goto("/")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text(cast.county.name)
    for chart in ("children-chart", "funds-chart", "funnel-chart"):
        expect(page.locator(f"#{chart}[data-rendered=true] canvas").first).to_be_attached()
        assert page.locator(f"#{chart} canvas").count() > 0, chart
    expect(page.get_by_test_id("indicator-funds_domestic").get_by_test_id("actual")).to_have_text("600")
    expect(page.get_by_test_id("indicator-funds_domestic").get_by_test_id("reported")).to_have_text("150")
    snap(page, "01-county-dashboard")

    # Drill down by clicking town A's bar (60% of its target) on the canvas.
    names = page.evaluate("JSON.parse(document.getElementById('dashboard-data').textContent).children")
    index = next(i for i, c in enumerate(names) if c["id"] == cast.town_a.pk)
    x, y = page.evaluate(BAR_POSITION, [index, 60])
    page.locator("#children-chart").scroll_into_view_if_needed()
    box = page.locator("#children-chart").bounding_box()  # in the viewport, where the mouse clicks
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(rf"[?&]unit={cast.town_a.pk}(&|$)"))
    expect(page.get_by_test_id("dashboard-title")).to_contain_text(cast.town_a.name)
    expect(page.get_by_test_id("stalled-table")).to_contain_text("城关镇签约项目")
    expect(page.get_by_test_id("stalled-table")).not_to_contain_text("河口乡线索")
    expect(page.locator("#funds-chart[data-rendered=true] canvas").first).to_be_attached()
    snap(page, "02-township-dashboard")

    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
