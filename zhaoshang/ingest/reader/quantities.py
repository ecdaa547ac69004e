"""Quantities in a line of (Simplified) text: value, unit normalised, qualifier and span.

Units are normalised as the ledger keeps them: money in 万元 or 万美元 (亿元 ×10000, 元 ÷10000),
areas in 亩 or 平方米 (万亩, 万平方米 ×10000), lengths in 米, shares in per cent, and every counting
word (个, 家, 人, 人次, 项, 名 …) as a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.ingest.reader.numerals import ARABIC, CN_NUMERAL_CHARS, parse_fraction, parse_number

COUNT_WORDS = "批次|人次|个|家|人|次|项|名|篇|户|套|册|件|条|处|批|份|本|场|座|所"
# unit as written -> (normalised unit, factor)
UNITS: dict[str, tuple[str, Decimal]] = {
    "美元": ("万美元", Decimal("0.0001")),
    "元": ("万元", Decimal("0.0001")),
    "平方公里": ("平方米", Decimal(1_000_000)),
    "平方米": ("平方米", Decimal(1)),
    "㎡": ("平方米", Decimal(1)),
    "亩": ("亩", Decimal(1)),
    "公里": ("米", Decimal(1000)),
    "千米": ("米", Decimal(1000)),
    "米": ("米", Decimal(1)),
    "天": ("天", Decimal(1)),
    "%": ("%", Decimal(1)),
    "％": ("%", Decimal(1)),
}
for _w in COUNT_WORDS.split("|"):
    UNITS[_w] = ("count", Decimal(1))
MONEY = {"万元", "万美元"}
MEASURE = {"万元", "万美元", "亩", "平方米", "米"}

_UNIT_RE = "|".join(sorted((re.escape(u) for u in UNITS), key=len, reverse=True))
_CN_START = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾"
_NUM = rf"(?:{ARABIC}[十百千万亿]*|[{_CN_START}][{CN_NUMERAL_CHARS}]*)"
QUANTITY = re.compile(
    rf"(?P<pre>近|约|超过|超|逾|不少于|不低于)?"
    rf"(?P<per>每亩|每平方米)?"
    rf"(?P<num>{_NUM})(?P<mid>多|余)?(?P<mult>[万亿]?)(?P<unit>{_UNIT_RE})?(?P<post>多|余|以上|左右)?"
)
FRACTION = re.compile(
    rf"(?P<num>百分之(?:{ARABIC}|[{CN_NUMERAL_CHARS}]+)(?:点[{_CN_START}]+)?|"
    rf"(?:{ARABIC}|[{_CN_START}][{CN_NUMERAL_CHARS}]*)分之(?:{ARABIC}|[{_CN_START}][{CN_NUMERAL_CHARS}]*)|"
    rf"一半|半数|过半)"
)
# The words before a bare 万 that make it money ("计划投资6000万的…").
_MONEY_CONTEXT = re.compile(r"(投资|资金|引资|资|金额|额|产值|销售|收入|税)[^,，。；;]{0,4}$")
# Counting words that a Chinese numeral uses as an article or in set phrases (一个"勤"字, 四个方面):
# such a count is kept only before punctuation or a word of the work.
_WORK_NOUN = re.compile(
    r"^(项目|企业|公司|客商|单位|协议|合同|人员|干部|园区|工业|招商|外商|投资|批次|[,，。；;、:：)）]|$)"
)


@dataclass
class Quantity:
    start: int
    end: int
    value: Decimal
    unit: str  # normalised: 万元, 万美元, 亩, 平方米, 米, 天, %, count, 万元/亩
    text: str
    qualifier: str = ""
    chinese: bool = False
    unit_assumed: bool = False


def _normalise(value: Decimal) -> Decimal:
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity with a unit in ``text`` (Simplified), in order, without ordinals, dates,
    codes, titles of documents or set phrases."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in FRACTION.finditer(text):
        try:
            value = parse_fraction(m.group("num"))
        except ValueError:
            continue
        found.append(Quantity(m.start(), m.end(), _normalise(value), "%", m.group(0), chinese=True))
        taken.append((m.start(), m.end()))
    for m in QUANTITY.finditer(text):
        if any(a < m.end("num") and m.start("num") < b for a, b in taken):
            continue
        q = _quantity(text, m)
        if q is not None:
            found.append(q)
    found.sort(key=lambda q: q.start)
    return [q for q in found if not _excluded(text, q)]


def _quantity(text: str, m: re.Match[str]) -> Quantity | None:
    num, unit = m.group("num"), m.group("unit")
    mult = m.group("mult") or ""
    chinese = not num[0].isdigit()
    # A Chinese numeral swallows 万/亿 itself: 二十万元 is 二十万 + 元.
    if chinese and num[-1] in "万亿" and not mult:
        pass
    unit_assumed = False
    if unit is None:
        # A bare 万/亿 after money words is 万元: "计划投资6000万的".
        if (mult or num[-1] in "万亿") and _MONEY_CONTEXT.search(text[: m.start()]):
            unit, unit_assumed = "元", True
        else:
            return None
    try:
        value = parse_number(num)
    except ValueError:
        return None
    if mult:
        value *= 10_000 if mult == "万" else 100_000_000
    norm, factor = UNITS[unit]
    if norm == "%" and (mult or chinese):
        return None
    points = unit == "个" and text.startswith("百分点", m.end())
    if points:
        norm = "%"  # "提高15个百分点": percentage points, not a count
    value *= factor
    if m.group("per") == "每亩" and norm == "万元":
        norm = "万元/亩"
    qualifier = "".join(q for q in (m.group("pre"), m.group("mid"), m.group("post")) if q)
    start = m.start("pre") if m.group("pre") else m.start("num")
    end = m.end() + (len("百分点") if points else 0)
    if points:
        qualifier = (qualifier + "百分点").strip()
    return Quantity(start, end, _normalise(value), norm, text[start:end], qualifier, chinese, unit_assumed)


def _excluded(text: str, q: Quantity) -> bool:
    before = text[: q.start]
    after = text[q.end :]
    if before.endswith(("第", "序号", "编号")) or re.search(r"[A-Za-z0-9.\-/]$", before):
        return True  # ordinal, code (S202), part of a longer number
    if re.match(r"[A-Za-z]", after):
        return True
    if before.rfind("《") > before.rfind("》"):
        return True  # inside the title of a document
    if q.chinese and q.unit in {"count", "天"}:
        numeral = re.match(rf"[{CN_NUMERAL_CHARS}]+", q.text)
        if numeral is None or numeral.group(0) in {"一", "壹"}:
            return True  # 一个, 每一天: an article, not a count
        if q.unit == "count" and not _WORK_NOUN.match(after):
            return True  # 四个方面, 三个代表, 两个加快
    return False
