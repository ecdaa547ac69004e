"""Choices of the investor (客商) module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvestorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PERSON = "person", _("Person")


class InvestorSize(models.TextChoices):
    """企业规模 as the statistics bureau classifies it."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


DOMESTIC_COUNTRY = "中国"
