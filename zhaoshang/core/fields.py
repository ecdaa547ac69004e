"""The field declarations many models share, each rule in one place (as ``geo`` keeps coordinates):

- amounts (``AMOUNT``): 萬 (10,000) of a currency, four places, never negative;
- measured quantities (``quantity_field``): an area in mu or m², energy in tce, two places, never
  negative; ``land_mu_field`` is the land a project, an offer or an enterprise takes;
- ``user_link``: the user who did something (created, recorded, submitted a record), cleared when
  the user is deleted and without a reverse accessor on the user;
- ``optional_link``: a link a record may lack (the park of a project, the project an inspection
  looked at): empty in the database and in forms, and protecting what it names unless told.

Each factory returns a new field that deconstructs exactly as the declarations it replaced, so
using one changes no migration."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

NON_NEGATIVE = [MinValueValidator(Decimal(0))]


# Amounts are in 萬 (10,000) of the project's currency, with four decimals: exact to one yuan. Fifteen
# significant digits at most, so that a value survives a spreadsheet (IEEE double) unchanged.
class _DecimalOptions(TypedDict):
    max_digits: int
    decimal_places: int
    validators: list[MinValueValidator]


AMOUNT: _DecimalOptions = {
    "max_digits": 15,
    "decimal_places": 4,
    "validators": NON_NEGATIVE,
}


def quantity_field(label: Any, *, max_digits: int = 12, optional: bool = True) -> models.DecimalField:
    """A measured quantity: two decimal places, never negative; optional means it may be unknown."""
    return models.DecimalField(
        label,
        max_digits=max_digits,
        decimal_places=2,
        null=optional,
        blank=optional,
        validators=NON_NEGATIVE,
    )


def land_mu_field() -> models.DecimalField:
    """The land (用地) a project, an offer or an enterprise takes, in mu, where it is known."""
    return quantity_field(_("land (mu)"))


def user_link(*, related_name: str = "+", **options: Any) -> models.ForeignKey:
    """The user who did something to a record. Deleting the user keeps the record (the link is
    cleared; the name, where it matters, is kept in a column of its own), and the user has no
    reverse accessor to the records unless ``related_name`` names one."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )


def optional_link(
    to: Any,
    label: Any,
    *,
    related_name: str,
    on_delete: Any = models.PROTECT,
    one_to_one: bool = False,
    **options: Any,
) -> models.ForeignKey:
    """A link to ``to`` that a record may lack (null and blank); deleting what it names is refused
    unless ``on_delete`` says otherwise. ``one_to_one``: at most one record links to each."""
    field = models.OneToOneField if one_to_one else models.ForeignKey
    return field(
        to,
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name=related_name,
        **options,
    )
