from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    name = "zhaoshang.parks"
    label = "parks"
    verbose_name = _("Industrial parks")
