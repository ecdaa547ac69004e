from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zhaoshang.accounts"
    label = "accounts"
    verbose_name = _("accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from zhaoshang.accounts.models import grant_rows
        from zhaoshang.accounts.security import stamp_session_on_login
        from zhaoshang.core import scoping

        scoping.read_grants_with(grant_rows)

        user_logged_in.connect(stamp_session_on_login, dispatch_uid="zhaoshang.stamp_session")
