"""The offer table: the private list's columns and the exported columns (《重點招商項目表》)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.catalogue.choices import Prep
from zhaoshang.catalogue.filters import OfferFilterSet
from zhaoshang.catalogue.models import Offer
from zhaoshang.core.tables import Column, ListSource, Table, amount_column

PREP_LABELS = dict(Prep.choices)


def prep_text(offer: Any) -> str:
    return "、".join(str(PREP_LABELS[p]) for p in offer.prep if p in PREP_LABELS)


OFFER_TABLE = Table(
    columns=[
        Column("year", _("Year"), lambda o: o.year, order_by="year"),
        Column("name", _("Project name"), lambda o: o.name, order_by="name", link=True),
        Column("industry", _("Industry"), lambda o: o.get_industry_display(), order_by="industry"),
        Column("chain", _("Industry chain"), lambda o: o.chain, html=False),
        Column("unit", _("Lead unit"), lambda o: o.unit.name, order_by="unit__path"),
        Column("place", _("Project location"), lambda o: o.place),
        Column("content", _("Construction content and scale"), lambda o: o.content, html=False),
        Column("land_mu", _("Land (mu)"), lambda o: o.land_mu, html=False, number_format="#,##0.00"),
        Column("currency", _("Currency"), lambda o: o.get_currency_display(), html=False),
        amount_column("total_investment", _("Total investment (10k CNY / 10k USD)")),
        amount_column("sought_amount", _("Investment sought (10k CNY / 10k USD)"), sortable=False),
        Column("cooperation", _("Form of cooperation"), lambda o: o.get_cooperation_display()),
        Column("advantages", _("Advantages and conditions"), lambda o: o.advantages, html=False),
        Column("market", _("Market analysis and expected returns"), lambda o: o.market, html=False),
        Column("prep", _("Preparatory work done"), prep_text, html=False),
        Column("contact", _("Contact person"), lambda o: o.contact_name, html=False),
        Column("phone", _("Contact phone"), lambda o: o.contact_phone, html=False),
        Column("status", _("Status"), lambda o: o.get_status_display(), order_by="status"),
    ],
    default_order="-year",
)


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("unit")


OFFER_LIST = ListSource(Offer, OfferFilterSet, OFFER_TABLE, decorate=_listed)
