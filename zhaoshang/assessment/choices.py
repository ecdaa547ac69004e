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
    # Funds lines the bureau sent back as wrong or unsupported (弄虛作假-like), counted per line.
    RETURNED = "returned", _("funds returned by the bureau (count)")
    # Counted for a person (a group of persons, ``assessment.persons``), from the records credited
    # to them: projects introduced, projects stewarded that reached a stage, enterprise visits.
    INTRODUCED = "introduced", _("projects introduced by the person (count)")
    STEWARDED = "stewarded", _("projects stewarded that reached a stage (count)")
    VISITS = "visits", _("enterprise visits recorded by the person (count)")


# Sources whose figure is a count of a unit's lapses read from the records, not from the ledger.
COUNTED = (Source.MISSED, Source.LATE, Source.OVERDUE, Source.RETURNED)
# Sources whose figure is a count of a person's records (the only sources of a group of persons).
PERSONAL = (Source.INTRODUCED, Source.STEWARDED, Source.VISITS)


class Subjects(models.TextChoices):
    """What a group ranks: units (townships, departments, …) or persons (人人頭上有指標)."""

    UNITS = "units", _("units")
    PERSONS = "persons", _("persons")


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
