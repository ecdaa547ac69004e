"""Managing users: accounts, their memberships, passwords and whether they may log in.

Pages, the API and commands all go through these functions, so the granting rules live here once:

- a manager acts only within the subtrees where they hold a role that may ``configure``;
- a role may be granted (or taken away) at unit U only when it ranks at or below the highest role
  the manager holds at U or one of its ancestors (``ROLE_RANK``), so a bureau admin can never make
  a system admin, nor grant anything outside their county;
- nobody changes the roles of a user who ranks above them in their subtrees;
- an account-wide change (name, password, active) needs that rank over every membership of the
  user, including those outside the manager's subtrees: a county cannot lock out a user whom the
  neighbouring county relies on.

Each function runs in one transaction and leaves one audit entry; passwords and their hashes never
reach the audit trail. ``by=None`` means the system itself (commands), which skips the checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhaoshang.accounts.models import Membership, User
from zhaoshang.audit import services as audit
from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import ROLE_RANK, Action, ObjectType, Role, role_allows
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import forget_grants, grants_of, path_q, scope_roots, user_can
from zhaoshang.units.models import Unit

# The audit snapshot of a user never holds the password hash.
_SNAPSHOT_EXCLUDE = ("password", "last_login")
# The e-mail address is where notifications are mailed (notifications/services.py); empty: none.
PROFILE_FIELDS = ("display_name", "phone", "email")


# --- what a manager may do ------------------------------------------------------------------------


def rank_at(by: User, unit_path: str) -> int:
    """The rank of the highest role ``by`` holds at the unit with this path or one of its ancestors."""
    ranks = [ROLE_RANK.get(g.role, 0) for g in grants_of(by) if tree.is_within(unit_path, g.path)]
    return max(ranks, default=0)


def may_grant(by: User, unit: Unit, role: str) -> bool:
    """True when ``by`` may grant (or take away) ``role`` at ``unit``."""
    if by is None:
        return True
    return user_can(by, Action.CONFIGURE, unit, on=ObjectType.USER) and ROLE_RANK.get(role, 10**6) <= rank_at(
        by, unit.path
    )


def grantable_roles(by: User) -> list[tuple[str, str | Promise]]:
    """The roles ``by`` may grant somewhere in their subtrees (the choices of a role field)."""
    top = max(
        (rank_at(by, root) for root in scope_roots(by, Action.CONFIGURE, on=ObjectType.USER)), default=0
    )
    return [(value, label) for value, label in Role.choices if ROLE_RANK[value] <= top]


def grantable_units(by: User) -> QuerySet:
    """The active units where ``by`` may grant roles (the choices of a unit field)."""
    return Unit.objects.where(by, Action.CONFIGURE, on=ObjectType.USER).filter(is_active=True)


def scoped_memberships(by: User, user: User) -> QuerySet:
    """The memberships of ``user`` that lie in the subtrees ``by`` may configure."""
    roots = scope_roots(by, Action.CONFIGURE, on=ObjectType.USER)
    return user.memberships.filter(path_q("unit__path", roots)).select_related("unit")


def may_manage(by: User, user: User) -> bool:
    """True when ``by`` may make account-wide changes to ``user``: rank over all their memberships."""
    if by is None:
        return True
    memberships = list(user.memberships.select_related("unit"))
    return bool(memberships) and all(may_grant(by, m.unit, m.role) for m in memberships)


def _require_manage(by: User, user: User) -> None:
    if not may_manage(by, user):
        raise OutOfScope(
            _(
                "You may not change this user: they hold a role above yours, or a role outside "
                "the units you administer."
            )
        )


def may_change_roles(by: User, user: User) -> bool:
    """True when ``by`` outranks every role ``user`` holds in ``by``'s subtrees (and they hold one)."""
    if by is None:
        return True
    memberships = list(scoped_memberships(by, user))
    return bool(memberships) and all(may_grant(by, m.unit, m.role) for m in memberships)


def _require_outrank_here(by: User, user: User) -> None:
    if not may_change_roles(by, user):
        raise OutOfScope(_("You may not change the roles of a user who ranks above you."))


def _require_grant(by: User, unit: Unit, role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if by is not None and not user_can(by, Action.CONFIGURE, unit, on=ObjectType.USER):
        raise OutOfScope(_("You may not grant roles at units outside the units you administer."))
    if not may_grant(by, unit, role):
        raise OutOfScope(
            _("You may not grant the role %(role)s at %(unit)s: it ranks above your own role there.")
            % {"role": Role(role).label, "unit": unit.name}
        )


def _audit_unit(by: User, user: User) -> Unit | None:
    """The unit whose audit chain records a change to ``user``: the first one the manager sees."""
    membership = scoped_memberships(by, user).order_by("unit__path").first() if by is not None else None
    return membership.unit if membership else user.primary_unit


def _membership_list(user: User) -> list[str]:
    rows = user.memberships.order_by("unit__path", "role").values_list("unit__code", "unit__name", "role")
    return [f"{code} {name}: {role}" for code, name, role in rows]


def _user_snapshot(user: User) -> dict[str, Any]:
    return {**audit.snapshot(user, exclude=_SNAPSHOT_EXCLUDE), "memberships": _membership_list(user)}


def _check_password(password: str, user: User, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _lock(user: User) -> User:
    return for_update(User.objects).get(pk=user.pk)


# --- writes ---------------------------------------------------------------------------------------


@transaction.atomic
def create_user(
    *,
    by: User,
    username: str,
    password: str,
    unit: Unit,
    role: str,
    display_name: str = "",
    phone: str = "",
    email: str = "",
) -> User:
    """A new user with a first membership; the password must pass the configured validators."""
    _require_grant(by, unit, role)
    _check_active_unit(unit)
    username = User.normalize_username(username.strip())
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("The username %(name)s is already taken.") % {"name": username}})
    user = User(username=username, display_name=display_name, phone=phone, email=email.strip())
    user.full_clean(exclude=["password"])
    _check_password(password, user)
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, unit=unit, role=role)
    audit.record(audit.Entry.Action.CREATE, user, by=by, unit=unit, after=_user_snapshot(user))
    return user


@transaction.atomic
def update_user(user: User, *, by: User, **fields: Any) -> User:
    """Change a user's name, phone or e-mail address."""
    user = _lock(user)
    _require_manage(by, user)
    before = audit.snapshot(user, exclude=_SNAPSHOT_EXCLUDE)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"{name} is not an editable user field")
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    after = audit.snapshot(user, exclude=_SNAPSHOT_EXCLUDE)
    if after != before:
        audit.record(
            audit.Entry.Action.UPDATE, user, by=by, unit=_audit_unit(by, user), before=before, after=after
        )
    return user


def _new_password(
    user: User, password: str, *, by: User, unit: Any, note: str, field: str = "password"
) -> User:
    """Set a validated new password on the locked ``user`` (their open sessions end with it) and
    record the fact, never the password or its hash."""
    _check_password(password, user, field=field)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(audit.Entry.Action.UPDATE, user, by=by, unit=unit, note=note)
    return user


@transaction.atomic
def set_password(user: User, *, by: User, password: str) -> User:
    """An administrator sets a new password (validated); the user's open sessions end with it."""
    user = _lock(user)
    _require_manage(by, user)
    return _new_password(
        user, password, by=by, unit=_audit_unit(by, user), note=_("Password set by an administrator")
    )


@transaction.atomic
def change_own_password(user: User, *, password: str) -> User:
    """A user changes their own password (the page checked the old one and the validators); their
    other sessions end with it. Audited as a fact, like a password set by an administrator."""
    user = _lock(user)
    return _new_password(
        user,
        password,
        by=user,
        unit=user.primary_unit,
        note=_("Password changed by the user"),
        field="new_password2",
    )


@transaction.atomic
def set_active(user: User, *, by: User, active: bool) -> User:
    """Deactivate (no more logins, open sessions end) or reactivate a user."""
    user = _lock(user)
    _require_manage(by, user)
    if not active and by is not None and user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate yourself."))
    if user.is_active == active:
        return user
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        audit.Entry.Action.UPDATE,
        user,
        by=by,
        unit=_audit_unit(by, user),
        before={"is_active": not active},
        after={"is_active": active},
    )
    return user


@transaction.atomic
def add_membership(user: User, *, by: User, unit: Unit, role: str) -> Membership:
    """Grant ``role`` at ``unit`` to ``user``, who must already be one of the manager's users."""
    held, user = user, _lock(user)
    _require_outrank_here(by, user)
    _require_grant(by, unit, role)
    _check_active_unit(unit)
    if user.memberships.filter(unit=unit, role=role).exists():
        raise ValidationError({"role": _("The user already holds this role at this unit.")})
    before = _membership_list(user)
    membership = Membership.objects.create(user=user, unit=unit, role=role)
    _record_permission(by, user, unit, before)
    _forget(by, user, held)
    return membership


@transaction.atomic
def remove_membership(membership: Membership, *, by: User) -> None:
    """Take a role away. A user keeps at least one membership (deactivate them instead), and a
    manager keeps at least one membership that lets them configure."""
    held = membership.user  # the caller's copy, whose cached grants must go too
    user = _lock(held)
    membership = Membership.objects.select_related("unit").get(pk=membership.pk)
    _require_grant(by, membership.unit, membership.role)
    _require_outrank_here(by, user)
    others = list(user.memberships.exclude(pk=membership.pk).select_related("unit"))
    if not others:
        raise ValidationError(_("A user keeps at least one membership; deactivate the user instead."))
    if by is not None and user.pk == by.pk and not _keeps_configure(membership, others):
        raise ValidationError(_("You cannot remove your own last administrator role."))
    before = _membership_list(user)
    unit = membership.unit
    membership.delete()
    _record_permission(by, user, unit, before)
    _forget(by, user, held)


def _keeps_configure(removed: Membership, others: list[Membership]) -> bool:
    """True unless ``removed`` is the only one of these memberships that may configure."""
    if not role_allows(removed.role, Action.CONFIGURE, ObjectType.USER):
        return True
    return any(m.unit.is_active and role_allows(m.role, Action.CONFIGURE, ObjectType.USER) for m in others)


def _check_active_unit(unit: Unit) -> None:
    if not unit.is_active:
        message = _("%(unit)s is inactive; a role there grants nothing.") % {"unit": unit.name}
        raise ValidationError({"unit": message})


def _record_permission(by: User, user: User, unit: Unit, before: list[str]) -> None:
    audit.record(
        audit.Entry.Action.PERMISSION,
        user,
        by=by,
        unit=unit,
        before={"memberships": before},
        after={"memberships": _membership_list(user)},
    )


def _forget(by: User, *users: User) -> None:
    """Drop the cached grants of every in-memory copy of the changed user, the manager's included."""
    for user in users:
        forget_grants(user)
    if by is not None and any(user.pk == by.pk for user in users):
        forget_grants(by)


# --- two-factor log-in --------------------------------------------------------------------------


def _record_two_factor(user: User, *, on: bool, by: User | None, note: str = "") -> None:
    """Audit two-factor log-in turned on or off for ``user``, as a change of their permissions."""
    audit.record(
        audit.Entry.Action.PERMISSION,
        user,
        by=by,
        unit=user.primary_unit,
        before={"two_factor": not on},
        after={"two_factor": on},
        note=note,
    )


@transaction.atomic
def confirm_two_factor(user: User, device: Any) -> None:
    """Turn two-factor log-in on with a device whose code was just verified; audited."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    _record_two_factor(user, on=True, by=user)


@transaction.atomic
def remove_two_factor(user: User, *, by: User | None, note: str = "") -> int:
    """Remove the user's authenticators (turned off by the user, or reset by an administrator's
    command after a lost phone); audited. Returns how many were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed, _details = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        _record_two_factor(user, on=False, by=by, note=note)
    return removed


def operators_of(unit_ids: Any) -> dict[int, list[User]]:
    """The active operators holding their role at each of these units (not above or below it):
    the people a reminder about the unit's own records goes to."""
    found: dict[int, list[User]] = {}
    memberships = Membership.objects.filter(
        unit_id__in=set(unit_ids), role=Role.OPERATOR, user__is_active=True, unit__is_active=True
    ).select_related("user")
    for m in memberships.order_by("unit_id", "user_id"):
        found.setdefault(m.unit_id, []).append(m.user)
    return found
