"""Log-in hardening: the password rule, the lockout after failed log-ins, session expiry and the
two-factor requirement for administrators.

The lockout itself is django-axes (settings ``AXES_*``); this module gives it our client address,
our lockout page and a backend that leaves authentication outside a request alone. Two-factor
devices are django-otp's TOTP devices; the log-in and enrolment pages are in ``login_views``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.core.permissions import Role

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

# Roles whose holders may be required to use two-factor log-in (REQUIRE_2FA_FOR_ADMINS).
ADMIN_ROLES = (Role.BUREAU_ADMIN, Role.SYSTEM_ADMIN)
# Session keys: when the user logged in and when they were last seen (Unix seconds).
SESSION_STARTED = "zhaoshang.session_started"
SESSION_SEEN = "zhaoshang.session_seen"
# "Last seen" is written at most this often, so that browsing does not save the session each time.
SEEN_RESOLUTION_SECONDS = 60


class LettersAndDigitsValidator:
    """At least ``min_length`` characters other than white space, among them at least one letter and
    one digit: "          1a" is two characters of password, not twelve."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        long_enough = sum(not ch.isspace() for ch in password) >= self.min_length
        has_letter = any(ch.isalpha() for ch in password)
        has_digit = any(ch.isdigit() for ch in password)
        if not (long_enough and has_letter and has_digit):
            raise ValidationError(self.get_help_text(), code="password_letters_and_digits")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must contain at least %(min_length)d character other than spaces, with letters "
            "and digits.",
            "Your password must contain at least %(min_length)d characters other than spaces, with letters "
            "and digits.",
            self.min_length,
        ) % {"min_length": self.min_length}


class NameNotInPasswordValidator:
    """The user name (or the person's name) of at least ``min_length`` characters does not appear in
    the password, in any case: "admin12345" for the user admin is guessed at once, although Django's
    similarity measure lets it pass. The same for every role, the first administrator included."""

    def __init__(self, min_length: int = 3) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = password.casefold()
        for name in (getattr(user, "username", ""), getattr(user, "display_name", "")):
            if name and len(name) >= self.min_length and name.casefold() in folded:
                raise ValidationError(self.get_help_text(), code="password_contains_name")

    def get_help_text(self) -> str:
        return _("Your password must not contain your user name or your name.")


class LockoutBackend(AxesStandaloneBackend):
    """django-axes's lockout check in front of the password check.

    Authentication outside a request (the test client's ``login()``, a shell) has no client to
    lock out; django-axes would raise there, so it is passed on to the next backend unchecked.
    Every log-in over the web goes through the log-in form, which always passes the request.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kw)


def lockout_ends(request: HttpRequest, credentials: dict[str, Any] | None) -> dt.datetime | None:
    """When the lockout that refused this request ends: the latest end over the user name and the
    client address that have reached the failure limit, or None if neither has."""
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    if cool_off is None:
        return None
    ends = None
    for attempts in AxesDatabaseHandler().get_user_attempts(request, credentials):
        totals = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        if (totals["failures"] or 0) >= limit and totals["last"] is not None:
            end = totals["last"] + cool_off
            ends = end if ends is None else max(ends, end)
    return ends


def lockout_message(ends: dt.datetime | None) -> str:
    """The sentence the log-in page shows, with the time rounded up to the next whole minute."""
    if ends is None:
        return _("Too many failed log-ins; ask an administrator to unlock the account.")
    local = timezone.localtime(ends)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return _("Too many failed log-ins; try again after %(time)s.") % {"time": local.strftime("%H:%M")}


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """django-axes's AXES_LOCKOUT_CALLABLE: the log-in page again, saying until when it is locked."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "lockout_message": lockout_message(lockout_ends(request, credentials)),
    }
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def stamp_session(request: HttpRequest) -> None:
    """Record the start of a log-in in its session."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


def stamp_session_on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Receiver of ``user_logged_in`` (connected in apps.py): every way of logging in, the pages,
    the two-factor step and the test client's ``force_login``, starts the session clocks."""
    if request is not None and hasattr(request, "session"):
        stamp_session(request)


def _session_expired(request: HttpRequest, now: int) -> bool:
    started = request.session.get(SESSION_STARTED)
    seen = request.session.get(SESSION_SEEN)
    if started is None or seen is None:
        # A session from before these stamps existed: it starts counting now.
        stamp_session(request)
        return False
    if now - started > settings.SESSION_COOKIE_AGE:
        return True
    idle_minutes = settings.SESSION_IDLE_MINUTES
    return idle_minutes > 0 and now - seen > idle_minutes * 60


class SessionTimeoutMiddleware:
    """Ends a log-in SESSION_COOKIE_AGE seconds after it began, or after SESSION_IDLE_MINUTES without a
    request. The request then goes on as anonymous: pages send the user to the log-in page with a
    message, the API answers 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            if _session_expired(request, now):
                logout(request)
                messages.info(request, _("Your session has expired; please log in again."))
            elif now - request.session[SESSION_SEEN] >= SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they enrolled one."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_required(user: Any) -> bool:
    """True when REQUIRE_2FA_FOR_ADMINS is on and the user administers something."""
    if not settings.REQUIRE_2FA_FOR_ADMINS or not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role__in=ADMIN_ROLES).exists()


class AdminTwoFactorMiddleware:
    """With REQUIRE_2FA_FOR_ADMINS on, an administrator whose session was not confirmed with a code
    reaches nothing but the enrolment page (or logs in again with the code, if already enrolled)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.REQUIRE_2FA_FOR_ADMINS and not self._exempt(request.path):
            user = request.user
            # is_verified is put on the user by django_otp's OTPMiddleware, which runs before this one.
            if user.is_authenticated and not user.is_verified() and two_factor_required(user):  # type: ignore[attr-defined]
                if confirmed_device(user) is None:
                    return redirect("accounts:otp_setup")
                # Enrolled, but this session was opened without the code (before enrolment).
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (reverse("accounts:otp_setup"), reverse("accounts:logout"), reverse("set_language"))
        return path in allowed or path.startswith("/" + settings.STATIC_URL.lstrip("/"))
