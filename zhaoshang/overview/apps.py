from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.overview"
    label = "overview"
    verbose_name = _("overview")
