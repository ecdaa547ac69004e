from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.scale"
    label = "scale"
    verbose_name = _("national scale data and benchmarks")
