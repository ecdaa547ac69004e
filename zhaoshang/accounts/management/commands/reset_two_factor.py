"""manage.py reset_two_factor: remove a user's authenticator, e.g. after a lost phone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhaoshang.accounts import services
from zhaoshang.accounts.models import User


class Command(BaseCommand):
    help = (
        "Remove the two-factor authenticator (TOTP device) of the named user, so that they log in with "
        "the password alone and can enrol a new phone. With REQUIRE_2FA_FOR_ADMINS on, an administrator "
        "is asked to enrol again right after the next log-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the user's log-in name")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user named {options['username']!r}.")
        removed = services.remove_two_factor(user, by=None, note="reset by manage.py reset_two_factor")
        self.stdout.write(f"{user.username}: {removed} authenticator(s) removed")
