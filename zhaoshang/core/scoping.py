"""The choke point for access: every query of every page, API call, export and command that
serves a user goes through ``visible_to(user, action)``.

Rows are limited to the subtrees of the units where the user holds a role that grants the
action. The subtree test is a range on the materialized unit path (see core/tree.py), so it is
one index range scan per membership on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from zhaoshang.core import tree
from zhaoshang.core.permissions import role_allows

if TYPE_CHECKING:
    from zhaoshang.units.models import Unit


@dataclass(frozen=True)
class Grant:
    """One membership seen by the scoping code: a role at the subtree rooted at ``path``."""

    path: str
    role: str
    unit_id: int

    @property
    def bounds(self) -> tuple[str, str]:
        return tree.subtree_range(self.path)


_CACHE_ATTR = "_zhaoshang_grants"


def grants_of(user: Any) -> list[Grant]:
    """The user's active memberships, loaded once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from zhaoshang.accounts.models import Membership

        cached = [
            Grant(path=path, role=role, unit_id=unit_id)
            for path, role, unit_id in Membership.objects.filter(user=user, unit__is_active=True).values_list(
                "unit__path", "role", "unit_id"
            )
        ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    """Drop the cached memberships, after they changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_roots(user: Any, action: str, *, on: str) -> list[str]:
    """Paths of the subtrees in which the user may perform ``action`` on records of type ``on``,
    without nested duplicates."""
    found = sorted({g.path for g in grants_of(user) if role_allows(g.role, action, on)})
    roots: list[str] = []
    for path in found:
        if not any(tree.is_within(path, root) for root in roots):
            roots.append(path)
    return roots


def path_q(field: str, roots: list[str]) -> Q:
    """A Q object matching rows whose ``field`` (a unit path) lies in one of the subtrees."""
    if not roots:
        return Q(pk__in=[])
    q = Q()
    for root in roots:
        low, high = tree.subtree_range(root)
        q |= Q(**{f"{field}__gte": low, f"{field}__lt": high})
    return q


def user_can(user: Any, action: str, unit: Unit, *, on: str) -> bool:
    """True when the user may perform ``action`` on records of type ``on`` belonging to ``unit``."""
    return any(tree.is_within(unit.path, root) for root in scope_roots(user, action, on=on))


def covers_the_tree(roots: list[str]) -> bool:
    """True when the subtrees of ``roots`` hold every unit: each top-level unit is among them. Only
    top-level roots can; for others no query is made."""
    from zhaoshang.units.models import Unit

    if not roots or any(len(root) != tree.SEGMENT_WIDTH for root in roots):
        return False
    tops = set(Unit.objects.filter(parent=None).values_list("path", flat=True))
    return tops <= set(roots)


def always_reaches_a_unit(model: type[models.Model], path_field: str) -> bool:
    """True when every row of ``model`` has a unit at the end of ``path_field`` (a unit path such as
    ``"project__unit__path"``): no link on the way may be empty."""
    options = model._meta
    for name in path_field.split("__")[:-1]:
        field = options.get_field(name)
        if field.null:
            return False
        options = field.related_model._meta  # type: ignore[union-attr]
    return True


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which unit path scopes its rows.

    Subclasses name their object type in the permission matrix and the path field (``"unit__path"``
    for a record owned by a unit), or override ``scope_q`` when more than one path gives access.
    """

    permission_type: str = ""
    scope_path_field: str = "unit__path"

    def covers_every_row(self, roots: list[str]) -> bool:
        """True when the subtrees of ``roots`` hold every row: they hold every unit and every row
        belongs to one. A scope that does is no test at all (a national list would otherwise join
        every row to its unit and test its path, and could not be read in the order of an index)."""
        return always_reaches_a_unit(self.model, self.scope_path_field) and covers_the_tree(roots)

    def scope_q(self, roots: list[str], action: str) -> Q:
        if self.covers_every_row(roots):
            return Q()
        return path_q(self.scope_path_field, roots)

    def visible_to(self, user: Any, action: str = "view") -> ScopedQuerySet:
        """Rows of the subtrees in which ``user`` may perform ``action``; nothing for strangers."""
        if not self.permission_type:
            raise TypeError(f"{type(self).__name__} must name its permission_type")
        roots = scope_roots(user, action, on=self.permission_type)
        if not roots:
            return self.none()
        return self.filter(self.scope_q(roots, action))

    def visible_in(self, user: Any, unit: Unit, action: str = "view") -> ScopedQuerySet:
        """Rows of ``unit``'s subtree in which ``user`` may perform ``action``.

        ``scope_q`` grows with its roots (a row of a subtree belongs to every subtree around it), so
        when the unit lies inside one of the user's subtrees its own filter is enough: the second
        filter of the user's scope would be tested on every row for nothing (at the national root,
        an ``EXISTS`` over credit shares per project).
        """
        roots = scope_roots(user, action, on=self.permission_type)
        subtree = self.filter(self.scope_q([unit.path], action))
        if any(tree.is_within(unit.path, root) for root in roots):
            return subtree
        return subtree.filter(self.scope_q(roots, action)) if roots else self.none()


def object_type_of(model: type[models.Model]) -> str:
    """The object type a scoped model speaks of in the permission matrix."""
    return model._default_manager.none().permission_type  # type: ignore[attr-defined]


def acts_for(user: Any, action: str, unit: Unit, *, on: str) -> bool:
    """True when the user holds, at ``unit`` itself or below it, a role granting ``action`` on
    records of type ``on``: the unit's own people, not its superiors (who see its records through
    ``user_can`` but do not answer or report in its name)."""
    return any(tree.is_within(g.path, unit.path) and role_allows(g.role, action, on) for g in grants_of(user))
