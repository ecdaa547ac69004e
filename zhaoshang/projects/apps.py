from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.projects"
    label = "projects"
    verbose_name = _("projects")
