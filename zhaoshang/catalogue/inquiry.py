"""The public inquiry form: validated field by field with messages a visitor understands, a
honeypot field that people never fill, and a limit of inquiries per address and hour (no outside
captcha service). Nothing is stored unless every check passes (services.receive_inquiry is one
transaction)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from django import forms
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

RATE_LIMIT = 5  # inquiries per address
RATE_WINDOW = 3600  # seconds
MESSAGE_MAX = 2000

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]|javascript:", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{5,24}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _control(text: str) -> bool:
    """NUL and other control characters (line breaks and tabs allowed)."""
    return any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in text)


def _symbols(text: str) -> bool:
    """Emoji and other pictographs: no part of a name or an address."""
    return any(unicodedata.category(c) == "So" or ord(c) > 0xFFFF for c in text)


class InquiryForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail"), max_length=100, help_text=_("How we can answer you.")
    )
    message = forms.CharField(
        label=_("Message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    # The honeypot: hidden from people by the page's style sheet, filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Django's own check for NUL answers in English words; ours below says more.
            field.validators = [
                v for v in field.validators if type(v).__name__ != "ProhibitNullCharactersValidator"
            ]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def _text(self, name: str, *, symbols_allowed: bool = False) -> str:
        value = self.cleaned_data.get(name) or ""
        if _control(value):
            raise forms.ValidationError(
                _("Remove the invisible control characters (such as NUL) from this field.")
            )
        if _MARKUP.search(value):
            raise forms.ValidationError(_("Please write plain text, without HTML tags or scripts."))
        if not symbols_allowed and _symbols(value):
            raise forms.ValidationError(
                _("Please use letters and digits only here, without emoji or symbols.")
            )
        return value.strip()

    def clean_name(self) -> str:
        return self._text("name")

    def clean_organisation(self) -> str:
        return self._text("organisation")

    def clean_contact(self) -> str:
        value = self._text("contact")
        if not (_PHONE.match(value) or _EMAIL.match(value)):
            raise forms.ValidationError(_("Give a phone number or an e-mail address."))
        return value

    def clean_message(self) -> str:
        value = self._text("message", symbols_allowed=True)
        if len(value) < 5:
            raise forms.ValidationError(_("Please tell us a little more (at least 5 characters)."))
        return value

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This inquiry could not be accepted."))
        return ""


def _key(address: str | None) -> str:
    digest = hashlib.sha256((address or "unknown").encode()).hexdigest()[:32]
    return f"catalogue:inquiries:{digest}"


def over_limit(address: str | None) -> bool:
    return int(cache.get(_key(address)) or 0) >= RATE_LIMIT


def count(address: str | None) -> None:
    key = _key(address)
    if cache.add(key, 1, RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, RATE_WINDOW)
