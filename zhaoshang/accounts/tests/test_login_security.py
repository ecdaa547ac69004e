"""Log-in hardening: lockout per account and per address, the password rule, Argon2, session expiry,
the Content-Security-Policy on every page and CSRF on every form."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from zhaoshang import settings as project_settings
from zhaoshang.accounts.security import (
    SESSION_SEEN,
    SESSION_STARTED,
    LettersAndDigitsValidator,
    lockout_message,
)
from zhaoshang.conftest import PASSWORD
from zhaoshang.core.http import client_address

LOGIN = "/accounts/login/"
HOME = "/"
ADDRESS = "192.0.2.1"
OTHER_ADDRESS = "192.0.2.2"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


@pytest.fixture
def en() -> Client:
    """A browser that asks for English, so that the messages checked here read as written."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def attempt(client: Client, username: str, password: str, address: str = ADDRESS) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, address: str = ADDRESS) -> Any:
    response = None
    for _ in range(times):
        response = attempt(client, username, "wrong-password-1", address)
    return response


# --- lockout ---------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_and_the_page_says_until_when(en, cast):
    assert fail(en, "admin", 4).status_code == 200
    before = timezone.now()
    response = fail(en, "admin", 1)
    assert response.status_code == 429
    html = response.content.decode()
    times = {lockout_message(before + dt.timedelta(minutes=m)) for m in (15, 16)}
    assert any(message in html for message in times), html
    assert "Too many failed log-ins; try again after" in html
    assert 'name="username" value="admin"' in html


def test_the_right_password_is_refused_while_the_account_is_locked(en, cast):
    fail(en, "admin", 5)
    response = attempt(en, "admin", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert not logged_in(en)


def test_the_account_stays_locked_from_another_address(en, cast):
    fail(en, "admin", 5, ADDRESS)
    assert attempt(en, "admin", PASSWORD, OTHER_ADDRESS).status_code == 429
    assert not logged_in(en)


def test_failures_under_many_names_lock_the_address_they_came_from(en, cast):
    for n in range(5):
        attempt(en, f"guess{n}", "wrong-password-1", ADDRESS)
    assert attempt(en, "admin", PASSWORD, ADDRESS).status_code == 429
    assert not logged_in(en)
    assert attempt(en, "admin", PASSWORD, OTHER_ADDRESS).status_code == 302
    assert logged_in(en)


def test_an_unknown_name_is_locked_like_a_real_one(en, cast):
    # The page must not tell which user names exist.
    assert fail(en, "nobody", 5).status_code == 429


def test_the_lock_ends_after_the_lockout_minutes(en, cast):
    fail(en, "admin", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
    assert attempt(en, "admin", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert attempt(en, "admin", PASSWORD).status_code == 302
    assert logged_in(en)


def test_attempts_during_the_lock_do_not_push_its_end_further(en, cast):
    fail(en, "admin", 5)
    locked_at = timezone.now() - dt.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=locked_at)
    response = fail(en, "admin", 3)
    assert str(lockout_message(locked_at + dt.timedelta(minutes=15))) in response.content.decode()
    assert set(AccessAttempt.objects.values_list("attempt_time", flat=True)) == {locked_at}


def test_a_successful_log_in_resets_the_counter(en, cast):
    fail(en, "admin", 4)
    assert attempt(en, "admin", PASSWORD).status_code == 302
    en.post("/accounts/logout/")
    fail(en, "admin", 4)
    assert attempt(en, "admin", PASSWORD).status_code == 302
    assert logged_in(en)


def test_the_limit_and_the_duration_come_from_the_settings(en, cast, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=1)
    assert fail(en, "admin", 1).status_code == 200
    assert fail(en, "admin", 1).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(seconds=61))
    assert attempt(en, "admin", PASSWORD).status_code == 302


def test_the_lockout_time_is_rounded_up_to_the_minute(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    ends = dt.datetime(2026, 3, 1, 2, 14, 30, tzinfo=dt.UTC)  # 10:14:30 in Shanghai
    assert "10:15" in str(lockout_message(ends))
    assert "10:14" in str(lockout_message(ends.replace(second=0)))


def test_the_client_address_is_taken_from_the_trusted_proxy_only(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    # The left entry was written by the client itself and could be anything.
    assert client_address(request) == "198.51.100.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.66"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_address(request) == "127.0.0.1"


def test_behind_a_proxy_clients_are_locked_out_one_by_one(en, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        en.post(
            LOGIN,
            {"username": "admin", "password": "wrong-password-1"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    response = en.post(
        LOGIN,
        {"username": "leader", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert response.status_code == 302


# --- passwords -------------------------------------------------------------------------------------


def test_new_passwords_are_hashed_with_argon2(cast, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    cast.admin.set_password("ridge7plum4x")
    cast.admin.save()
    cast.admin.refresh_from_db()
    assert cast.admin.password.startswith("argon2")
    assert cast.admin.check_password("ridge7plum4x")


@pytest.mark.parametrize("password", ["short7x", "onlylettershere", "1234567890123", "abc 123"])
def test_the_rule_refuses_short_or_all_letter_or_all_digit_passwords(password):
    with pytest.raises(ValidationError) as refused:
        LettersAndDigitsValidator().validate(password)
    assert refused.value.error_list[0].code == "password_letters_and_digits"


@pytest.mark.parametrize("password", ["          1a", "1a\t\t\t\t\t\t\t\t\t\t", "ab 12 cd 3 "])
def test_spaces_do_not_count_toward_the_length(password):
    # The probe set "          1a" (ten spaces) as a password of twelve characters.
    with pytest.raises(ValidationError):
        LettersAndDigitsValidator().validate(password)


def test_spaces_inside_a_long_enough_passphrase_are_allowed():
    LettersAndDigitsValidator().validate("ridge 7 plum 4 x")


def test_the_rule_accepts_ten_characters_with_letters_and_digits():
    LettersAndDigitsValidator().validate("ridge7plum4")


def test_the_configured_validators_apply_the_rule(cast):
    with pytest.raises(ValidationError):
        validate_password("qwertzuiopasdf", user=cast.admin)
    with pytest.raises(ValidationError):
        validate_password("zx81ab9", user=cast.admin)
    validate_password("ridge7plum4x", user=cast.admin)


# --- sessions --------------------------------------------------------------------------------------


def test_the_session_cookie_ends_with_the_browser(en, cast):
    response = attempt(en, "admin", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert project_settings.SESSION_COOKIE_AGE == 8 * 3600


def test_an_idle_session_is_logged_out(en, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    attempt(en, "admin", PASSWORD)
    assert en.get(HOME).status_code == 200
    session = en.session
    session[SESSION_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = en.get(HOME, follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert not logged_in(en)
    assert "Your session has expired" in response.content.decode()


def test_a_session_ends_eight_hours_after_the_log_in_even_when_busy(en, cast):
    attempt(en, "admin", PASSWORD)
    session = en.session
    session[SESSION_STARTED] = int(time.time()) - 8 * 3600 - 1
    session.save()
    assert en.get(HOME).status_code == 302
    assert not logged_in(en)


def test_activity_keeps_a_session_alive(en, cast, settings):
    settings.SESSION_IDLE_MINUTES = 30
    attempt(en, "admin", PASSWORD)
    session = en.session
    session[SESSION_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert en.get(HOME).status_code == 200
    assert en.session[SESSION_SEEN] >= int(time.time()) - 5
    assert en.get(HOME).status_code == 200


# --- Content-Security-Policy and inline code ---------------------------------------------------------


def policy(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return {name: value for name, value in parts}


def test_every_page_carries_the_strict_policy(client, cast):
    assert policy(client.get(LOGIN)) == POLICY
    client.force_login(cast.admin)
    for url in (HOME, reverse("projects:list"), reverse("units:list"), "/api/docs"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == POLICY, url
        assert "unsafe" not in response["Content-Security-Policy"]
    assert client.get(HOME)["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def main_pages(cast: Any) -> list[str]:
    project = cast.project(name="页面检查项目")
    return [
        HOME,
        reverse("projects:list"),
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:create"),
        reverse("projects:edit", args=[project.pk]),
        reverse("units:list"),
        reverse("units:detail", args=[cast.town_a.pk]),
        reverse("units:create"),
        reverse("units:edit", args=[cast.town_a.pk]),
        reverse("accounts:otp_setup"),
    ]


def assert_no_inline_code(html: str, url: str) -> None:
    for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, EVENT_HANDLER, STYLE_ELEMENT):
        found = pattern.search(html)
        assert found is None, f"{url}: {found.group(0) if found else ''}"


def test_the_main_pages_have_no_inline_script_or_style(client, cast):
    assert_no_inline_code(client.get(LOGIN).content.decode(), LOGIN)
    client.force_login(cast.admin)
    for url in main_pages(cast):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_inline_code(response.content.decode(), url)


def test_the_inline_code_check_would_catch_inline_code():
    for html in (
        "<script>alert(1)</script>",
        '<div style="color:red">',
        '<a href="#" onclick="x()">',
        "<style>p{}</style>",
    ):
        with pytest.raises(AssertionError):
            assert_no_inline_code(html, "example")
    assert_no_inline_code('<script src="/static/x.js" defer></script><p>one=two</p>', "example")


def test_the_api_docs_use_the_local_swagger_files_without_inline_script(client, cast):
    client.force_login(cast.admin)
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert_no_inline_code(html, "/api/docs")


# --- CSRF ------------------------------------------------------------------------------------------


def _views(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_no_page_is_exempt_from_csrf():
    views = _views(get_resolver().url_patterns)
    assert len(views) > 20
    # The API checks the token itself for session callers (next test); its views carry the flag.
    exempt = [route for route, view in views if getattr(view, "csrf_exempt", False)]
    assert all(route.startswith("api/") for route in exempt), exempt


def test_forms_and_the_api_refuse_a_post_without_the_csrf_token(cast):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(LOGIN, {"username": "admin", "password": PASSWORD}).status_code == 403
    strict.force_login(cast.admin)
    assert strict.post(reverse("units:create"), {"name": "x"}).status_code == 403
    response = strict.post("/api/projects", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
