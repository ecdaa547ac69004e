"""The activity table: the list page's columns and the exported columns."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.filters import ActivityFilterSet
from zhaoshang.activities.models import Activity
from zhaoshang.core.tables import Column, ListSource, Table


def _names(related: str):
    return lambda a: "、".join(x.name for x in getattr(a, related).all())


ACTIVITY_TABLE = Table(
    columns=[
        Column("starts_on", _("Starts on"), lambda a: a.starts_on, order_by="starts_on"),
        Column("ends_on", _("Ends on"), lambda a: a.ends_on, html=False),
        Column("kind", _("Activity type"), lambda a: a.get_kind_display(), order_by="kind"),
        Column("title", _("Title"), lambda a: a.title, order_by="title", link=True),
        Column("unit", _("Unit"), lambda a: a.unit.name, order_by="unit__path"),
        Column("place", _("Place"), lambda a: a.place),
        Column("days_away", _("Days away"), lambda a: a.days_away, html=False),
        Column("people", _("Number of people"), lambda a: a.people),
        Column("team", _("Team members"), lambda a: a.team, html=False),
        Column("hosts", _("Hosts"), lambda a: a.hosts, html=False),
        Column("investors", _("Investors"), _names("investors")),
        Column("projects", _("Projects"), _names("projects")),
        Column("channel", _("Channel"), lambda a: a.get_channel_display(), html=False),
        Column("content", _("Content"), lambda a: a.content, html=False),
        Column("intents", _("Intent agreements"), lambda a: a.intents, html=False),
        Column(
            "amount", _("Amount (10,000 CNY)"), lambda a: a.amount, html=False, number_format="#,##0.00##"
        ),
        Column("materials", _("Materials handed out"), lambda a: a.materials, html=False),
        Column("outcome", _("Outcome"), lambda a: a.outcome, html=False),
    ],
    default_order="-starts_on",
)

PREFETCH = ("investors", "projects")
SELECT = ("unit",)


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related(*SELECT).prefetch_related(*PREFETCH)


ACTIVITY_LIST = ListSource(Activity, ActivityFilterSet, ACTIVITY_TABLE, decorate=_listed)
