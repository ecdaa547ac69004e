"""The kanban board in a real Chromium: dragging a card to a later stage moves the project (the card
lands in the new column, the counts follow); a refused move puts the card back with the reason on
it; no console error, no Content-Security-Policy violation. Also takes the screenshots of the
leader's start page and of the board (test-artifacts/)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from zhaoshang.assessment.tests.conftest import put, target
from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.projects.models import Project

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]

WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def test_a_card_dragged_to_a_later_stage_moves_the_project(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    year = timezone.localdate().year
    for unit, done in ((cast.town_a, 450), (cast.town_b, 820)):
        target(unit, "funds_domestic", 1000, year=year)
        put(unit, "funds_domestic", 1, done, year=year)
    target(cast.county, "funds_domestic", 3000, year=year)
    moving = cast.project(cast.town_a, name="拖到意向项目")
    refused = cast.project(cast.town_a, name="缺合同额项目")
    cast.project(cast.town_a, name="在谈项目", stage="negotiating", total_investment=Decimal(800))

    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(WATCH_CSP)

    log_in(page, "leader", PASSWORD)
    page.goto("/")
    expect(page.get_by_test_id("ranking")).to_contain_text(cast.town_b.name)
    expect(page.get_by_test_id("behind-time")).to_be_visible()
    snap(page, "01-leader-home")
    page.context.clear_cookies()

    log_in(page, "town_a", PASSWORD)
    page.goto("/projects/board/")
    lead, intent = page.get_by_test_id("column-lead"), page.get_by_test_id("column-intent")
    expect(lead.get_by_test_id("count")).to_have_text("2")
    page.get_by_test_id(f"card-{moving.pk}").drag_to(intent.locator(".board-list"))
    expect(intent.get_by_test_id(f"card-{moving.pk}")).to_be_visible()
    expect(intent.get_by_test_id("count")).to_have_text("1")
    expect(lead.get_by_test_id("count")).to_have_text("1")
    assert Project.objects.get(pk=moving.pk).stage == "intent"

    signed = page.get_by_test_id("column-signed").locator(".board-list")
    page.get_by_test_id(f"card-{refused.pk}").drag_to(signed)
    card = lead.get_by_test_id(f"card-{refused.pk}")
    expect(card.get_by_test_id("move-refused")).to_be_visible()
    expect(page.get_by_test_id("column-signed").get_by_test_id("count")).to_have_text("0")
    assert Project.objects.get(pk=refused.pk).stage == "lead"
    snap(page, "02-board")

    assert page.evaluate("window.__cspViolations") == []
    assert problems == []
