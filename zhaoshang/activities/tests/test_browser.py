"""In a real Chromium: a township operator records a trip that met an investor, records the project
it produced and moves it to 在谈 (negotiating); the investor's page shows both."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from zhaoshang.activities.models import Activity
from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.investors import services as investors
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


def zh(text: Any) -> str:
    with translation.override("zh-hans"):
        return str(gettext(text) if isinstance(text, str) else text)


def test_a_trip_meets_an_investor_and_its_project_reaches_negotiation(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    today = timezone.localdate()
    left = today - dt.timedelta(days=3)
    investor = investors.create_investor(
        by=cast.operator_a,
        data={
            "name": "温州华峰新材料集团",
            "unit": cast.town_a,
            "origin_province": "浙江",
            "origin_city": "温州",
        },
    )
    log_in(page, "town_a", PASSWORD)

    page.goto("/activities/new/?kind=trip")
    form = page.get_by_test_id("activity-form")
    form.locator("#id_title").fill("赴温州招商考察")
    form.locator("#id_unit").select_option(label=cast.town_a.name)
    form.locator("#id_starts_on").fill(left.isoformat())
    form.locator("#id_ends_on").fill((left + dt.timedelta(days=1)).isoformat())
    form.locator("#id_team").fill("张镇长、李主任")
    form.locator("#id_place").fill("温州")
    form.locator("#id_outcome").fill("华峰集团有意投资新材料项目")
    form.locator("#id_investors").select_option(label=investor.name)
    snap(page, "01-trip-form")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    trip = Activity.objects.get(title="赴温州招商考察")
    expect(page).to_have_url(re.compile(rf"/activities/{trip.pk}/$"))
    expect(page.get_by_test_id("activity-investors")).to_contain_text(investor.name)
    snap(page, "02-trip-recorded")

    page.goto("/projects/new/")
    page.fill("#id_name", "华峰年产5万吨新材料项目")
    page.locator("#id_unit").select_option(label=cast.town_a.name)
    page.fill("#id_total_investment", "50000")
    page.locator("#id_currency").select_option("CNY")
    page.locator("#id_investors").select_option(label=investor.name)
    with page.expect_navigation():
        page.get_by_test_id("project-form").locator("button[type=submit]").click()
    project = Project.objects.get(name="华峰年产5万吨新材料项目")
    stage_form = page.get_by_test_id("stage-form")
    stage_form.locator("#id_to_stage").select_option(Stage.NEGOTIATING)
    stage_form.locator("#id_on").fill(today.isoformat())
    with page.expect_navigation():
        stage_form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("stage")).to_have_text(zh(Stage.NEGOTIATING.label))
    snap(page, "03-project-negotiating")

    # The trip produced the project: link it.
    page.goto(f"/activities/{trip.pk}/edit/")
    page.get_by_test_id("activity-form").locator("#id_projects").select_option(label=project.name)
    with page.expect_navigation():
        page.get_by_test_id("activity-form").locator("button[type=submit]").click()
    assert list(trip.projects.all()) == [project]

    page.goto(f"/investors/{investor.pk}/")
    expect(page.get_by_test_id("investor-projects")).to_contain_text(project.name)
    expect(page.get_by_test_id("investor-projects")).to_contain_text(zh(Stage.NEGOTIATING.label))
    timeline = page.get_by_test_id("investor-timeline")
    expect(timeline).to_contain_text("赴温州招商考察")
    expect(timeline).to_contain_text(
        f"{project.name}: {zh(Stage.LEAD.label)} → {zh(Stage.NEGOTIATING.label)}"
    )
    snap(page, "04-investor-page")
