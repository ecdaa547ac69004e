"""The funds queue in a real Chromium: verifying asks first, with the amount (issue 18, item 6)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.ledger.funds import record_funds
from zhaoshang.ledger.models import FundsArrival

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser


def test_verifying_funds_asks_with_the_amount_and_a_no_changes_nothing(
    transactional_db: Any, cast: Cast, page: Page, snap: Any
) -> None:
    project = cast.project(name="确认核实项目")
    funds = record_funds(
        project,
        by=cast.operator_a,
        arrived_on=dt.date(2024, 5, 10),
        source="domestic",
        amount=Decimal("1234.5"),
    )
    log_in(page, "admin", PASSWORD)
    page.goto("/ledger/funds/")
    questions: list[str] = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_test_id("funds-queue").get_by_role("button", name="核实").click()
    expect(page.get_by_test_id("funds-queue")).to_contain_text("确认核实项目")
    assert questions and "1,234.5 万元" in questions[0] and "确认核实项目" in questions[0]
    assert FundsArrival.objects.get(pk=funds.pk).status == "reported"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("funds-queue").get_by_role("button", name="核实").click()
    expect(page.get_by_test_id("funds-queue")).not_to_contain_text("确认核实项目")
    assert FundsArrival.objects.get(pk=funds.pk).status == "verified"
    snap(page, "01-queue-after-verifying")
