from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.dispatch"
    label = "dispatch"
    verbose_name = _("dispatch")
