from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.investors"
    label = "investors"
    verbose_name = _("investors")
