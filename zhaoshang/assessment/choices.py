"""What an assessment item reads and how it turns the figure into points (考核辦法, forms.md §4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where an item's figure comes from; never typed in, except the manual points."""

    ACTUAL = "actual", _("actual figure of the indicator")
    COMPLETION = "completion", _("completion of the indicator's target")
    MANUAL = "manual", _("manual points with a reason")
    # Counted from the dispatch records of the period (``assessment.lapses``), never typed in.
    MISSED = "missed", _("progress reports missing (count)")
    LATE = "late", _("progress reports filed late (count)")
    OVERDUE = "overdue", _("rectification items not done by their deadline (count)")


# Sources whose figure is a count of a unit's lapses read from the records, not from the ledger.
COUNTED = (Source.MISSED, Source.LATE, Source.OVERDUE)


class Formula(models.TextChoices):
    RATIO = "ratio", _("completion × weight, capped")
    TIERS = "tiers", _("tiered bands of completion")
    PER_ITEM = "per_item", _("points per item, capped")
    BONUS_OVER = "bonus_over", _("bonus per percentage point over target")
    DEDUCTION = "deduction", _("deduction per occurrence, with a floor")
    RANK = "rank", _("points by rank in the group")
    MANUAL = "manual", _("manual points")


class Period(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")
