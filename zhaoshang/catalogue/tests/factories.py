"""Offers for the tests, made through the services like any other."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from zhaoshang.catalogue import services
from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.models import Offer
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

INTERNAL_NOTE = "内部备注勿外传"
SECRET_PHONE = "13900001111"
OPINION_TEXT = "发改委审核意见机密"


def offer_data(unit: Unit, **data: Any) -> dict[str, Any]:
    return {
        "name": "生态茶园综合开发项目",
        "industry": "A",
        "chain": "茶叶",
        "unit": unit,
        "place": "城关镇茶山村",
        "content": "新建标准化生态茶园2000亩，配套加工厂房5000平方米。",
        "land_mu": Decimal("2000"),
        "currency": "CNY",
        "total_investment": Decimal("12000"),
        "sought_amount": Decimal("8000"),
        "cooperation": "joint",
        "advantages": "海拔适宜，土壤富硒。",
        "market": "年销售收入约6000万元。",
        "prep": ["filing", "land"],
        "contact_name": "王科长",
        "contact_phone": SECRET_PHONE,
        "phone_public": False,
        "year": 2026,
        "notes": INTERNAL_NOTE,
        **data,
    }


def make_offer(cast: Any, unit: Unit | None = None, *, status: str = OfferStatus.DRAFT, **data: Any) -> Offer:
    """An offer of ``unit`` (town A), moved by the system to ``status`` (published: through review,
    with a department's opinion recorded on the way)."""
    offer = services.create_offer(by=None, data=offer_data(unit or cast.town_a, **data))
    if status == OfferStatus.DRAFT:
        return offer
    services.move(offer, OfferStatus.REVIEW, by=None)
    if status == OfferStatus.REVIEW:
        return offer
    department = Unit.objects.filter(kind=UnitKind.DEPARTMENT, path__startswith=offer.county.path).first()
    if department is not None:
        opinion = services.ask_opinion(offer, department, by=None)
        services.record_opinion(opinion, by=None, agrees=True, text=OPINION_TEXT)
    services.move(offer, OfferStatus.PUBLISHED, by=None)
    if status == OfferStatus.WITHDRAWN:
        services.move(offer, OfferStatus.WITHDRAWN, by=None, note="已另行安排")
    offer.refresh_from_db()
    return offer
