"""Numerals as they are written in the reports: Arabic (4.34, 1,200), Chinese (三, 二十, 貳仟), mixed
(1.5萬, 7萬多), fractions (三分之一, 一半, 半數) and per cent (112.7%, 百分之十).

Values are Decimal, never float. The text is expected in Simplified script (the reader converts it
for matching first), but the financial forms of the digits are read in both scripts.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7,
    "捌": 8, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

CN_DIGIT_CHARS = "".join(DIGITS)
CN_NUMERAL_CHARS = CN_DIGIT_CHARS + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
CN_NUMERAL = f"[{CN_NUMERAL_CHARS}]+"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"


def parse_arabic(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


def parse_chinese(text: str) -> Decimal:
    """A Chinese numeral: 三, 十二, 一百零五, 貳仟, 三千五百万, 一亿二千万, 二〇〇九 (digit by digit)."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        # 二〇〇九: digits written one after the other.
        return Decimal("".join(str(DIGITS[ch]) for ch in text))
    total = Decimal(0)  # completed 亿/万 sections
    section = Decimal(0)  # below the current big unit
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            section += digit or 0
            big = BIG_UNITS[ch]
            if section == 0:
                section = Decimal(1)
            if total and total < big:
                total = (total + section) * big
            else:
                total += section * big
            section = Decimal(0)
            digit = None
    return total + section + (digit or 0)


def parse_number(text: str) -> Decimal:
    """Arabic, Chinese or mixed (1.5万, 4.34亿, 3千): the value in units of one."""
    text = text.strip()
    if not text:
        raise ValueError("empty number")
    m = re.fullmatch(rf"({ARABIC})([十拾百佰千仟万萬亿億]*)", text)
    if m:
        value = parse_arabic(m.group(1))
        for ch in m.group(2):
            value *= SMALL_UNITS.get(ch) or BIG_UNITS[ch]
        return value
    return parse_chinese(text)


def parse_fraction(text: str) -> Decimal:
    """三分之一, 2/3 as written with 分之, 一半, 半数, 百分之十二: the share in per cent, two decimals."""
    text = text.strip()
    if text in {"一半", "半数", "半數", "过半", "過半"}:
        return Decimal(50)
    m = re.fullmatch(rf"百分之({ARABIC}|{CN_NUMERAL})(?:点([{CN_DIGIT_CHARS}]+))?", text)
    if m:
        value = parse_number(m.group(1))
        if m.group(2):
            value += Decimal("0." + "".join(str(DIGITS[c]) for c in m.group(2)))
        return value
    m = re.fullmatch(rf"({ARABIC}|{CN_NUMERAL})分之({ARABIC}|{CN_NUMERAL})", text)
    if not m:
        raise ValueError(f"not a fraction: {text!r}")
    denominator, numerator = parse_number(m.group(1)), parse_number(m.group(2))
    if denominator == 0:
        raise ValueError(f"zero denominator: {text!r}")
    return (numerator * 100 / denominator).quantize(Decimal("0.01"))
