from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.ingest"
    label = "ingest"
    verbose_name = _("report reading")
