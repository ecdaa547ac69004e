"""Choices of landed enterprises and their quarterly returns."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

QUARTERS = [(1, _("Q1")), (2, _("Q2")), (3, _("Q3")), (4, _("Q4"))]


class ReturnStatus(models.TextChoices):
    """A quarterly return counts only once the bureau has verified it, as funds do; a verified one
    the bureau withdraws (with a reason) counts no longer, and its unit may report the quarter again."""

    REPORTED = "reported", _("reported")
    VERIFIED = "verified", _("verified")
    RETURNED = "returned", _("returned")
    WITHDRAWN = "withdrawn", _("withdrawn")
