"""In a real Chromium: an anonymous visitor on a phone finds an offer by search and sends an inquiry,
and the township's operator finds it on the inquiry clock with a notice; the bureau publishes and
withdraws an offer and the public page follows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from zhaoshang.browser import TIMEOUT_MS, log_in
from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.models import Inquiry
from zhaoshang.catalogue.tests.factories import make_offer
from zhaoshang.conftest import PASSWORD, Cast

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A visitor's phone: 390 px wide, touch, no cookies."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_visitor_on_a_phone_finds_an_offer_and_the_operator_gets_the_inquiry(
    transactional_db: Any, cast: Cast, phone: Page, page: Page, snap: Snap
) -> None:
    offer = make_offer(cast, status=OfferStatus.PUBLISHED, name="富硒茶叶精深加工项目")
    make_offer(
        cast,
        status=OfferStatus.PUBLISHED,
        name="冷链物流园项目",
        industry="G",
        chain="物流",
        content="冷库5万吨。",
    )

    phone.goto("/open/")
    assert fits(phone)
    phone.locator("#q").fill("茶叶")
    with phone.expect_navigation():
        phone.get_by_test_id("search-form").locator("button[type=submit]").click()
    offers = phone.get_by_test_id("offers")
    expect(offers).to_contain_text(offer.name)
    expect(offers).not_to_contain_text("冷链物流园项目")
    snap(phone, "01-search")
    with phone.expect_navigation():
        offers.get_by_role("link", name=offer.name).click()
    expect(phone.get_by_test_id("offer-name")).to_contain_text(offer.name)
    assert fits(phone)
    snap(phone, "02-offer")
    with phone.expect_navigation():
        phone.get_by_test_id("inquire").click()
    form = phone.get_by_test_id("inquiry-form")
    form.locator("#id_name").fill("李经理")
    form.locator("#id_organisation").fill("浙江某食品有限公司")
    form.locator("#id_contact").fill("13812345678")
    form.locator("#id_message").fill("想了解用地价格和配套政策。")
    with phone.expect_navigation():
        form.locator("button[type=submit]").click()
    inquiry = Inquiry.objects.get()
    expect(phone.get_by_test_id("reference")).to_have_text(inquiry.reference)
    snap(phone, "03-reference")

    log_in(page, "town_a", PASSWORD)
    expect(page.get_by_test_id("unread-badge")).to_have_text("1")
    page.goto("/notifications/")
    expect(page.locator("main")).to_contain_text(inquiry.reference)
    page.goto(inquiry.activity.get_absolute_url())
    expect(page.get_by_test_id("clock")).to_be_visible()
    expect(page.locator("main")).to_contain_text("想了解用地价格和配套政策。")
    page.goto(offer.get_absolute_url())
    expect(page.get_by_test_id("inquiries")).to_contain_text(inquiry.reference)
    snap(page, "04-operator")


def test_the_bureau_publishes_and_withdraws_and_the_public_page_follows(
    transactional_db: Any, cast: Cast, phone: Page, page: Page, snap: Snap
) -> None:
    offer = make_offer(cast, status=OfferStatus.REVIEW, name="标准厂房招商项目")
    public = f"/open/zh-hans/offers/{offer.pk}/"
    assert phone.goto(public).status == 404
    phone.goto("/open/zh-hans/")  # the list is cached now, without the offer
    expect(phone.get_by_test_id("offers")).not_to_contain_text(offer.name)

    log_in(page, "admin", PASSWORD)
    page.goto(offer.get_absolute_url())
    with page.expect_navigation():
        page.get_by_test_id("move-published").locator("button").click()
    expect(page.get_by_test_id("offer-status")).to_have_text(re.compile(r"\S"))
    snap(page, "01-published")

    phone.goto("/open/zh-hans/")
    expect(phone.get_by_test_id("offers")).to_contain_text(offer.name)
    assert phone.goto(public).status == 200

    withdraw = page.get_by_test_id("move-withdrawn")
    withdraw.locator("input[name=note]").fill("用地规划调整")
    with page.expect_navigation():
        withdraw.locator("button").click()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert phone.goto(public).status == 404
    phone.goto("/open/zh-hans/")
    expect(phone.get_by_test_id("offers")).not_to_contain_text(offer.name)
    snap(phone, "02-withdrawn")
