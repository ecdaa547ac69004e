"""The dates a person may type: no earlier than 1949-10-01 and no later than ten years from today.

A date outside these bounds is a typing slip (0001-01-01 for a first contact, 9999-12-31 for a
deadline), never a fact of this work, and such dates broke things downstream: a far deadline made
every page showing its light walk millions of days. One rule for every entry point: forms and model
fields use ``plausible_date`` as a validator, the API's ``IsoDate`` and the services that take dates
without a form ask ``date_problem``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = dt.date(1949, 10, 1)
YEARS_AHEAD = 10


def latest(today: dt.date | None = None) -> dt.date:
    """The last date a person may enter: ten years from today (28 February for a 29th)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February, ten years on, is not a leap day
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_problem(value: dt.date, *, today: dt.date | None = None) -> str | None:
    """Why ``value`` cannot be entered, in the user's language; None when it can."""
    if value < EARLIEST:
        return _("Enter a date on or after %(date)s.") % {"date": EARLIEST.isoformat()}
    last = latest(today)
    if value > last:
        return _("Enter a date on or before %(date)s (at most %(years)d years ahead).") % {
            "date": last.isoformat(),
            "years": YEARS_AHEAD,
        }
    return None


def plausible_date(value: dt.date | None) -> None:
    """Validator for model and form date fields (empty values are the field's own business)."""
    if value is None:
        return
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="implausible_date")
