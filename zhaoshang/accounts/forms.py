"""Forms of the user pages. Unit and role choices are limited to what the manager may grant; the
services check again, so a forged POST is refused either way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts import services
from zhaoshang.accounts.models import User
from zhaoshang.core.forms import field_of
from zhaoshang.units.models import Unit


class GrantFields(forms.Form):
    """A unit and a role, each limited to the manager's own reach."""

    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "unit", forms.ModelChoiceField).queryset = services.grantable_units(user)
        field_of(self, "role", forms.ChoiceField).choices = [
            ("", "---------"),
            *services.grantable_roles(user),
        ]


class PasswordFields(forms.Form):
    """A new password typed twice. The validators run in the service, against the user."""

    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return data


class MembershipForm(GrantFields):
    pass


class PasswordForm(PasswordFields):
    pass


class UserCreateForm(GrantFields, PasswordFields):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Name"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Notifications are also sent here.")
    )

    field_order = ["username", "display_name", "phone", "email", "password", "password_again", "unit", "role"]


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = list(services.PROFILE_FIELDS)
        labels = {"email": _("E-mail")}
        help_texts = {"email": _("Notifications are also sent here.")}
