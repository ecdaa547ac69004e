"""What the public site shows of an offer, in the visitor's language: built only from the dicts of
``Offer.objects.published()`` (the site's one query), never from a model instance, so a template
cannot reach a field that is not public.

Simplified is the text as entered; Traditional is derived from it (core/chinese.py); English is what
the bureau entered, and where it entered none the Chinese text is shown, marked as untranslated."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhaoshang.catalogue.choices import SIZE_BOUNDS, Cooperation, Prep
from zhaoshang.catalogue.models import Offer
from zhaoshang.core.chinese import text_q, to_traditional
from zhaoshang.projects.choices import Currency, IndustrySection

LANGS = ("zh-hans", "zh-hant", "en")
TRANSLATED = ("name", "chain", "place", "content", "advantages", "market")


@dataclass(frozen=True)
class Text:
    """A text in the visitor's language; ``fallback`` when it is the Chinese shown for a missing
    English translation (the page marks it)."""

    value: str
    fallback: bool = False

    def __str__(self) -> str:
        return self.value


def localize(value: str, english: str | None, lang: str) -> Text:
    if lang == "en":
        return Text(english, False) if english else Text(value, bool(value))
    if lang == "zh-hant":
        return Text(to_traditional(value))
    return Text(value)


def chinese(value: str, lang: str) -> str:
    """A Chinese proper name (a township, a park), in the script of the page."""
    return to_traditional(value) if lang == "zh-hant" else value


@dataclass
class PublicOffer:
    pk: int
    lang: str
    text: dict[str, Text]
    industry: str
    cooperation: str
    unit_name: str
    park_name: str
    county_name: str
    county_id: int | None
    unit_id: int
    currency: str
    total_investment: Decimal
    sought_amount: Decimal | None
    land_mu: Decimal | None
    floor_area: Decimal | None
    expected_sales: Decimal | None
    expected_profit_tax: Decimal | None
    jobs: int | None
    payback_years: Decimal | None
    prep: list[str]
    contact_name: str
    public_phone: str
    contact_email: str
    year: int
    photos: list[int] = field(default_factory=list)

    @property
    def description(self) -> str:
        """The page's meta description: the start of the construction content."""
        words = " ".join(self.text["content"].value.split())
        return words[:150] + ("…" if len(words) > 150 else "")

    @property
    def untranslated(self) -> bool:
        return any(t.fallback for t in self.text.values())


def build(row: dict[str, Any], lang: str, photos: list[int] | None = None) -> PublicOffer:
    """A PublicOffer from one dict of ``published()``."""
    sections = dict(IndustrySection.choices)
    forms = dict(Cooperation.choices)
    currencies = dict(Currency.choices)
    preps = dict(Prep.choices)
    return PublicOffer(
        pk=row["pk"],
        lang=lang,
        text={name: localize(row[name] or "", row.get(f"{name}_en"), lang) for name in TRANSLATED},
        industry=str(sections.get(row["industry"], "")),
        cooperation=str(forms.get(row["cooperation"], "")),
        unit_name=chinese(row["unit_name"] or "", lang),
        park_name=chinese(row["park_name"] or "", lang),
        county_name=chinese(row["county_name"] or "", lang),
        county_id=row["county_id"],
        unit_id=row["unit_id"],
        currency=str(currencies.get(row["currency"], "")),
        total_investment=row["total_investment"],
        sought_amount=row["sought_amount"],
        land_mu=row["land_mu"],
        floor_area=row["floor_area"],
        expected_sales=row["expected_sales"],
        expected_profit_tax=row["expected_profit_tax"],
        jobs=row["jobs"],
        payback_years=row["payback_years"],
        prep=[str(preps[p]) for p in row["prep"] or [] if p in preps],
        contact_name=chinese(row["contact_name"] or "", lang),
        public_phone=row["public_phone"] or "",
        contact_email=row["contact_email"] or "",
        year=row["year"],
        photos=photos or [],
    )


def published() -> QuerySet:
    """The site's one query (``Offer.objects.published()``), newest first."""
    return Offer.objects.published().order_by("-published_at", "-pk")


def search(rows: QuerySet, params: Any) -> QuerySet:
    """The public list's search and filters: text, industry, place (lead unit or park), size."""
    text = (params.get("q") or "").strip()[:50]
    if text:
        rows = rows.filter(
            text_q(text, "name", "name_en", "chain", "place", "content") | Q(unit__name__icontains=text)
        )
    industry = params.get("industry")
    if industry in IndustrySection.values:
        rows = rows.filter(industry=industry)
    place = params.get("place")
    if place and str(place).isdigit():
        rows = rows.filter(Q(unit_id=int(place)) | Q(park_id=int(place)))
    low, high = SIZE_BOUNDS.get(params.get("size") or "", (None, None))
    if low is not None:
        rows = rows.filter(total_investment__gte=low)
    if high is not None:
        rows = rows.filter(total_investment__lt=high)
    return rows


def places(lang: str) -> list[tuple[int, str]]:
    """The places of the filter: the lead units and parks of published offers."""
    found: dict[int, str] = {}
    for row in Offer.objects.published().values("unit_id", "unit_name", "park_id", "park_name").distinct():
        found[row["unit_id"]] = row["unit_name"]
        if row["park_id"]:
            found[row["park_id"]] = row["park_name"]
    return sorted(((pk, chinese(name, lang)) for pk, name in found.items()), key=lambda p: p[1])


def untranslated_note() -> str:
    return _("Not yet translated: shown in Chinese.")


def photos_of(pks: list[int]) -> dict[int, list[int]]:
    """The photos of these published offers (documents are never public)."""
    from zhaoshang.catalogue.choices import FileKind
    from zhaoshang.catalogue.models import OfferFile

    found: dict[int, list[int]] = {}
    rows = OfferFile.objects.filter(
        kind=FileKind.PHOTO, offer_id__in=Offer.objects.published().filter(pk__in=pks).values("pk")
    ).order_by("id")
    for offer_id, pk in rows.values_list("offer_id", "pk"):
        found.setdefault(offer_id, []).append(pk)
    return found
