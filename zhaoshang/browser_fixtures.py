"""Pytest fixtures of the browser tests (helpers in zhaoshang/browser.py).

``page`` is a fresh browser context per test, pointed at pytest-django's live server; ``artifacts``
is the test's folder under test-artifacts/ and ``snap(page, step)`` saves a screenshot there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from zhaoshang.browser import TIMEOUT_MS, artifact_folder, launch


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test gets its own context."""
    # The sync API keeps an asyncio loop in the main thread, and Django refuses ORM calls while a
    # loop runs there. The tests' ORM calls are plain synchronous ones, so the check is lifted.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = launch(playwright)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A page in a fresh context (no cookies) whose relative URLs go to the live server.

    The context asks for Chinese (zh-CN), as the browsers of county staff do.
    """
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        accept_downloads=True,
        viewport={"width": 1400, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """This test's folder under test-artifacts/."""
    return artifact_folder(request.node.name)


@pytest.fixture
def snap(artifacts: Path) -> Callable[[Page, str], Path]:
    """``snap(page, "03-signed")`` saves a full-page screenshot as <artifacts>/03-signed.png."""

    def shoot(tab: Page, step: str) -> Path:
        path = artifacts / f"{step}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return shoot
