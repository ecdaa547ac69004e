"""The request table: the list page's columns and, in the same order, the exported columns."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.coordination.filters import RequestFilterSet
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.coordination.sources import short as short_source
from zhaoshang.core.actors import actor_display
from zhaoshang.core.tables import Column, ListSource, Table, light_cell


def _light(r: CoordinationRequest) -> str:
    state = r.light()
    return str(state.label) if state else ""


REQUEST_TABLE = Table(
    columns=[
        Column("id", _("No."), lambda r: r.pk, order_by="id"),
        Column("title", _("Title"), lambda r: r.title, order_by="title", link=True),
        Column("kind", _("Request type"), lambda r: r.get_kind_display(), order_by="kind"),
        Column("unit", _("Requesting unit"), lambda r: r.unit.name, order_by="unit__path"),
        Column("project", _("Project"), lambda r: r.project.name if r.project else ""),
        Column("owner_unit", _("Owner unit"), lambda r: r.owner_unit.name if r.owner_unit else ""),
        Column("status", _("Status"), lambda r: r.get_status_display(), order_by="status"),
        Column("raised_on", _("Raised on"), lambda r: r.raised_on, order_by="raised_on"),
        Column("deadline", _("Deadline"), lambda r: r.deadline, order_by="deadline"),
        Column("light", _("Light"), _light, cell=light_cell),
        Column("answered_on", _("Answered on"), lambda r: r.answered_on, html=False),
        Column("rating", _("Rating"), lambda r: r.rating, order_by="rating"),
        Column("rating_comment", _("Evaluation"), lambda r: r.rating_comment, html=False),
        Column("description", _("Description"), lambda r: r.description, html=False),
        Column("raised_by", _("Raised by"), lambda r: actor_display(r.raised_by_name), html=False),
        Column("source", _("Raised from"), lambda r: short_source(r.source), html=False),
    ],
    default_order="-id",
)

SELECT = ("unit", "owner_unit", "project")


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related(*SELECT)


REQUEST_LIST = ListSource(CoordinationRequest, RequestFilterSet, REQUEST_TABLE, decorate=_listed)
