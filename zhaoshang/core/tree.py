"""The materialized path of the unit tree, and the one way a query asks for a subtree.

A unit's path is the concatenation of fixed-width, zero-padded ids from the root down to the
unit itself, digits only ("00000001" + "00000007" + ...). Because it holds nothing but digits,
its ordering is the same under SQLite's binary collation and under any PostgreSQL collation,
so "the subtree of U" is the half-open range [U.path, next(U.path)) on one B-tree index:
every descendant starts with U.path, and the next number of the same width sorts after all
of them.
"""

from __future__ import annotations

from django.db.models import Q

SEGMENT_WIDTH = 8
MAX_DEPTH = 12
PATH_LENGTH = SEGMENT_WIDTH * MAX_DEPTH


def segment(pk: int) -> str:
    """The path segment of the unit with this primary key."""
    text = str(pk).zfill(SEGMENT_WIDTH)
    if len(text) != SEGMENT_WIDTH:
        raise ValueError(f"unit id {pk} does not fit a path segment of {SEGMENT_WIDTH} digits")
    return text


def upper_bound(path: str) -> str:
    """The smallest path of the same width that is not in the subtree of ``path``."""
    nxt = str(int(path) + 1).zfill(len(path))
    if len(nxt) != len(path):
        raise ValueError("path overflow")
    return nxt


def subtree_range(path: str) -> tuple[str, str]:
    """Half-open range of paths [low, high) covering ``path`` and all its descendants."""
    return path, upper_bound(path)


def ancestor_paths(path: str) -> list[str]:
    """Paths of the unit and each of its ancestors, root first."""
    return [path[: i + SEGMENT_WIDTH] for i in range(0, len(path), SEGMENT_WIDTH)]


def last_id(path: str) -> int:
    """The id of the unit whose path this is (its last segment)."""
    return int(path[-SEGMENT_WIDTH:])


def is_within(path: str, ancestor_path: str) -> bool:
    """True when ``path`` is ``ancestor_path`` or one of its descendants."""
    return path.startswith(ancestor_path)


def subtree_q(path: str, field: str = "unit__path") -> Q:
    """Rows whose ``field`` (a unit path) lies in the subtree of ``path``: one indexed range.

    Every "everything under unit U" filter is this, whatever the path column is called:
    ``subtree_q(u.path)`` for rows linked to a unit, ``subtree_q(u.path, "path")`` for units
    themselves, ``subtree_q(u.path, "unit_path")`` for roll-up rows that copy the path.
    """
    low, high = subtree_range(path)
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})
