"""A trade fair's figures from the records, as the reports write them ("推介重點招商項目4個，簽訂
意向協議1個，意向投資額1900萬元"): the offers promoted there (Offer.fairs), and the projects linked
to the fair (Activity.projects) that reached an intent agreement or a contract, with their
investment."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from zhaoshang.projects.choices import Currency, Stage
from zhaoshang.projects.stages import RANK


@dataclass(frozen=True)
class FairFigures:
    offers: int
    intents: int
    contracts: int
    intended_amount: Decimal


def figures(activity: Any) -> FairFigures:
    projects = activity.projects.all()
    intents = projects.filter(reached_stage__gte=RANK[Stage.INTENT])
    contracts = projects.filter(reached_stage__gte=RANK[Stage.SIGNED])
    amount = intents.filter(currency=Currency.CNY).aggregate(total=Sum("total_investment"))["total"]
    return FairFigures(
        offers=activity.offers.count(),
        intents=intents.count(),
        contracts=contracts.count(),
        intended_amount=amount or Decimal(0),
    )
