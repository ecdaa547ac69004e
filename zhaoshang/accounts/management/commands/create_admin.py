"""manage.py create_admin: the first administrator of a new deployment, with the root unit."""

from __future__ import annotations

import getpass
import os
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
        "ZHAOSHANG_ADMIN_PASSWORD or asked for. Example: manage.py create_admin --username admin "
        "--unit-code 330326 --unit-name 平阳县 --unit-kind county"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--name", default="", help="the person's name as shown in the pages")
        parser.add_argument("--unit-code", required=True, help="administrative division code of the unit")
        parser.add_argument("--unit-name", help="needed when the unit does not exist yet")
        parser.add_argument("--unit-kind", choices=sorted(ROOT_KINDS), default="county")
        parser.add_argument(
            "--role", choices=[Role.SYSTEM_ADMIN, Role.BUREAU_ADMIN], default=Role.SYSTEM_ADMIN
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"user {options['username']} already exists")
        password = os.environ.get("ZHAOSHANG_ADMIN_PASSWORD") or getpass.getpass("Password: ")
        user = User(username=options["username"], display_name=options["name"])
        try:
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
