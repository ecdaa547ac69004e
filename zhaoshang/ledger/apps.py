from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.ledger"
    label = "ledger"
    verbose_name = _("indicators and ledger")
