"""In a real Chromium: the bureau decomposes the county's targets in the grid, sees the children's
sum fall short of the county's own target, and downloads the agreements of all townships."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.targets.tests.conftest import YEAR, values_of

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


def test_the_bureau_decomposes_the_countys_targets_and_downloads_the_agreements(
    transactional_db: Any, cast: Cast, put: Any, page: Page, snap: Snap, artifacts: Path
) -> None:
    put(cast.county, funds_domestic="10000", projects_signed="10", factory_area="50000")
    put(cast.town_a, funds_domestic="6000", projects_signed="6")
    put(cast.town_b, funds_domestic="3000", projects_signed="5")
    put(cast.department, investors_received="120")
    log_in(page, "admin", PASSWORD)
    page.goto(f"/targets/?year={YEAR}")
    grid = page.get_by_test_id("target-grid")
    expect(grid.get_by_test_id("child-row")).to_have_count(4)
    expect(page.get_by_test_id("sum-funds_domestic")).to_have_text("9,000")
    expect(page.get_by_test_id("sum-funds_domestic")).to_have_class("num table-danger fw-bold")
    snap(page, "01-grid-short")

    page.fill(f"input[name=t-{cast.park.pk}-funds_domestic]", "1500")
    page.fill(f"input[name=t-{cast.park.pk}-factory_area]", "50000")
    with page.expect_navigation():
        page.get_by_test_id("save-grid").click()
    expect(page.get_by_test_id("sum-funds_domestic")).to_have_text("10,500")
    expect(page.get_by_test_id("sum-funds_domestic")).to_have_class("num")
    assert values_of(cast.park) == {"funds_domestic": Decimal(1500), "factory_area": Decimal(50000)}
    assert values_of(cast.county)["funds_domestic"] == Decimal(10000)
    snap(page, "02-grid-saved")

    with page.expect_download() as download_info:
        page.get_by_test_id("agreements-zip").click()
    saved = artifacts / "03-agreements.zip"
    download_info.value.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
        assert len(archive.namelist()) == 4
