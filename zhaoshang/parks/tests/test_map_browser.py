"""The map in a real Chromium with every request off this machine aborted: the county's outline and the
township's points are drawn from our own files, a stage can be hidden from the legend, a click on a
point opens its project, whose "show on the map" centres the map on it, and no request failed, none left
127.0.0.1 and the CSP saw no violation."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Route, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.enterprises import services as enterprises

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""

# The map's series as drawn: name and the names of its points.
SERIES = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById("map-chart"));
  return chart.getOption().series.map((s) => [s.name, s.data.map((d) => d.name)]);
}"""

# The pixel position, inside the chart's element, of a point of series ``index``.
POINT = """([index, lon, lat]) => {
  const chart = echarts.getInstanceByDom(document.getElementById("map-chart"));
  return chart.convertToPixel({seriesIndex: index}, [lon, lat]);
}"""

# The geo component's centre, and the points of the pin series (the last one).
CENTRE = """() => {
  const option = echarts.getInstanceByDom(document.getElementById("map-chart")).getOption();
  return [option.geo[0].center, option.series[option.series.length - 1].data.map((d) => d.value)];
}"""

HIDE = """(name) => {
  const chart = echarts.getInstanceByDom(document.getElementById("map-chart"));
  chart.dispatchAction({type: "legendUnSelect", name: name});
  return chart.getOption().legend[0].selected;
}"""


def test_the_township_map_draws_offline_filters_by_stage_and_opens_a_project(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    place = {"longitude": Decimal("113.583"), "latitude": Decimal("28.701")}
    talks = cast.project(name="城关镇洽谈项目", stage="negotiating", **place)
    cast.project(name="城关镇线索", longitude=Decimal("113.65"), latitude=Decimal("28.75"))
    cast.project(unit=cast.town_b, name="河口乡项目", **place)
    at = {"longitude": Decimal("113.5"), "latitude": Decimal("28.8")}
    enterprises.register_enterprise(
        by=None,
        data={"name": "城关镇企业", "unit": cast.town_a, **at},
    )

    outside: list[str] = []
    failed: list[str] = []
    problems: list[str] = []

    def local_only(route: Route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(WATCH_CSP)

    log_in(page, "town_a", PASSWORD)
    page.goto("/parks/map/")
    expect(page.locator("#map-chart[data-rendered=true] canvas").first).to_be_attached()
    expect(page.locator("#map-chart")).to_have_attribute("data-points-count", "3")
    series = dict(page.evaluate(SERIES))
    drawn = [name for names in series.values() for name in names]
    assert sorted(drawn) == ["城关镇企业", "城关镇洽谈项目", "城关镇线索"]  # not 河口乡's
    snap(page, "01-map")

    # Hide the leads: the legend's filter by stage.
    lead = next(name for name, names in series.items() if names == ["城关镇线索"])
    selected = page.evaluate(HIDE, lead)
    assert selected[lead] is False and all(v for k, v in selected.items() if k != lead)
    assert page.evaluate("window.__cspViolations") == []

    # Click the project in talks: its page opens.
    index = list(series).index(next(name for name, names in series.items() if names == ["城关镇洽谈项目"]))
    x, y = page.evaluate(POINT, [index, 113.583, 28.701])
    box = page.locator("#map-chart").bounding_box()
    assert box is not None
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(re.compile(rf"/projects/{talks.pk}/$"))

    # Its page's "show on the map": the map centred on the project, a pin on the point.
    page.locator("[data-testid=coordinates-map]").click()
    expect(page.locator("#map-chart[data-rendered=true] canvas").first).to_be_attached()
    centre, pins = page.evaluate(CENTRE)
    assert centre == [113.583, 28.701] and pins == [[113.583, 28.701]]
    snap(page, "02-map-centred")

    assert outside == [] and failed == [] and problems == []
