from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.catalogue"
    label = "catalogue"
    verbose_name = _("project catalogue")
