"""Likely duplicates of an investor: the rule of what "the same name" means.

A name is reduced to a key before comparing: full-width characters become half-width (NFKC),
traditional characters simplified (zhconv), case, spaces and punctuation dropped, the text in
brackets dropped (阿里巴巴（中国）有限公司), company-form suffixes (有限公司, 股份有限公司, 集团, Co.,
Ltd. …) and leading place names (浙江省, 温州市, 温州 …) removed as long as something is left.
Two keys that are equal are the same name; one containing the other, or close by edit ratio, is a
similar name. Contacts with the same phone number or e-mail address are a match too.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import zhconv
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Longest first, so that 股份有限公司 goes before 有限公司.
SUFFIXES = sorted(
    {
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "股份公司",
        "集团公司",
        "总公司",
        "分公司",
        "公司",
        "集团",
        "控股",
        "企业",
        "coltd",
        "coltd.",
        "limited",
        "ltd",
        "inc",
        "corp",
        "corporation",
        "company",
        "group",
        "co",
    },
    key=len,
    reverse=True,
)
PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "台湾",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
    "香港",
    "澳门",
]
# Cities investors most often come from; any other two-character name followed by 市 is dropped too.
CITIES = [
    "温州",
    "宁波",
    "杭州",
    "台州",
    "金华",
    "绍兴",
    "嘉兴",
    "湖州",
    "义乌",
    "苏州",
    "无锡",
    "常州",
    "南京",
    "南通",
    "泉州",
    "厦门",
    "福州",
    "莆田",
    "晋江",
    "深圳",
    "广州",
    "东莞",
    "佛山",
    "汕头",
    "中山",
    "珠海",
    "青岛",
    "济南",
    "烟台",
    "郑州",
    "武汉",
    "长沙",
    "成都",
    "西安",
    "合肥",
    "南昌",
]
_PROVINCE_RE = re.compile(
    "^(?:" + "|".join(sorted(PROVINCES, key=len, reverse=True)) + r")(?:省|市|自治区|特别行政区)?"
)
_CITY_RE = re.compile("^(?:(?:" + "|".join(CITIES) + r")市?|[\u4e00-\u9fff]{2}市)")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)
MIN_CORE = 2
SIMILAR_RATIO = 0.8


def plain(text: str) -> str:
    """Half-width, simplified, lower case; brackets kept."""
    return zhconv.convert(unicodedata.normalize("NFKC", text or ""), "zh-hans").lower().strip()


def name_key(name: str) -> str:
    """The key two names of the same investor share."""
    return split_name(name)[1]


def split_name(name: str) -> tuple[str, str]:
    """(place prefix, core) of a name: 浙江温州正泰电器股份有限公司 -> (浙江温州, 正泰电器)."""
    text = _BRACKETS.sub("", plain(name))
    text = _NOISE.sub("", text)
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) - len(suffix) >= MIN_CORE:
                text, changed = text[: -len(suffix)], True
                break
    place = ""
    for pattern in (_PROVINCE_RE, _CITY_RE):
        match = pattern.match(text)
        if match and len(text) - match.end() >= MIN_CORE:
            place += re.sub("(省|市|自治区|特别行政区)$", "", match.group())
            text = text[match.end() :]
    return place, text


def places_agree(a: str, b: str) -> bool:
    """温州鞋业 and 泉州鞋业 are two firms; 温州 and 浙江温州 (or no place at all) may be one."""
    return not a or not b or a in b or b in a


def similar(a: str, b: str) -> bool:
    """Two keys that are likely the same name (neither empty)."""
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= MIN_CORE + 1 and (a in b or b in a)):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILAR_RATIO


def phone_key(phone: str) -> str:
    """Digits only, without the country code, so 138-0000-0000 and +86 13800000000 agree."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))
    return digits[2:] if digits.startswith("86") and len(digits) > 11 else digits


@dataclass(frozen=True)
class Match:
    """A likely duplicate and why."""

    investor: Any
    reason: str
    exact: bool = False


def likely_duplicates(
    candidates: Any,
    *,
    name: str,
    credit_code: str = "",
    phones: list[str] | tuple[str, ...] = (),
    emails: list[str] | tuple[str, ...] = (),
    exclude_pk: int | None = None,
) -> list[Match]:
    """The investors among ``candidates`` (a queryset the user may see) that look like the one
    described: the same credit code first (exact), then the same or a similar name, then a contact
    with the same phone or e-mail."""
    from zhaoshang.investors.models import Contact, Investor

    if exclude_pk is not None:
        candidates = candidates.exclude(pk=exclude_pk)
    found: dict[int, Match] = {}
    if credit_code:
        for investor in candidates.filter(credit_code=credit_code):
            found[investor.pk] = Match(investor, str(_("same credit code")), exact=True)
    place, key = split_name(name)
    # A name longer than the field holds is refused by the caller; searching for it first would
    # build one LIKE per character pair (the probe's 1,200 characters made a 500 of an import).
    if key and len(name) <= Investor._meta.get_field("name").max_length:
        # Only names sharing two consecutive characters with the key can be similar enough: the
        # database narrows the candidates before the comparison in Python.
        shared = Q(name_key=key)
        for pair in sorted({key[i : i + 2] for i in range(len(key) - 1)}):
            shared |= Q(name_key__contains=pair)
        narrowed = candidates.filter(shared).only("pk", "name", "name_key", "unit_id")
        for investor in narrowed.iterator(2000):
            if investor.pk in found or not similar(investor.name_key, key):
                continue
            if not places_agree(place, split_name(investor.name)[0]):
                continue
            reason = _("same name") if investor.name_key == key else _("similar name")
            found[investor.pk] = Match(investor, str(reason))
    wanted_phones = {phone_key(p) for p in phones if len(phone_key(p)) >= 7}
    wanted_emails = {e.strip().lower() for e in emails if e.strip()}
    if wanted_phones or wanted_emails:
        query = Q(email__in=wanted_emails) if wanted_emails else Q(pk__in=[])
        contacts = (
            Contact.objects.filter(investor__in=candidates)
            .filter(query | Q(phone__gt=""))
            .select_related("investor")
        )
        for contact in contacts.iterator(2000):
            if contact.investor_id in found:
                continue
            if phone_key(contact.phone) in wanted_phones:
                found[contact.investor_id] = Match(contact.investor, str(_("same contact phone")))
            elif contact.email and contact.email.lower() in wanted_emails:
                found[contact.investor_id] = Match(contact.investor, str(_("same contact e-mail")))
    return sorted(found.values(), key=lambda m: (not m.exact, m.investor.name))
