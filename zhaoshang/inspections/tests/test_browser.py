"""In a real Chromium: an inspector records a quarterly inspection with a rectification item, the
township reports it rectified, the inspector verifies it; the overdue lists show the red ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.accounts.models import Membership, User
from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.coordination import services as coordination
from zhaoshang.core.permissions import Role
from zhaoshang.inspections.models import Inspection

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator("nav form[action$='/logout/'] button").click()


def submit(form: Any) -> None:
    with form.page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_an_inspection_is_recorded_rectified_and_verified(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    inspector = User.objects.create_user(username="inspector", password=PASSWORD, display_name="督查员")
    Membership.objects.create(user=inspector, unit=cast.county, role=Role.INSPECTOR)
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    # A red request for the overdue page.
    late = coordination.raise_request(
        kind="staff_problem",
        title="逾期未答复的事项",
        description="x",
        unit=cast.town_a,
        by=None,
        raised_on=today - dt.timedelta(days=40),
    )
    coordination.accept_request(late, by=None, owner_unit=cast.department, on=today - dt.timedelta(days=39))

    log_in(page, "inspector", PASSWORD)
    page.goto("/inspections/new/")
    form = page.get_by_test_id("inspection-form")
    form.locator("#id_unit").select_option(str(cast.town_a.pk))
    form.locator("#id_year").fill(str(today.year))
    form.locator("#id_quarter").select_option(str(quarter))
    form.locator("#id_inspected_on").fill(today.isoformat())
    form.locator("#id_inspectors").fill("县委督查室 王磊")
    form.locator("#id_findings").fill("项目台账更新不及时")
    submit(form)
    item_form = page.get_by_test_id("item-form")
    item_form.locator("#id_description").fill("按月更新项目台账")
    item_form.locator("#id_owner_unit").select_option(str(cast.town_a.pk))
    item_form.locator("#id_deadline").fill((today + dt.timedelta(days=14)).isoformat())
    submit(item_form)
    expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(1)
    snap(page, "01-recorded")
    inspection = Inspection.objects.get()
    page.goto("/requests/overdue/")
    expect(page.get_by_test_id("overdue-table")).to_contain_text("逾期未答复的事项")
    snap(page, "02-overdue-requests")
    log_out(page)

    log_in(page, "town_a", PASSWORD)
    page.goto(f"/inspections/{inspection.pk}/")
    rectify = page.locator(f"form[action$='/items/{inspection.items.get().pk}/rectify/']")
    rectify.locator("textarea").fill("已建立月度更新制度，台账已补齐")
    submit(rectify)
    expect(page.get_by_test_id("items")).to_contain_text("已整改")
    snap(page, "03-rectified")
    log_out(page)

    log_in(page, "inspector", PASSWORD)
    page.goto(f"/inspections/{inspection.pk}/")
    submit(page.locator(f"form[action$='/items/{inspection.items.get().pk}/verify/']"))
    expect(page.get_by_test_id("items")).to_contain_text("已核实")
    page.goto("/inspections/items/")
    expect(page.get_by_test_id("item-table")).to_contain_text("按月更新项目台账")
    snap(page, "04-items")
    assert inspection.items.get().status == "verified"
