"""The tables of landed enterprises and quarterly returns: page columns and export columns. The
return table's export columns are also the columns of the return import (importing.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, ListSource, Table
from zhaoshang.enterprises.filters import EnterpriseFilterSet, ReturnFilterSet, VisitFilterSet
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn, Visit

AMOUNT_FORMAT = "#,##0.0000"


def _yes(value: bool) -> str:
    return str(_("yes")) if value else ""


def _stewards(e: Enterprise) -> str:
    return "、".join(s.display_name or s.username for s in e.stewards.all())


ENTERPRISE_TABLE = Table(
    columns=[
        Column("name", _("Enterprise name"), lambda e: e.name, order_by="name", link=True),
        Column(
            "credit_code", _("Unified social credit code"), lambda e: e.credit_code, order_by="credit_code"
        ),
        Column("unit", _("Unit"), lambda e: e.unit.name, order_by="unit__path"),
        Column("park", _("Park"), lambda e: e.park.name if e.park else ""),
        Column("investor", _("Investor"), lambda e: e.investor.name if e.investor else "", html=False),
        Column("industry", _("Industry (GB/T 4754)"), lambda e: e.get_industry_section_display(), html=False),
        Column("land_mu", _("Land (mu)"), lambda e: e.land_mu, order_by="land_mu", number_format="#,##0.00"),
        Column("key", _("Key enterprise"), lambda e: _yes(e.key), order_by="key"),
        Column(
            "above_scale_on",
            _("Above the threshold since"),
            lambda e: e.above_scale_on,
            order_by="above_scale_on",
        ),
        Column("operating_on", _("In production since"), lambda e: e.operating_on, html=False),
        Column("stewards", _("Steward officials"), _stewards),
        Column("project", _("Project"), lambda e: e.project.name if e.project else "", html=False),
    ],
    default_order="name",
)


RETURN_TABLE = Table(
    columns=[
        Column(
            "enterprise",
            _("Enterprise name"),
            lambda r: r.enterprise.name,
            order_by="enterprise__name",
            link=True,
        ),
        Column(
            "credit_code", _("Unified social credit code"), lambda r: r.enterprise.credit_code, html=False
        ),
        Column("unit", _("Unit"), lambda r: r.enterprise.unit.name, order_by="enterprise__unit__path"),
        Column("year", _("Year"), lambda r: r.year, order_by="year"),
        Column("quarter", _("Quarter"), lambda r: r.quarter, order_by="quarter"),
        Column(
            "output",
            _("Output value (10k yuan)"),
            lambda r: r.output,
            order_by="output",
            number_format=AMOUNT_FORMAT,
        ),
        Column("sales", _("Sales (10k yuan)"), lambda r: r.sales, number_format=AMOUNT_FORMAT),
        Column("tax", _("Tax paid (10k yuan)"), lambda r: r.tax, order_by="tax", number_format=AMOUNT_FORMAT),
        Column("jobs", _("Jobs"), lambda r: r.jobs, order_by="jobs"),
        Column("energy", _("Energy use (tce)"), lambda r: r.energy, number_format="#,##0.00"),
        Column("status", _("Status"), lambda r: r.get_status_display(), order_by="status"),
        Column("return_reason", _("Reason for returning"), lambda r: r.return_reason, html=False),
    ],
    default_order="-year",
)


def _listed_enterprises(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("unit", "park", "investor", "project").prefetch_related("stewards")


def _listed_returns(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("enterprise__unit")


ENTERPRISE_LIST = ListSource(Enterprise, EnterpriseFilterSet, ENTERPRISE_TABLE, decorate=_listed_enterprises)
RETURN_LIST = ListSource(QuarterlyReturn, ReturnFilterSet, RETURN_TABLE, decorate=_listed_returns)


VISIT_TABLE = Table(
    columns=[
        Column("visited_on", _("Visited on"), lambda v: v.visited_on, order_by="visited_on"),
        Column(
            "enterprise",
            _("Enterprise name"),
            lambda v: v.enterprise.name,
            order_by="enterprise__name",
            link=True,
        ),
        Column("unit", _("Unit"), lambda v: v.enterprise.unit.name, order_by="enterprise__unit__path"),
        Column("visitors", _("Visited by"), lambda v: v.visitors),
        Column("findings", _("Production and operation found"), lambda v: v.findings),
        Column("problems", _("Problems raised"), lambda v: v.problems),
        Column("request", _("Request for coordination"), lambda v: v.request.title if v.request else ""),
    ],
    default_order="-visited_on",
)


def _listed_visits(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("enterprise__unit", "request")


VISIT_LIST = ListSource(Visit, VisitFilterSet, VISIT_TABLE, decorate=_listed_visits)
