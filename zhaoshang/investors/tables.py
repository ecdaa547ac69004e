"""The investor table: the list page's columns and, in the same order, the exported columns (the
import reads the same headers back)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, ListSource, Table
from zhaoshang.investors.filters import InvestorFilterSet
from zhaoshang.investors.models import Investor


def _contacts(i: Investor) -> str:
    return "、".join(
        " ".join(x for x in (c.name, c.position, c.phone, c.email) if x) for c in i.contacts.all()
    )


INVESTOR_TABLE = Table(
    columns=[
        Column("name", _("Investor"), lambda i: i.name, order_by="name", link=True),
        Column(
            "credit_code", _("Unified social credit code"), lambda i: i.credit_code, order_by="credit_code"
        ),
        Column("kind", _("Investor type"), lambda i: i.get_kind_display()),
        Column("origin", _("Origin"), lambda i: i.origin),
        Column("industry", _("Industry"), lambda i: i.industry),
        Column("size", _("Size"), lambda i: i.get_size_display(), html=False),
        Column(
            "registered_capital",
            _("Registered capital (10,000 CNY)"),
            lambda i: i.registered_capital,
            html=False,
            number_format="#,##0.00##",
        ),
        Column("website", _("Website"), lambda i: i.website, html=False),
        Column("tags", _("Tags"), lambda i: i.tags),
        Column("unit", _("Owning unit"), lambda i: i.unit.name, order_by="unit__path"),
        Column("contacts", _("Contacts"), _contacts),
        Column(
            "next_follow_up_on",
            _("Next follow-up"),
            lambda i: i.next_follow_up_on,
            order_by="next_follow_up_on",
        ),
        Column("notes", _("Notes"), lambda i: i.notes, html=False),
    ],
    default_order="name",
)

PREFETCH = ("contacts",)
SELECT = ("unit",)


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related(*SELECT).prefetch_related(*PREFETCH)


INVESTOR_LIST = ListSource(Investor, InvestorFilterSet, INVESTOR_TABLE, decorate=_listed)
