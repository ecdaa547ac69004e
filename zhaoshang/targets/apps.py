from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.targets"
    label = "targets"
    verbose_name = _("targets")
