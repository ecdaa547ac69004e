"""In a real Chromium: a township operator raises a problem, the bureau accepts it and assigns it
to the department with a deadline, the department replies, the operator rates the answer."""

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
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.deadlines import add_working_days
from zhaoshang.core.permissions import Role

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]
TITLE = "项目进场道路需协调"


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.locator("nav form[action$='/logout/'] button").click()


def submit(page: Page, test_id: str) -> None:
    with page.expect_navigation():
        page.get_by_test_id(test_id).locator("button[type=submit]").click()


def test_a_problem_goes_from_township_to_department_and_back_with_a_rating(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    department = User.objects.create_user(username="dept", password=PASSWORD, display_name="商务局填报员")
    Membership.objects.create(user=department, unit=cast.department, role=Role.OPERATOR)
    deadline = add_working_days(timezone.localdate(), 3)

    # The township operator raises the problem.
    log_in(page, "town_a", PASSWORD)
    page.goto("/requests/new/")
    form = page.get_by_test_id("request-form")
    form.locator("#id_kind").select_option("staff_problem")
    form.locator("#id_title").fill(TITLE)
    form.locator("#id_description").fill("进场道路未硬化，需交通局协调")
    snap(page, "01-raise")
    submit(page, "request-form")
    expect(page.get_by_test_id("status")).to_have_text("已提交")
    snap(page, "02-raised")
    request = CoordinationRequest.objects.get(title=TITLE)
    log_out(page)

    # The bureau accepts it and assigns it to the department with a deadline.
    log_in(page, "admin", PASSWORD)
    page.goto(f"/requests/{request.pk}/")
    accept = page.get_by_test_id("accept-form")
    accept.locator("#id_owner_unit").select_option(str(cast.department.pk))
    accept.locator("#id_deadline").fill(deadline.isoformat())
    snap(page, "03-accept")
    submit(page, "accept-form")
    expect(page.get_by_test_id("owner-unit")).to_have_text("县商务局")
    expect(page.get_by_test_id("deadline")).to_have_text(deadline.isoformat())
    expect(page.get_by_test_id("light")).to_be_visible()
    snap(page, "04-accepted")
    log_out(page)

    # The department sees it and replies.
    log_in(page, "dept", PASSWORD)
    page.goto("/requests/")
    page.get_by_role("link", name=TITLE).click()
    reply = page.get_by_test_id("reply-form")
    reply.locator("#id_text").fill("已协调交通局，本周内完成硬化")
    submit(page, "reply-form")
    expect(page.get_by_test_id("status")).to_have_text("已答复")
    expect(page.get_by_test_id("light")).to_have_text("按期办结")
    snap(page, "05-answered")
    log_out(page)

    # The operator rates the answer and closes the request.
    log_in(page, "town_a", PASSWORD)
    page.goto(f"/requests/{request.pk}/")
    close = page.get_by_test_id("close-form")
    close.locator("#id_rating").select_option("5")
    close.locator("#id_comment").fill("办理及时")
    submit(page, "close-form")
    expect(page.get_by_test_id("status")).to_have_text("已办结")
    expect(page.get_by_test_id("rating")).to_contain_text("5 / 5")
    expect(page.get_by_test_id("timeline").locator("li")).to_have_count(4)
    snap(page, "06-closed")

    request.refresh_from_db()
    assert (request.status, request.owner_unit, request.deadline, request.rating) == (
        "closed",
        cast.department,
        deadline,
        5,
    )
    assert request.answered_on == timezone.localdate() <= deadline + dt.timedelta(days=0)
