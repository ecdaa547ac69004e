"""Choices of the investor (客商) module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InvestorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PERSON = "person", _("Person")


DOMESTIC_COUNTRY = "中国"
