"""Users and the units they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.permissions import ObjectType, Role
from zhaoshang.core.scoping import ScopedQuerySet, path_q

if TYPE_CHECKING:
    from zhaoshang.units.models import Unit


class UserQuerySet(ScopedQuerySet):
    """Users are scoped through their memberships: a user is visible in a subtree when any of their
    memberships lies in it (whatever other memberships they hold elsewhere)."""

    permission_type = ObjectType.USER

    def scope_q(self, roots: list[str], action: str) -> Q:
        memberships = Membership.objects.filter(path_q("unit__path", roots)).values("user_id")
        return Q(pk__in=memberships)


# from_queryset builds the class at run time: mypy cannot use it as a base without the plugin's help.
class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (create_user …) with the scoped queryset."""


class User(AbstractUser):
    """用戶: a person who logs in. What they may see comes only from their memberships."""

    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def primary_unit(self) -> Unit | None:
        membership = self.memberships.select_related("unit").order_by("unit__path").first()
        return membership.unit if membership else None


class Membership(models.Model):
    """成員: a role held by a user at a unit; it applies to the unit's whole subtree."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


def grant_rows(user: User) -> models.QuerySet:
    """The user's memberships at active units as (unit path, role, unit id) rows: what core.scoping
    reads for its grants (handed to it in apps.py, since core imports no app); one query per user
    object, which scoping caches."""
    memberships = Membership.objects.filter(user=user, unit__is_active=True)
    return memberships.values_list("unit__path", "role", "unit_id")
