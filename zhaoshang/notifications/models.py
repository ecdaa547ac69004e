"""In-app notifications (站内通知), each also sent by e-mail where the recipient has an address."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """站内通知: a message to one user (a reminder, a returned report), read or not yet read.

    ``key`` names the occasion (e.g. ``dispatch:remind:12:34``); a recipient gets one notification per
    key, so a job that runs twice notifies nobody twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class UnitRobot(models.Model):
    """企业微信群机器人: the webhook of a unit's WeCom group; its reminders are posted there too."""

    unit = models.OneToOneField(
        "units.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="wecom_robot"
    )
    webhook_url = models.URLField(_("WeCom group robot webhook"), max_length=300)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("WeCom group robot")
        verbose_name_plural = _("WeCom group robots")

    def __str__(self) -> str:
        return str(self.unit)


class GroupMessage(models.Model):
    """A message posted to a unit's WeCom group, once per key (as a notification is once per person)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "key"], name="group_message_once_per_key")]

    def __str__(self) -> str:
        return self.text[:60]
