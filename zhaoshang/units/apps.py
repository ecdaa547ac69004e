from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.units"
    label = "units"
    verbose_name = _("units")

    def ready(self) -> None:
        from zhaoshang.core import scoping
        from zhaoshang.units.models import top_paths

        scoping.read_top_paths_with(top_paths)
