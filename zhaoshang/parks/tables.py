"""The table of idle assets: page columns and export columns."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, ListSource, Table
from zhaoshang.parks.filters import IdleAssetFilterSet
from zhaoshang.parks.models import IdleAsset

IDLE_TABLE = Table(
    columns=[
        Column("name", _("Name or location"), lambda a: a.name, order_by="name", link=True),
        Column("kind", _("Kind"), lambda a: a.get_kind_display(), order_by="kind"),
        Column("unit", _("Unit"), lambda a: a.unit.name, order_by="unit__path"),
        Column("area", _("Area"), lambda a: a.area, order_by="area", number_format="#,##0.00"),
        Column("owner", _("Owner"), lambda a: a.owner),
        Column("condition", _("Condition"), lambda a: a.condition),
        Column("asking_terms", _("Asking terms"), lambda a: a.asking_terms),
        Column("status", _("Status"), lambda a: a.get_status_display(), order_by="status"),
    ],
    default_order="-created_at",
)


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("unit")


IDLE_LIST = ListSource(IdleAsset, IdleAssetFilterSet, IDLE_TABLE, decorate=_listed)
