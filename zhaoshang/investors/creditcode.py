"""The unified social credit code (统一社会信用代码), GB 32100-2015.

Eighteen characters from a 31-character alphabet (digits and capital letters without I, O, Z, S,
V): the registering authority (1), the kind of entity (1), the administrative division (6 digits),
the organisation code (9) and a check character computed from the first seventeen.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(rf"[{ALPHABET}]{{2}}\d{{6}}[{ALPHABET}]{{10}}")


def normalise(value: str) -> str:
    """What people type: full-width characters, lower case, spaces and hyphens are forgiven."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    return re.sub(r"[\s\-]", "", text)


def check_character(first17: str) -> str:
    """The 18th character for the first seventeen."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    return bool(_SHAPE.fullmatch(code)) and check_character(code[:17]) == code[17]


def validate_credit_code(value: str) -> None:
    """A model-field validator: shape first, then the check character."""
    if len(value) != 18:
        raise ValidationError(_("A unified social credit code has 18 characters."), code="length")
    if not _SHAPE.fullmatch(value):
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters other than I, O, Z, S and V."),
            code="alphabet",
        )
    if check_character(value[:17]) != value[17]:
        raise ValidationError(
            _("The check character of this credit code is wrong; please check the code."), code="check"
        )
