"""The whole dispatch cycle in a real Chromium: an operator files a progress report with funds and
their evidence; the bureau verifies it and the county's dashboard figure grows by exactly that
amount; a returned report goes back to the operator with its reason."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.dispatch import calendar as dates
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Report
from zhaoshang.ledger.funds import record_funds

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


def next_dispatch_day(today: dt.date) -> dt.date:
    return min(d for d in dates.dates_around(today, [12, 27], before=0, after=1) if d >= today)


def switch_user(page: Page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def funds_card(page: Page, which: str) -> Any:
    return page.get_by_test_id("indicator-funds_domestic").get_by_test_id(which)


def file_report(page: Page, project_id: int, evidence: Path, amount: str) -> None:
    page.goto("/dispatch/to-report/")
    page.get_by_test_id(f"start-{project_id}").click()
    form = page.get_by_test_id("report-form")
    form.locator("#id_investment").fill("300")
    form.locator("#id_progress_percent").fill("45")
    form.locator("#id_progress_text").fill("主体结构封顶")
    form.locator("#id_problems").fill("需协调用电增容")
    form.locator("button[type=submit]").click()
    funds = page.get_by_test_id("funds-form")
    funds.locator("#id_source").select_option("domestic")
    funds.locator("#id_amount").fill(amount)
    funds.locator("#id_arrived_on").fill(f"{timezone.localdate():%Y-%m-%d}")
    funds.locator("#id_evidence").set_input_files(str(evidence))
    funds.locator("button[type=submit]").click()
    expect(page.get_by_test_id("funds-lines")).to_contain_text(amount)
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已提交")


def signed_project(cast: Cast, name: str, amount: int) -> Any:
    """A project of town A signed 40 days ago: it owes a report in the next round."""
    signed_on = timezone.localdate() - dt.timedelta(days=40)
    return cast.project(
        cast.town_a, name=name, stage="signed", signed_on=signed_on, contracted_amount=Decimal(amount)
    )


def test_a_report_is_filed_verified_and_counted_and_a_returned_one_goes_back(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap, artifacts: Path, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    first = signed_project(cast, "城关镇新材料项目", 9000)
    second = signed_project(cast, "城关镇物流园项目", 9000)
    record_funds(first, by=None, arrived_on=today, source="domestic", amount=Decimal(600), verified=True)
    services.open_rounds(next_dispatch_day(today))
    evidence = artifacts / "进账单.pdf"
    evidence.write_bytes(b"%PDF-1.4 bank slip")

    # The operator of town A files the first report, with funds and their evidence.
    log_in(page, "town_a", PASSWORD)
    file_report(page, first.pk, evidence, "250")
    snap(page, "01-operator-submitted")

    # The bureau sees 600 verified and 250 reported, verifies, and the figure becomes 850.
    switch_user(page, "admin")
    page.goto("/")
    expect(funds_card(page, "actual")).to_have_text("600")
    expect(funds_card(page, "reported")).to_have_text("250")
    page.goto("/dispatch/review/")
    expect(page.get_by_test_id("review-queue")).to_contain_text("城关镇新材料项目")
    snap(page, "02-review-queue")
    page.get_by_test_id("review-queue").get_by_role("link", name="城关镇新材料项目").click()
    page.get_by_test_id("verify-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已核实")
    page.goto("/")
    expect(funds_card(page, "actual")).to_have_text("850")
    expect(funds_card(page, "reported")).to_have_text("0")
    snap(page, "03-dashboard-after-verification")

    # The second report is returned with a reason; the operator is told and sees the reason.
    switch_user(page, "town_a")
    file_report(page, second.pk, evidence, "80")
    switch_user(page, "admin")
    page.goto(Report.objects.get(project=second).get_absolute_url())
    page.get_by_test_id("return-reason-input").fill("进账单与金额不符，请核对")
    page.get_by_test_id("return-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已退回")
    page.goto("/")
    expect(funds_card(page, "actual")).to_have_text("850")
    expect(funds_card(page, "reported")).to_have_text("0")
    switch_user(page, "town_a")
    expect(page.get_by_test_id("unread-badge")).to_have_text("1")
    page.get_by_test_id("notifications-link").click()
    snap(page, "04-operator-notified")
    page.get_by_role("button", name="打开").first.click()
    expect(page.get_by_test_id("return-reason")).to_contain_text("进账单与金额不符，请核对")
    expect(page.get_by_test_id("submit-report")).to_be_visible()
    snap(page, "05-returned-report")


def test_typed_words_survive_adding_funds_leaving_the_page_and_an_empty_submit_is_refused(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap, artifacts: Path, settings: Any, tmp_path: Path
) -> None:
    # Issue 18: the report page was three forms; adding funds dropped what was typed in the report,
    # and submitting an untouched report filed 0 万元 / 0 % as if it were true.
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    project = signed_project(cast, "城关镇草稿项目", 500)
    services.open_rounds(next_dispatch_day(today))
    evidence = artifacts / "回单.pdf"
    evidence.write_bytes(b"%PDF-1.4 slip")
    log_in(page, "town_a", PASSWORD)
    page.goto("/dispatch/to-report/")
    page.get_by_test_id(f"start-{project.pk}").click()
    report_url = page.url

    # Submitting the empty report is refused with the reason; nothing is filed.
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_text("报告是空的", exact=False)).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")

    # Words typed, then funds added without pressing "save draft": the words are still there.
    form = page.get_by_test_id("report-form")
    form.locator("#id_progress_text").fill("厂房基础施工中")
    funds = page.get_by_test_id("funds-form")
    funds.locator("#id_source").select_option("domestic")
    funds.locator("#id_amount").fill("120")
    funds.locator("#id_arrived_on").fill(f"{today:%Y-%m-%d}")
    funds.locator("#id_evidence").set_input_files(str(evidence))
    funds.locator("button[type=submit]").click()
    expect(page.get_by_test_id("funds-lines")).to_contain_text("120")
    expect(page.get_by_test_id("report-form").locator("#id_progress_text")).to_have_value("厂房基础施工中")

    # Typed, then the page left at once (no save pressed, no pause): kept on return.
    page.get_by_test_id("report-form").locator("#id_problems").fill("需协调施工用水")
    page.goto("/")
    # The page sent its draft as it went (a beacon, answered after the next page may have loaded).
    draft = Report.objects.filter(project=project)
    for _ in range(50):
        if draft.filter(problems="需协调施工用水").exists():
            break
        time.sleep(0.1)
    page.goto(report_url)
    expect(page.get_by_test_id("report-form").locator("#id_problems")).to_have_value("需协调施工用水")
    expect(page.get_by_test_id("report-form").locator("#id_progress_text")).to_have_value("厂房基础施工中")

    # Typed and paused: the page says the draft is saved.
    page.get_by_test_id("report-form").locator("#id_investment").fill("80")
    expect(page.get_by_test_id("autosave-status")).to_contain_text("草稿已保存")
    snap(page, "01-draft-saved-while-typing")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已提交")
    report = Report.objects.get(project=project)
    assert (report.progress_text, report.problems, report.investment) == (
        "厂房基础施工中",
        "需协调施工用水",
        Decimal(80),
    )
