"""The unit table: columns of the tree page and of the unit export (which the unit import reads)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, ListSource, Table
from zhaoshang.units.filters import UnitFilterSet
from zhaoshang.units.models import Unit

UNIT_TABLE = Table(
    columns=[
        Column("name", _("Unit name"), lambda u: u.name, order_by="name", link=True),
        Column("code", _("Unit code"), lambda u: u.code, order_by="code"),
        Column("kind", _("Kind"), lambda u: u.get_kind_display(), order_by="kind"),
        Column("parent_code", _("Parent code"), lambda u: u.parent.code if u.parent_id else ""),
        Column("parent", _("Parent unit"), lambda u: u.parent.name if u.parent_id else ""),
        Column("short_name", _("Short name"), lambda u: u.short_name, html=False),
        Column("sort_order", _("Sort order"), lambda u: u.sort_order, html=False),
        Column("is_active", _("Active"), lambda u: _("yes") if u.is_active else _("no")),
    ],
    default_order="path",
    extra_orderings={"tree": "path"},
)


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("parent")


UNIT_LIST = ListSource(Unit, UnitFilterSet, UNIT_TABLE, decorate=_listed)
