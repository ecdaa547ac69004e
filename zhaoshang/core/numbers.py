"""The rule for an exact amount typed by a person, shared by spreadsheet cells and forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


class NumberError(ValueError):
    """The value is not an acceptable amount; the message is for the user."""


def exact_decimal(value: Any, places: int, max_digits: int) -> Decimal:
    """A finite, non-negative Decimal with at most ``places`` decimals that fits ``max_digits``.
    Integers written with an exponent (1E+3) come back as plain integers."""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise NumberError(_("Enter a number.")) from exc
    if not number.is_finite():
        raise NumberError(_("Enter a number."))
    if number < 0:
        raise NumberError(_("The number cannot be negative."))
    number = number.normalize()
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers have an integer exponent
    if -exponent > places:
        if places == 0:
            raise NumberError(_("Enter a whole number."))
        raise NumberError(_("Use at most %(places)s decimal places.") % {"places": places})
    if number and number.adjusted() >= max_digits - places:
        raise NumberError(_("The number is too large."))
    return number.quantize(Decimal(1)) if exponent > 0 else number
