"""The tables of inspections and rectification items: page columns and export columns."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, ListSource, Table, light_cell
from zhaoshang.inspections.filters import InspectionFilterSet, ItemFilterSet
from zhaoshang.inspections.models import Inspection, RectificationItem, with_visible_items


def _open(i: Inspection) -> int:
    return sum(1 for item in i.items.all() if item.status == "open")


INSPECTION_TABLE = Table(
    columns=[
        Column("year", _("Year"), lambda i: i.year, order_by="year"),
        Column("quarter", _("Quarter"), lambda i: i.get_quarter_display(), order_by="quarter"),
        Column("unit", _("Inspected unit"), lambda i: i.unit.name, order_by="unit__path", link=True),
        Column("project", _("Project"), lambda i: i.project.name if i.project else ""),
        Column("inspected_on", _("Inspected on"), lambda i: i.inspected_on, order_by="inspected_on"),
        Column("inspectors", _("Inspectors"), lambda i: i.inspectors),
        Column("findings", _("Findings"), lambda i: i.findings, html=False),
        Column("items", _("Rectification items"), lambda i: len(i.items.all())),
        Column("open_items", _("Open"), _open),
    ],
    default_order="-inspected_on",
)


def _light(item: RectificationItem) -> str:
    return str(item.light().label)


ITEM_TABLE = Table(
    columns=[
        Column("deadline", _("Deadline"), lambda r: r.deadline, order_by="deadline"),
        Column("description", _("Rectification item"), lambda r: r.description, link=True),
        Column("owner_unit", _("Owner unit"), lambda r: r.owner_unit.name, order_by="owner_unit__path"),
        Column("inspection", _("Inspection"), lambda r: str(r.inspection)),
        Column("status", _("Status"), lambda r: r.get_status_display(), order_by="status"),
        Column("light", _("Light"), _light, cell=light_cell),
        Column("rectified_on", _("Rectified on"), lambda r: r.rectified_on),
        Column("evidence", _("Rectification done"), lambda r: r.evidence, html=False),
        Column("verified_on", _("Verified on"), lambda r: r.verified_on, html=False),
    ],
    default_order="deadline",
)


def _listed_inspections(queryset: QuerySet, user: Any) -> QuerySet:
    return with_visible_items(queryset.select_related("unit", "project"), user)


def _listed_items(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("owner_unit", "inspection__unit")


INSPECTION_LIST = ListSource(Inspection, InspectionFilterSet, INSPECTION_TABLE, decorate=_listed_inspections)
ITEM_LIST = ListSource(RectificationItem, ItemFilterSet, ITEM_TABLE, decorate=_listed_items)
