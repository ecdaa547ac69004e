"""Helpers of the browser tests: Playwright driving Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium, which
scripts/install_chromium.sh installs. The pytest fixtures built on these helpers live in
zhaoshang/browser_fixtures.py; a test module loads them with
``pytest_plugins = ["zhaoshang.browser_fixtures"]``.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Screenshots and downloads of the browser tests; git-ignored.
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
TIMEOUT_MS = 15_000


def launch(playwright: Playwright) -> Browser:
    """A headless Chromium from the system, never one downloaded by Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def artifact_folder(test_name: str) -> Path:
    """test-artifacts/<test name>/, created on demand."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(tab: Page, username: str, password: str) -> None:
    """Log in through the login page and wait until the start page has loaded."""
    tab.goto("/accounts/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    with tab.expect_navigation():
        # "main": the navbar's language buttons are submit buttons too.
        tab.click("main form button[type=submit]")
    if "/accounts/login/" in tab.url:
        raise AssertionError(f"logging in as {username} failed: still on {tab.url}")
