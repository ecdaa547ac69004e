"""A week of each role, walked in Chromium (issue 18): the township operator on a 390×844 phone
files a progress report with funds, their voucher and a photo, leaves the page half-typed and comes
back to every word, and submits, never scrolling sideways; the bureau on a 1366×768 screen verifies
it; the county leader's start page then shows the figure grown by the amount. Screenshots in
test-artifacts/."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect

from zhaoshang.browser import TIMEOUT_MS, log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Report, ReportFile
from zhaoshang.dispatch.tests.test_browser import funds_card, next_dispatch_day, signed_project
from zhaoshang.dispatch.tests.test_phone_browser import PHONE, no_horizontal_scrolling, png

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

DESKTOP: ViewportSize = {"width": 1366, "height": 768}


def screen(browser: Browser, live_server: Any, viewport: ViewportSize, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return page


def test_the_operator_files_on_a_phone_the_bureau_verifies_and_the_leader_sees_it(
    transactional_db: Any,
    cast: Cast,
    browser: Browser,
    live_server: Any,
    artifacts: Path,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    project = signed_project(cast, "城关镇智能装备产业园项目", 12000)
    services.open_rounds(next_dispatch_day(today))
    voucher = artifacts / "进账单.pdf"
    voucher.write_bytes(b"%PDF-1.4 bank slip")

    # Monday: the operator, on a phone, opens what is due and starts the report.
    phone = screen(browser, live_server, PHONE, "town_a")
    no_horizontal_scrolling(phone)
    phone.goto("/dispatch/to-report/")
    phone.get_by_test_id(f"start-{project.pk}").click()
    no_horizontal_scrolling(phone)
    report_url = phone.url
    form = phone.get_by_test_id("report-form")
    form.locator("#id_progress_text").fill("一期厂房主体封顶，设备基础施工中")
    form.locator("#id_investment").fill("350")
    funds = phone.get_by_test_id("funds-form")
    funds.locator("#id_source").select_option("domestic")
    funds.locator("#id_amount").fill("260")
    funds.locator("#id_arrived_on").fill(f"{today:%Y-%m-%d}")
    funds.locator("#id_evidence").set_input_files(str(voucher))
    funds.locator("button[type=submit]").click()
    expect(phone.get_by_test_id("funds-lines")).to_contain_text("260")
    camera = phone.get_by_test_id("photo-form").locator("input[type=file]")
    camera.set_input_files({"name": "工地.png", "mimeType": "image/png", "buffer": png(2400, 1800)})
    expect(camera).to_have_attribute("data-shrunk", "1")
    phone.get_by_test_id("photo-form").locator("button[type=submit]").click()
    expect(phone.get_by_text("工地.jpg")).to_be_visible()
    no_horizontal_scrolling(phone)
    phone.screenshot(path=str(artifacts / "01-operator-phone-report.png"), full_page=True)

    # A call comes in: the operator types a problem and leaves the page without saving.
    phone.get_by_test_id("report-form").locator("#id_problems").fill("需协调110千伏线路迁改")
    phone.goto("/")
    draft = Report.objects.filter(project=project)
    for _ in range(50):  # the page sends its draft as it goes
        if draft.filter(problems="需协调110千伏线路迁改").exists():
            break
        time.sleep(0.1)
    phone.goto(report_url)
    kept = phone.get_by_test_id("report-form")
    expect(kept.locator("#id_problems")).to_have_value("需协调110千伏线路迁改")
    expect(kept.locator("#id_progress_text")).to_have_value("一期厂房主体封顶，设备基础施工中")
    expect(kept.locator("#id_investment")).to_have_value("350")
    phone.get_by_test_id("submit-report").click()
    expect(phone.get_by_test_id("report-status")).to_have_text("已提交")
    no_horizontal_scrolling(phone)
    phone.screenshot(path=str(artifacts / "02-operator-phone-submitted.png"), full_page=True)
    assert ReportFile.objects.filter(report__project=project).count() == 1
    phone.context.close()

    # Tuesday: the bureau, at a desk, reviews and verifies it.
    bureau = screen(browser, live_server, DESKTOP, "admin")
    bureau.goto("/dispatch/review/")
    bureau.get_by_test_id("review-queue").get_by_role("link", name="城关镇智能装备产业园项目").click()
    bureau.get_by_test_id("verify-report").click()
    expect(bureau.get_by_test_id("report-status")).to_have_text("已核实")
    bureau.screenshot(path=str(artifacts / "03-bureau-verified.png"), full_page=True)
    bureau.context.close()

    # Wednesday: the county leader's start page counts it, at a desk and on a phone; the bureau's
    # queues read on a phone too.
    leader = screen(browser, live_server, DESKTOP, "leader")
    expect(funds_card(leader, "actual")).to_have_text("260")
    leader.screenshot(path=str(artifacts / "04-leader-home.png"), full_page=True)
    leader.context.close()
    for username, path, step in (
        ("leader", "/", "05-leader-phone"),
        ("admin", "/dispatch/review/", "06-bureau-phone"),
    ):
        small = screen(browser, live_server, PHONE, username)
        small.goto(path)
        if username == "leader":
            expect(funds_card(small, "actual")).to_have_text("260")
        no_horizontal_scrolling(small)
        small.screenshot(path=str(artifacts / f"{step}.png"), full_page=True)
        small.context.close()
    report = Report.objects.get(project=project)
    assert (report.status, report.problems) == ("verified", "需协调110千伏线路迁改")
