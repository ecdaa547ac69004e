from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "zhaoshang.coordination"
    verbose_name = _("Coordination requests")
