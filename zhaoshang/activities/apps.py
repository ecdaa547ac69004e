from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.activities"
    label = "activities"
    verbose_name = _("promotion activities")
