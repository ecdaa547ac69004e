"""Two-factor log-in with an authenticator app (TOTP): enrolment, the code step of the log-in, turning
it off, and the requirement for administrators (REQUIRE_2FA_FOR_ADMINS)."""

from __future__ import annotations

import time
from base64 import b32encode
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.accounts.login_views import PENDING
from zhaoshang.conftest import PASSWORD

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"
SETUP = "/accounts/two-factor/"
OFF = "/accounts/two-factor/off/"
HOME = "/"


@pytest.fixture(autouse=True)
def no_throttling(settings: Any) -> None:
    """django-otp makes a code wait 1, 2, 4... seconds after a wrong one; the tests do not wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def en() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows ``steps_ahead`` time steps (of 30 s) from now.

    A code is accepted once only, so a second log-in in the same half minute uses the next one
    (the device accepts one step of clock difference either way)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong(device: TOTPDevice) -> str:
    return code(device, steps_ahead=10)


def enrol(client: Client, user: Any) -> TOTPDevice:
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post(SETUP, {"code": code(device)}).status_code == 302
    client.post("/accounts/logout/")
    device.refresh_from_db()
    return device


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_setup_page_shows_the_secret_and_a_qr_code_without_confirming_it(en, cast):
    en.force_login(cast.admin)
    html = en.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=cast.admin)
    assert not device.confirmed
    secret = b32encode(device.bin_key).decode()
    assert secret[:4] + " " + secret[4:8] in html
    assert 'src="data:image/svg+xml' in html
    # Reloading the page keeps the same secret, so a slow user does not scan a stale one.
    en.get(SETUP)
    assert TOTPDevice.objects.filter(user=cast.admin).count() == 1


def test_a_wrong_code_does_not_turn_two_factor_on(en, cast):
    en.force_login(cast.admin)
    en.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.admin)
    response = en.post(SETUP, {"code": wrong(device)})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_the_right_code_turns_two_factor_on(en, cast):
    en.force_login(cast.admin)
    en.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.admin)
    assert en.post(SETUP, {"code": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "Two-factor log-in is on" in en.get(SETUP).content.decode()
    assert two_factor_entries(cast.admin) == [(False, True)]


def test_after_enrolment_the_password_alone_does_not_log_in(en, cast):
    enrol(en, cast.admin)
    response = en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == CODE
    assert not logged_in(en)
    assert en.get(HOME).status_code == 302


def test_a_valid_code_after_the_password_logs_in(en, cast):
    device = enrol(en, cast.admin)
    en.post(LOGIN, {"username": "admin", "password": PASSWORD, "next": "/projects/"})
    response = en.post(CODE, {"code": code(device, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    assert logged_in(en)
    assert en.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert en.get(HOME).status_code == 200


def test_a_wrong_code_is_refused(en, cast):
    device = enrol(en, cast.admin)
    en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    response = en.post(CODE, {"code": wrong(device)})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert not logged_in(en)


def test_a_code_cannot_be_used_twice(en, cast):
    device = enrol(en, cast.admin)
    used = code(device, steps_ahead=1)
    en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    en.post(CODE, {"code": used})
    en.post("/accounts/logout/")
    en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    assert en.post(CODE, {"code": used}).status_code == 200
    assert not logged_in(en)


def test_five_wrong_codes_send_the_user_back_to_the_password(en, cast):
    device = enrol(en, cast.admin)
    en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    for _ in range(4):
        assert en.post(CODE, {"code": wrong(device)}).status_code == 200
    response = en.post(CODE, {"code": wrong(device)})
    assert response["Location"] == LOGIN
    assert en.post(CODE, {"code": code(device, steps_ahead=1)})["Location"] == LOGIN
    assert not logged_in(en)


def test_the_code_step_expires_after_five_minutes(en, cast):
    device = enrol(en, cast.admin)
    en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    session = en.session
    session[PENDING] = {**session[PENDING], "since": int(time.time()) - 301}
    session.save()
    assert en.post(CODE, {"code": code(device, steps_ahead=1)})["Location"] == LOGIN
    assert not logged_in(en)


def test_the_code_step_needs_the_password_step_first(en, cast):
    assert en.get(CODE)["Location"] == LOGIN


def test_users_without_an_authenticator_log_in_with_the_password(en, cast):
    enrol(Client(), cast.admin)
    response = en.post(LOGIN, {"username": "leader", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == HOME
    assert logged_in(en)


def test_a_current_code_turns_two_factor_off(en, cast):
    device = enrol(en, cast.admin)
    en.force_login(cast.admin)
    en.post(OFF, {"code": wrong(device)})
    assert TOTPDevice.objects.filter(user=cast.admin).exists()
    en.post(OFF, {"code": code(device, steps_ahead=1)})
    assert not TOTPDevice.objects.filter(user=cast.admin).exists()
    assert two_factor_entries(cast.admin)[-1] == (True, False)


# --- required for administrators ---------------------------------------------------------------------


def test_administrators_may_use_the_site_without_two_factor_by_default(en, cast):
    en.force_login(cast.admin)
    assert en.get(HOME).status_code == 200


def test_when_required_an_administrator_must_enrol_first(en, cast, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True
    en.force_login(cast.admin)
    assert en.get(HOME)["Location"] == SETUP
    assert en.get("/projects/")["Location"] == SETUP
    html = en.get(SETUP).content.decode()
    assert "Your role requires two-factor log-in" in html
    device = TOTPDevice.objects.get(user=cast.admin)
    en.post(SETUP, {"code": code(device)})
    assert en.get(HOME).status_code == 200


def test_when_required_other_roles_are_not_asked(en, cast, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True
    for user in (cast.leader, cast.operator_a):
        en.force_login(user)
        assert en.get(HOME).status_code == 200


def test_when_required_a_session_opened_without_the_code_must_log_in_again(en, cast, settings):
    settings.REQUIRE_2FA_FOR_ADMINS = True
    device = enrol(Client(), cast.admin)
    en.force_login(cast.admin)
    response = en.get("/projects/")
    assert response["Location"] == f"{LOGIN}?next=/projects/"
    assert not logged_in(en)
    en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    en.post(CODE, {"code": code(device, steps_ahead=1)})
    assert en.get("/projects/").status_code == 200


def test_when_required_an_administrator_cannot_turn_it_off(en, cast, settings):
    device = enrol(en, cast.admin)
    settings.REQUIRE_2FA_FOR_ADMINS = True
    en.post(LOGIN, {"username": "admin", "password": PASSWORD})
    en.post(CODE, {"code": code(device, steps_ahead=1)})
    en.post(OFF, {"code": code(device, steps_ahead=2)})
    assert TOTPDevice.objects.filter(user=cast.admin, confirmed=True).exists()


def test_the_reset_command_removes_the_authenticator_of_a_user(cast):
    enrol(Client(), cast.admin)
    out = StringIO()
    call_command("reset_two_factor", "admin", stdout=out)
    assert not TOTPDevice.objects.filter(user=cast.admin).exists()
    assert two_factor_entries(cast.admin)[-1] == (True, False)
    assert "admin" in out.getvalue()


def two_factor_entries(user) -> list[tuple[bool, bool]]:
    """The audit trail's record of two-factor being turned on and off for the user, oldest first."""
    from zhaoshang.audit.models import Entry

    entries = Entry.objects.filter(object_type="accounts.user", object_id=str(user.pk), action="permission")
    return [
        (e.before["two_factor"], e.after["two_factor"])
        for e in entries.order_by("seq")
        if "two_factor" in e.after
    ]
