"""Dispatch (調度): default calendar, report states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhaoshang.projects.choices import Stage

DEFAULT_DAYS = [12, 27]
DEFAULT_OPEN_DAYS_BEFORE = 5
DEFAULT_STAGES = [Stage.SIGNED.value, Stage.STARTED.value, Stage.COMPLETED.value]
DEFAULT_STALLED_AFTER = 3
# Stages a calendar may ask reports of (operating is its own switch: one round after it began).
REPORTABLE_STAGES = [Stage.NEGOTIATING, Stage.INTENT, Stage.SIGNED, Stage.STARTED, Stage.COMPLETED]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    VERIFIED = "verified", _("verified")


# A report in these states counts as filed for the round (a returned one must be filed again).
FILED = (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
