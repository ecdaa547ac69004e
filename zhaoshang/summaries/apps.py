from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhaoshang.summaries"
    verbose_name = _("Summaries and bulletins")
