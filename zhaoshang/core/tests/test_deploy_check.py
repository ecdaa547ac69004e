"""The production settings pass Django's deployment checklist, and development keeps plain http.

Settings are read from the environment once, at start-up, so each case starts a fresh Python
process with its own environment.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "zhaoshang.example.gov.cn",
}
# Only the variables a case sets count: the rest of this process's environment is left out, so
# a developer's or CI's own settings cannot change the outcome.
KEPT = ("PATH", "HOME", "LANG", "DATABASE_URL", "ZHAOSHANG_VAR_DIR")

SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE", "SESSION_IDLE_MINUTES", "AXES_FAILURE_LIMIT",
    "REQUIRE_2FA_FOR_ADMINS", "TRUSTED_PROXY_COUNT",
]
values = {name: getattr(settings, name, None) for name in names}
values["AXES_COOLOFF_MINUTES"] = settings.AXES_COOLOFF_TIME.total_seconds() / 60
print(json.dumps(values))
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {name: os.environ[name] for name in KEPT if name in os.environ}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=PROJECT_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def show_settings(env: dict[str, str]) -> dict[str, object]:
    result = run(["-c", SHOW_SETTINGS], {"DJANGO_SETTINGS_MODULE": "zhaoshang.settings", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_production_settings_pass_the_deployment_checklist():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_checklist_would_notice_a_missing_https_setting():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        {**PRODUCTION, "SECURE_HSTS_SECONDS": "0"},
    )
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


def test_production_uses_https_only_settings():
    values = show_settings(PRODUCTION)
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"


def test_development_keeps_plain_http():
    values = show_settings({"DEBUG": "1", "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "600"})
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert values["SECURE_HSTS_PRELOAD"] is False


def test_the_log_in_settings_come_from_the_environment():
    defaults = show_settings({"DEBUG": "1"})
    assert defaults["AXES_FAILURE_LIMIT"] == 5
    assert defaults["AXES_COOLOFF_MINUTES"] == 15
    assert defaults["REQUIRE_2FA_FOR_ADMINS"] is False
    assert defaults["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert defaults["SESSION_IDLE_MINUTES"] == 60
    assert defaults["TRUSTED_PROXY_COUNT"] == 0
    values = show_settings(
        {
            **PRODUCTION,
            "LOGIN_FAILURE_LIMIT": "3",
            "LOGIN_LOCKOUT_MINUTES": "30",
            "REQUIRE_2FA_FOR_ADMINS": "1",
            "SESSION_EXPIRE_AT_BROWSER_CLOSE": "0",
            "SESSION_IDLE_MINUTES": "20",
            "TRUSTED_PROXY_SSL_HEADER": "1",
            "TRUSTED_PROXY_COUNT": "1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "3600",
        }
    )
    assert values["AXES_FAILURE_LIMIT"] == 3
    assert values["AXES_COOLOFF_MINUTES"] == 30
    assert values["REQUIRE_2FA_FOR_ADMINS"] is True
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is False
    assert values["SESSION_IDLE_MINUTES"] == 20
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["TRUSTED_PROXY_COUNT"] == 1
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 3600
