"""Choices of promotion activities (招商活动)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    TRIP = "trip", _("Outbound trip")  # 外出招商
    VISIT = "visit", _("Inbound visit")  # 来访考察
    INQUIRY = "inquiry", _("Inquiry")  # 咨询
    FAIR = "fair", _("Trade fair or event")  # 洽谈会 / 博览会
    OFFICE = "office", _("Resident office")  # 驻外办事处


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    WECHAT = "wechat", _("WeChat")
    WEBSITE = "website", _("Website")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Other")


class Step(models.TextChoices):
    """The steps of an inquiry's response clock, in order."""

    RESPONSE = "response", _("First response")
    ASSESSMENT = "assessment", _("Assessment")
    FEEDBACK = "feedback", _("Feedback")


# Which fields each kind uses, besides the common ones (unit, title, dates, investors, projects,
# notes). The form shows only these; the API accepts only these.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ActivityKind.TRIP: ("team", "place", "outcome"),
    ActivityKind.VISIT: ("people", "hosts", "outcome"),
    ActivityKind.INQUIRY: ("channel", "content", "received_at"),
    ActivityKind.FAIR: ("place", "intents", "amount", "materials", "outcome"),
    ActivityKind.OFFICE: ("place", "team"),
}
