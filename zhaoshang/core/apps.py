from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.core"
    label = "core"
    verbose_name = _("core")

    def ready(self) -> None:
        from django import forms

        from zhaoshang.core import health
        from zhaoshang.core.widgets import AmountInput

        health.register_core_checks()
        # Every amount a form shows for editing, as people write it (350, not 350.0000): one widget
        # for every DecimalField of every form and filter, rather than one per form.
        forms.DecimalField.widget = AmountInput
