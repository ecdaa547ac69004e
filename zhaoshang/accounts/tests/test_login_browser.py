"""Log-in hardening in a real Chromium: the lockout as a person meets it, two-factor enrolment and
log-in, and pages that run under the Content-Security-Policy without a single violation."""

from __future__ import annotations

import datetime as dt
import time
from base64 import b32decode
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import TOTP
from playwright.sync_api import ConsoleMessage, Page, expect

from zhaoshang.browser import log_in
from zhaoshang.conftest import PASSWORD, Cast

pytest_plugins = ["zhaoshang.browser_fixtures"]
pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], Path]


def zh(text: str) -> str:
    """What the Chinese interface shows for an English msgid (the msgid itself until translated)."""
    with translation.override("zh-hans"):
        return gettext(text)


def submit_login(page: Page, username: str, password: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_wrong_passwords_lock_the_account_until_the_lock_ends(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    page.goto("/accounts/login/")
    for _ in range(4):
        submit_login(page, "admin", "wrong-password-1")
        expect(page.get_by_test_id("lockout")).to_have_count(0)
    submit_login(page, "admin", "wrong-password-1")
    lockout = page.get_by_test_id("lockout")
    expect(lockout).to_be_visible()
    expected = zh("Too many failed log-ins; try again after %(time)s.").split("%(time)s")[0]
    expect(lockout).to_contain_text(expected)
    snap(page, "01-locked")

    submit_login(page, "admin", PASSWORD)
    expect(page.get_by_test_id("lockout")).to_be_visible()
    assert "/accounts/login/" in page.url
    snap(page, "02-right-password-refused")

    # Fifteen minutes pass.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=16))
    log_in(page, "admin", PASSWORD)
    expect(page.get_by_test_id("current-user")).to_contain_text("局管理员")
    snap(page, "03-logged-in-after-the-lock")


def current_code(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")), step=30, digits=6)
    totp.time = time.time() + steps_ahead * 30
    return f"{totp.token():06d}"


def test_an_administrator_turns_on_two_factor_and_logs_in_with_a_code(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap, settings: Any
) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    log_in(page, "admin", PASSWORD)
    page.goto("/accounts/two-factor/")
    qr = page.locator("img.otp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not load"
    secret = page.get_by_test_id("otp-secret").inner_text()
    snap(page, "01-enrol")
    page.fill("#id_code", current_code(secret))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text(
        zh("Two-factor log-in is on: from now on you will be asked for a code.")
    )

    with page.expect_navigation():
        page.click("nav form[action='/accounts/logout/'] button")
    submit_login(page, "admin", PASSWORD)
    assert page.url.endswith("/accounts/login/code/")
    snap(page, "02-code-step")
    page.fill("#id_code", "000000" if current_code(secret, 1) != "000000" else "111111")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.get_by_test_id("code-error")).to_be_visible()
    page.fill("#id_code", current_code(secret, steps_ahead=1))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_contain_text("局管理员")
    snap(page, "03-logged-in")


def test_the_pages_run_under_the_content_security_policy_without_violations(
    transactional_db: Any, cast: Cast, page: Page, snap: Snap
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    project = cast.project(name="策略检查项目")
    page.goto("/accounts/login/")
    log_in(page, "admin", PASSWORD)
    for url in (
        "/",
        "/projects/",
        f"/projects/{project.pk}/",
        "/projects/new/",
        "/units/",
        f"/units/{cast.town_a.pk}/",
        "/accounts/two-factor/",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        page.wait_for_load_state("networkidle")
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Zhaoshang API")
    # Opening an operation and trying it out runs most of Swagger UI's code.
    page.locator(".opblock-summary", has_text="/api/units").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".responses-wrapper .live-responses-table")).to_be_visible()
    snap(page, "api-docs")
    assert violations == [], "\n".join(violations)
