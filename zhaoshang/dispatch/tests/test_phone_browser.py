"""The to-report list and the report page on a 390×844 phone (issue 18): grouped by round with the
current round first and the overdue ones folded, a card per project with its button in reach, no
horizontal scrolling, and a photo taken with the camera input shrunk in the browser before upload."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect

from zhaoshang.browser import TIMEOUT_MS, log_in
from zhaoshang.conftest import PASSWORD, Cast
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Report, ReportFile, Round
from zhaoshang.dispatch.tests.test_browser import next_dispatch_day, signed_project

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}


def png(width: int, height: int) -> bytes:
    """A plain PNG of ``width``×``height`` (a stripe pattern, so that it is a picture worth shrinking)."""
    row = b"".join(bytes((x * 7 % 256, 90, 200 - x % 97)) for x in range(width))
    raw = b"".join(b"\x00" + row for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def jpeg_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a JPEG's start-of-frame marker."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    at = 2
    while at < len(data):
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        at += 2 + length
    raise AssertionError("no start-of-frame marker")


def phone(browser: Browser, live_server: Any) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def no_horizontal_scrolling(page: Page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], page.url


def within_reach(page: Page, test_id: str) -> None:
    box = page.get_by_test_id(test_id).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (test_id, box)


def test_the_to_report_list_and_a_photo_on_a_phone(
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
    project = signed_project(cast, "城关镇年产5000吨高性能复合新材料及配套设施建设项目", 9000)
    overdue_day = next_dispatch_day(today - dt.timedelta(days=20))
    services.open_rounds(overdue_day)
    services.open_rounds(next_dispatch_day(today))
    rounds = Round.objects.filter(county=cast.county)
    current, overdue = rounds.get(due_on__gte=today), rounds.get(due_on=overdue_day)

    page = phone(browser, live_server)
    log_in(page, "town_a", PASSWORD)
    page.goto("/dispatch/to-report/")
    sections = page.locator("[data-testid^=round-]")
    expect(sections).to_have_count(2)
    # the current round first and open; the overdue round after it, folded, with its count
    assert sections.nth(0).get_attribute("data-testid") == f"round-{current.pk}"
    folded = page.get_by_test_id(f"round-{overdue.pk}")
    assert folded.evaluate("e => e.tagName") == "DETAILS" and folded.get_attribute("open") is None
    expect(folded.get_by_test_id("overdue-count")).to_contain_text("1")
    start = f"start-{project.pk}"
    expect(sections.nth(0).get_by_test_id(start)).to_be_visible()
    expect(folded.get_by_test_id(start)).to_be_hidden()
    no_horizontal_scrolling(page)
    within_reach(page, f"round-{current.pk}")
    box = sections.nth(0).get_by_test_id(start).bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    page.screenshot(path=str(artifacts / "01-to-report-phone.png"), full_page=True)
    folded.locator("summary").click()
    expect(folded.get_by_test_id(start)).to_be_visible()
    no_horizontal_scrolling(page)
    page.screenshot(path=str(artifacts / "02-overdue-unfolded-phone.png"), full_page=True)

    # The current round's report: the camera input, a 3000×2000 picture shrunk to 1600×1067.
    sections.nth(0).get_by_test_id(start).click()
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")
    no_horizontal_scrolling(page)
    camera = page.get_by_test_id("photo-form").locator("input[type=file]")
    assert (camera.get_attribute("accept"), camera.get_attribute("capture")) == ("image/*", "environment")
    picture = png(3000, 2000)
    camera.set_input_files({"name": "现场.png", "mimeType": "image/png", "buffer": picture})
    expect(camera).to_have_attribute("data-shrunk", "1")
    expect(page.get_by_test_id("shrink-status")).to_contain_text("1600×1067")
    chosen = camera.evaluate("i => [i.files[0].name, i.files[0].type, i.files[0].size]")
    assert chosen[:2] == ["现场.jpg", "image/jpeg"]
    page.screenshot(path=str(artifacts / "03-report-photo-phone.png"), full_page=True)
    page.get_by_test_id("photo-form").locator("button[type=submit]").click()
    expect(page.get_by_text("现场.jpg")).to_be_visible()
    stored = ReportFile.objects.get(report=Report.objects.get(project=project))
    with stored.file.open("rb") as f:
        data = f.read()
    assert jpeg_size(data) == (1600, 1067) and len(data) == chosen[2]
    no_horizontal_scrolling(page)
    page.context.close()


def test_the_operators_start_page_says_what_is_due_first_on_a_phone_and_a_desktop(
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
    signed_project(cast, "城关镇待报项目", 9000)
    services.open_rounds(next_dispatch_day(today))
    current = Round.objects.get(county=cast.county, due_on__gte=today)
    desktop: ViewportSize = {"width": 1366, "height": 768}
    for size, viewport in (("phone", PHONE), ("desktop", desktop)):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        log_in(page, "town_a", PASSWORD)
        due = page.get_by_test_id("due")
        expect(due.get_by_test_id("due-round")).to_have_count(1)
        expect(due.get_by_test_id("due-round")).to_contain_text(f"{current.due_on:%Y-%m-%d}")
        cards = page.get_by_test_id("indicator-cards").bounding_box()
        assert cards is not None and due.bounding_box()["y"] < cards["y"]  # type: ignore[index]
        nav, toggle = page.get_by_test_id("nav-main"), page.get_by_test_id("nav-toggle")
        if size == "phone":
            no_horizontal_scrolling(page)
            # the links are folded behind "Menu" (the start page comes first), and unfold on a tap
            expect(nav).to_be_hidden()
            expect(page.get_by_test_id("password-change-link")).to_be_hidden()
            within_reach(page, "nav-toggle")
            page.screenshot(path=str(artifacts / "home-phone-menu-folded.png"))
            toggle.click()
            expect(nav).to_be_visible()
            expect(page.get_by_test_id("password-change-link")).to_be_visible()
            page.screenshot(path=str(artifacts / "home-phone-menu-open.png"))
            nav.get_by_role("link", name="项目", exact=True).click()
            expect(page).to_have_url(re.compile(r"/projects/$"))
            page.goto("/")
            expect(nav).to_be_hidden()
        else:
            expect(toggle).to_be_hidden()
            expect(nav).to_be_visible()
        page.screenshot(path=str(artifacts / f"home-{size}.png"), full_page=True)
        context.close()
