"""The tables of inspections and rectification items: page columns and export columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table, light_cell
from zhaoshang.inspections.models import Inspection, RectificationItem


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
