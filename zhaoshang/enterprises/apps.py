from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "zhaoshang.enterprises"
    label = "enterprises"
    verbose_name = _("Landed enterprises")
