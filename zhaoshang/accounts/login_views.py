"""Log-in pages: password, then (for users who enrolled an authenticator) a six-digit code; and the
page where a user enrols or removes their authenticator (TOTP, django-otp).

After the right password a user with an authenticator is not logged in yet: the session only
remembers, for a few minutes, who passed the password step. The code step then logs them in.
"""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from zhaoshang.accounts import services
from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.accounts.models import User
from zhaoshang.accounts.security import confirmed_device, two_factor_required

PENDING = "zhaoshang.otp_pending"
# How long the code step waits after the password, and how many wrong codes it takes.
PENDING_SECONDS = 300
PENDING_MAX_TRIES = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) not in (6, 8):
            raise forms.ValidationError(_("Enter the six digits your authenticator app shows."))
        return code


class LoginView(auth_views.LoginView):
    """The password step; hands over to the code step when the user has an authenticator."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        device = confirmed_device(user)
        if device is None:
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "device": device.persistent_id,
            "next": self.get_success_url(),
            "since": int(time.time()),
            "tries": 0,
        }
        return redirect("accounts:login_otp")


class LoginCodeView(FormView):
    """The code step of a log-in: the right code logs the user in; five wrong ones, or five minutes,
    and they start again from the password."""

    template_name = "accounts/login_otp.html"
    form_class = CodeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        pending = request.session.get(PENDING)
        if not pending or time.time() - pending["since"] > PENDING_SECONDS:
            request.session.pop(PENDING, None)
            messages.info(request, _("Please log in with your password first."))
            return redirect("accounts:login")
        self.pending = pending
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: CodeForm) -> HttpResponse:
        pending = self.pending
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
        device = user and verify_token(user, pending["device"], form.cleaned_data["code"])
        if not device:
            pending["tries"] += 1
            if pending["tries"] >= PENDING_MAX_TRIES:
                del self.request.session[PENDING]
                messages.error(self.request, _("Too many wrong codes; please log in again."))
                return redirect("accounts:login")
            self.request.session[PENDING] = pending
            form.add_error("code", _("This code is not right, or it has expired."))
            return self.form_invalid(form)
        del self.request.session[PENDING]
        # django-otp marks the session as verified by this device when the user logs in.
        user.otp_device = device
        auth_login(self.request, user, backend=pending["backend"])
        return redirect(pending["next"])


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """Shows whether two-factor log-in is on; if not, a new secret (text and QR code) to add to an
    authenticator app, and confirms it with the first code the app shows."""

    template_name = "accounts/otp_setup.html"
    form_class = CodeForm
    request: AuthedRequest

    def _new_device(self) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=self.request.user, confirmed=False).order_by("-pk").first()
        return device or TOTPDevice.objects.create(user=self.request.user, name="TOTP", confirmed=False)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["enrolled"] = confirmed_device(user) is not None
        context["required"] = two_factor_required(user)
        if not context["enrolled"]:
            device = self._new_device()
            context["secret"] = _grouped(b32encode(device.bin_key).decode())
            context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(scale=4, border=2)
        return context

    def form_valid(self, form: CodeForm) -> HttpResponse:
        if confirmed_device(self.request.user) is not None:
            return redirect("accounts:otp_setup")
        device = self._new_device()
        if not device.verify_token(form.cleaned_data["code"]):
            form.add_error("code", _("This code is not right, or it has expired."))
            return self.form_invalid(form)
        services.confirm_two_factor(self.request.user, device)
        otp_login(self.request, device)
        messages.success(
            self.request, _("Two-factor log-in is on: from now on you will be asked for a code.")
        )
        return redirect("core:home")


class TwoFactorDisableView(LoginRequiredMixin, FormView):
    """Turns two-factor log-in off with a current code; refused where the role requires it."""

    form_class = CodeForm
    http_method_names = ["post"]
    request: AuthedRequest

    def form_valid(self, form: CodeForm) -> HttpResponse:
        user = self.request.user
        device = confirmed_device(user)
        if two_factor_required(user):
            messages.error(self.request, _("Your role requires two-factor log-in; it cannot be turned off."))
        elif device is not None and device.verify_token(form.cleaned_data["code"]):
            services.remove_two_factor(user, by=user, note=_("turned off by the user"))
            messages.success(self.request, _("Two-factor log-in is off."))
        else:
            messages.error(self.request, _("This code is not right, or it has expired."))
        return redirect("accounts:otp_setup")

    def form_invalid(self, form: CodeForm) -> HttpResponse:
        messages.error(self.request, " ".join(str(error) for error in form.errors.get("code", [])))
        return redirect("accounts:otp_setup")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Any logged-in user changes their own password: the old one, then the new one twice, checked
    by the same validators as every password (AUTH_PASSWORD_VALIDATORS). The session stays open."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form: Any) -> HttpResponse:
        user = services.change_own_password(form.user, password=form.cleaned_data["new_password2"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect("core:home")
