from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = _("core")

    def ready(self) -> None:
        from zhaoshang.core import health

        health.register_core_checks()
