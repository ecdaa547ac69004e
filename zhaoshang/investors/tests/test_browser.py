"""In a real Chromium: a likely duplicate is shown before a new investor is saved; an inquiry's
response clock shows its lights."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.activities import services as activities
from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.investors import services
from zhaoshang.investors.models import Investor

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


def test_a_likely_duplicate_is_shown_before_saving(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    services.create_investor(
        by=cast.operator_a,
        data={"name": "溫州XX集團有限公司", "unit": cast.town_a},
        contacts=[services.ContactData(name="王经理", phone="13800001111")],
    )
    log_in(page, "town_a", PASSWORD)
    page.goto("/investors/new/")
    form = page.get_by_test_id("investor-form")
    form.locator("#id_name").fill("温州XX集团")
    form.locator("#id_unit").select_option(label=cast.town_a.name)
    form.locator("#id_contacts-0-name").fill("王经理")
    form.locator("#id_contacts-0-phone").fill("138-0000-1111")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("duplicates")).to_contain_text("溫州XX集團有限公司")
    snap(page, "01-duplicate-shown")
    assert Investor.objects.count() == 1
    page.get_by_test_id("investor-form").locator("#id_save_anyway").check()
    with page.expect_navigation():
        page.get_by_test_id("investor-form").locator("button[type=submit]").click()
    created = Investor.objects.get(name="温州XX集团")
    expect(page).to_have_url(re.compile(rf"/investors/{created.pk}/$"))
    expect(page.get_by_test_id("contacts")).to_contain_text("王经理")
    snap(page, "02-saved-anyway")


def test_an_inquiry_shows_its_response_clock(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    received = timezone.now() - dt.timedelta(days=14)
    inquiry = activities.create_activity(
        by=cast.operator_a,
        data={
            "kind": "inquiry",
            "unit": cast.town_a,
            "title": "咨询标准厂房租金",
            "starts_on": timezone.localdate(received),
            "received_at": received,
            "channel": "phone",
            "content": "客商来电询问标准厂房租金和面积。",
        },
    )
    activities.record_step(inquiry, "response", by=cast.operator_a, on=timezone.localdate(received))
    log_in(page, "admin", PASSWORD)
    page.goto(f"/activities/{inquiry.pk}/")
    expect(page.get_by_test_id("light-response")).to_have_class(re.compile("light-done"))
    expect(page.get_by_test_id("light-feedback")).to_have_class(re.compile("light-red"))
    snap(page, "01-inquiry-clock")
    page.goto("/activities/inquiries/overdue/")
    expect(page.get_by_test_id("overdue")).to_contain_text("咨询标准厂房租金")
    snap(page, "02-overdue-list")
    page.goto("/activities/")
    snap(page, "03-activity-list")
