"""Shapes of units (單位) in the JSON API."""

from __future__ import annotations

from typing import Annotated, TypeAlias

from ninja import Field, Schema
from pydantic import StringConstraints

from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

# The services check the column sizes too; here they are documented in the schema and stripped.
Name: TypeAlias = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
ShortName: TypeAlias = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]
Code: TypeAlias = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]


class UnitRef(Schema):
    """A unit named in another record (a project's location, an investor's owner)."""

    id: int
    name: str


class UnitOut(Schema):
    id: int
    kind: UnitKind
    kind_label: str
    name: str
    short_name: str
    code: str = Field(..., description="National administrative division code, or a local code.")
    parent_id: int | None
    depth: int = Field(..., description="0 at the root of the tree.")
    sort_order: int
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj: Unit) -> str:
        return str(obj.get_kind_display())


class UnitIn(Schema):
    parent_id: int = Field(..., description="The unit to place the new one under; you must configure it.")
    kind: UnitKind
    name: Name
    short_name: ShortName = ""
    code: Code
    sort_order: int = 0
    is_active: bool = True


class UnitPatch(Schema):
    """Only the fields sent are changed; a new parent_id moves the unit with its whole subtree."""

    parent_id: int | None = None
    kind: UnitKind | None = None
    name: Name | None = None
    short_name: ShortName | None = None
    code: Code | None = None
    sort_order: int | None = None
    is_active: bool | None = None
