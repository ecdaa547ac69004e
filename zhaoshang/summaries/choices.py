"""The written sections of a work summary (工作总结) and the scripts a document is written in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """二、主要做法 三、存在问题 四、下步打算: the sections a unit writes itself (一、工作成效 is written
    by the system from the ledger)."""

    PRACTICE = "practice", _("Main practices")
    PROBLEMS = "problems", _("Problems")
    PLANS = "plans", _("Plans for the next stage")


# The sections' headings as the document prints them, in order.
SECTION_HEADINGS_ZH: dict[str, str] = {
    Section.PRACTICE: "主要做法",
    Section.PROBLEMS: "存在问题",
    Section.PLANS: "下步打算",
}


class Script(models.TextChoices):
    SIMPLIFIED = "simplified", _("Simplified Chinese")
    TRADITIONAL = "traditional", _("Traditional Chinese")
