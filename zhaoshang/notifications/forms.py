from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RobotForm(forms.Form):
    webhook_url = forms.CharField(
        label=_("WeCom group robot webhook"),
        max_length=300,
        required=False,
        help_text=_(
            "Copied from the group's robot settings (https://qyapi.weixin.qq.com/…). Empty removes it."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Post this unit's reminders to the group"), required=False, initial=True
    )
    send_test = forms.BooleanField(label=_("Send a test message after saving"), required=False)
