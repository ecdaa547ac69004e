"""The choke point for access: every query of every page, API call, export and command that
serves a user goes through ``visible_to(user, action)``.

Rows are limited to the subtrees of the units where the user holds a role that grants the
action. The subtree test is a range on the materialized unit path (see core/tree.py), so it is
one index range scan per membership on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeAlias

from django.db import models
from django.db.models import Q

from zhaoshang.core import tree
from zhaoshang.core.permissions import role_allows

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


class Node(Protocol):
    """What scoping reads of a unit: its path. The floor names no domain model; the tree's ``Unit``
    (units/models.py) is one."""

    path: str


# Core knows no domain model, so the layer above hands it the two questions only that layer can
# answer, once, when its app is ready: the people's memberships (accounts/apps.py) and the tree's
# top-level units (units/apps.py). Plain functions, looked up per call like the imports they replace.
# Whom scoping asks about: core imports no app, so not accounts' User but Django's user classes; an
# anonymous user or None (the system, a command) holds no grant.
Person: TypeAlias = "AbstractBaseUser | AnonymousUser | None"
GrantRows = Callable[[Any], Iterable[tuple[str, str, int]]]
_membership_rows: GrantRows | None = None
_top_paths: Callable[[], Iterable[str]] | None = None


def read_grants_with(rows: GrantRows) -> None:
    """Scoping reads a user's active memberships as (unit path, role, unit id) rows from ``rows``."""
    global _membership_rows  # set once at start-up, by accounts' AppConfig.ready
    _membership_rows = rows


def read_top_paths_with(paths: Callable[[], Iterable[str]]) -> None:
    """Scoping reads the paths of the tree's top-level units from ``paths``."""
    global _top_paths  # set once at start-up, by units' AppConfig.ready
    _top_paths = paths


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


def grants_of(user: Person) -> list[Grant]:
    """The user's active memberships, loaded once per user object (so once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        if _membership_rows is None:
            raise RuntimeError("scoping has no membership reader: is the accounts app installed?")
        cached = [Grant(path, role, unit_id) for path, role, unit_id in _membership_rows(user)]
        setattr(user, _CACHE_ATTR, cached)
    return cached


_ROOTS_ATTR = "_zhaoshang_roots"


def forget_grants(user: Person) -> None:
    """Drop the cached memberships (and the scopes found from them), after they changed."""
    for attr in (_CACHE_ATTR, _ROOTS_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def scope_roots(user: Person, action: str, *, on: str) -> list[str]:
    """Paths of the subtrees in which the user may perform ``action`` on records of type ``on``,
    without nested duplicates; found once per user object and question, like the grants.

    In sorted order a subtree's paths follow its root without a gap, so a path nested in an
    earlier root is nested in the last one kept: one comparison a path (a bureau of a hundred
    counties asked each of them against every root kept before)."""
    grants = grants_of(user)
    if not grants:
        return []
    known: dict[tuple[str, str], list[str]] | None = getattr(user, _ROOTS_ATTR, None)
    if known is None:
        known = {}
        setattr(user, _ROOTS_ATTR, known)
    roots = known.get((action, on))
    if roots is None:
        roots = []
        for path in sorted({g.path for g in grants if role_allows(g.role, action, on)}):
            if not (roots and tree.is_within(path, roots[-1])):
                roots.append(path)
        known[(action, on)] = roots
    return list(roots)


def path_q(field: str, roots: list[str]) -> Q:
    """A Q object matching rows whose ``field`` (a unit path) lies in one of the subtrees."""
    if not roots:
        return Q(pk__in=[])
    q = Q()
    for root in roots:
        q |= tree.subtree_q(root, field)
    return q


def user_can(user: Person, action: str, unit: Node, *, on: str) -> bool:
    """True when the user may perform ``action`` on records of type ``on`` belonging to ``unit``."""
    return any(tree.is_within(unit.path, root) for root in scope_roots(user, action, on=on))


def covers_the_tree(roots: list[str]) -> bool:
    """True when the subtrees of ``roots`` hold every unit: each top-level unit is among them. Only
    top-level roots can; for others no query is made."""
    if not roots or any(len(root) != tree.SEGMENT_WIDTH for root in roots):
        return False
    if _top_paths is None:
        raise RuntimeError("scoping has no reader of the tree's top: is the units app installed?")
    tops = set(_top_paths())
    return tops <= set(roots)


def always_reaches_a_unit(model: type[models.Model], path_field: str) -> bool:
    """True when every row of ``model`` has a unit at the end of ``path_field`` (a unit path such as
    ``"project__unit__path"``): no link on the way may be empty."""
    options = model._meta
    for name in path_field.split("__")[:-1]:
        field = options.get_field(name)
        if field.null:
            return False
        options = field.related_model._meta  # type: ignore[union-attr]  # a relation: a model class
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

    def visible_to(self, user: Person, action: str = "view") -> Self:
        """Rows of the subtrees in which ``user`` may perform ``action``; nothing for strangers."""
        if not self.permission_type:
            raise TypeError(f"{type(self).__name__} must name its permission_type")
        roots = scope_roots(user, action, on=self.permission_type)
        if not roots:
            return self.none()
        return self.filter(self.scope_q(roots, action))

    def visible_in(self, user: Person, unit: Node, action: str = "view") -> Self:
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
    # A scoped model's manager gives a ScopedQuerySet, which the plain Model type cannot say.
    return model._default_manager.none().permission_type  # type: ignore[attr-defined]


def acts_for(user: Person, action: str, unit: Node, *, on: str) -> bool:
    """True when the user holds, at ``unit`` itself or below it, a role granting ``action`` on
    records of type ``on``: the unit's own people, not its superiors (who see its records through
    ``user_can`` but do not answer or report in its name)."""
    return any(tree.is_within(g.path, unit.path) and role_allows(g.role, action, on) for g in grants_of(user))
