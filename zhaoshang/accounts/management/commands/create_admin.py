"""manage.py create_admin: the first administrator of a new deployment, with the root unit."""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.permissions import Role
from zhaoshang.units.choices import ROOT_KINDS
from zhaoshang.units.models import Unit
from zhaoshang.units.services import create_unit


class Command(BaseCommand):
    help = (
        "Create an administrator holding a role at a unit, creating that unit as the root of the tree "
        "when no unit with the code exists yet. The password is read from the environment variable "
        "ZHAOSHANG_ADMIN_PASSWORD or asked for (twice) on a terminal; it must pass the same rules as "
        "every user's password. Example: manage.py create_admin --username admin "
        "--unit-code 330326 --unit-name 平阳县 --unit-kind county"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", default="", help="the person's name as shown in the pages")
        parser.add_argument("--email", default="", help="where the administrator's notifications are mailed")
        parser.add_argument("--unit-code", required=True, help="administrative division code of the unit")
        parser.add_argument("--unit-name", help="needed when the unit does not exist yet")
        parser.add_argument("--unit-kind", choices=sorted(ROOT_KINDS), default="county")
        parser.add_argument(
            "--role", choices=[Role.SYSTEM_ADMIN, Role.BUREAU_ADMIN], default=Role.SYSTEM_ADMIN
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("ZHAOSHANG_ADMIN_PASSWORD", "")
        if not password:
            require_terminal()
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"user {options['username']} already exists")
        password = password or ask_password()
        user = User(
            username=options["username"], display_name=options["name"], email=options["email"].strip()
        )
        try:
            user.full_clean(exclude=["password"], validate_unique=False)
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            unit = Unit.objects.filter(code=options["unit_code"]).first()
            created_unit = unit is None
            if unit is None:
                if not options["unit_name"]:
                    raise CommandError("no unit has this code: give --unit-name to create it as the root")
                try:
                    unit = create_unit(
                        by=None,
                        parent=None,
                        kind=options["unit_kind"],
                        name=options["unit_name"],
                        code=options["unit_code"],
                    )
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from exc
            user.set_password(password)
            user.save()
            Membership.objects.create(user=user, unit=unit, role=options["role"])
        self.stdout.write(
            f"created {'root unit ' + unit.name + ' and ' if created_unit else ''}"
            f"user {user.username} as {options['role']} at {unit.name} ({unit.code})"
        )


def require_terminal() -> None:
    """Without a terminal (a script, a unit, a pipe) a message saying what to do, not a traceback."""
    if not sys.stdin.isatty():
        raise CommandError(
            "no terminal to ask for the password on: set the environment variable ZHAOSHANG_ADMIN_PASSWORD "
            "(e.g. ZHAOSHANG_ADMIN_PASSWORD='…' manage.py create_admin …) or run the command in a terminal"
        )


def ask_password() -> str:
    """The password typed twice on the terminal."""
    require_terminal()
    try:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Password (again): ")
    except (EOFError, KeyboardInterrupt) as exc:
        raise CommandError("no password given: nothing was created") from exc
    if password != again:
        raise CommandError("the two passwords differ: nothing was created")
    return password
