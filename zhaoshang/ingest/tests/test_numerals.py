"""The numeral parser: every form the reports use, with property tests over generated values."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhaoshang.ingest.reader.numerals import parse_chinese, parse_fraction, parse_number
from zhaoshang.ingest.reader.quantities import find_quantities

_DIGITS = "零一二三四五六七八九"
_FINANCIAL = "零壹贰叁肆伍陆柒捌玖"


def to_chinese(n: int, digits: str = _DIGITS, units: str = "十百千") -> str:
    """A reference writer of Chinese numerals below 10^8 (四千零五万零三十)."""
    if n == 0:
        return digits[0]

    def below_10000(v: int) -> str:
        out, zero = "", False
        for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
            d = v // power % 10
            if d:
                if zero and out:
                    out += digits[0]
                out += digits[d] + unit
                zero = False
            else:
                zero = True
        return out

    high, low = divmod(n, 10_000)
    text = below_10000(high) + "万" if high else ""
    if low:
        if high and low < 1000:
            text += digits[0]
        text += below_10000(low)
    return text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_chinese(to_chinese(n)) == n


@given(st.integers(min_value=1, max_value=99_999_999))
def test_financial_numerals_round_trip(n: int) -> None:
    assert parse_chinese(to_chinese(n, _FINANCIAL, "拾佰仟")) == n


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["万元", "亿元"]))
def test_financial_amounts_in_wan(n: int, unit: str) -> None:
    (q,) = find_quantities(f"资金{to_chinese(n, _FINANCIAL, '拾佰仟')}{unit}。")
    assert q.unit == "万元"
    assert q.value == n * (10_000 if unit == "亿元" else 1)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2))
def test_yi_yuan_become_wan_yuan(value: Decimal) -> None:
    (q,) = find_quantities(f"到位资金{value}亿元,")
    assert q.unit == "万元" and q.value == value * 10_000


@given(st.integers(min_value=1, max_value=99_999), st.sampled_from(["万美元", "万元", "美元", "元"]))
def test_money_units(n: int, unit: str) -> None:
    (q,) = find_quantities(f"引进{n}{unit},")
    assert q.unit == ("万美元" if "美元" in unit else "万元")
    assert q.value == (n if unit.startswith("万") else Decimal(n) / 10_000)


@given(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("999.9"), places=1))
def test_wan_square_metres(value: Decimal) -> None:
    (q,) = find_quantities(f"完成标准厂房建设{value}万平方米,")
    assert q.unit == "平方米" and q.value == value * 10_000


@given(st.integers(min_value=2, max_value=99), st.integers(min_value=1, max_value=99))
def test_fractions_are_per_cent(denominator: int, numerator: int) -> None:
    text = f"{to_chinese(denominator)}分之{to_chinese(numerator)}"
    assert parse_fraction(text) == (Decimal(numerator * 100) / denominator).quantize(Decimal("0.01"))


@given(
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(["近", ""]),
    st.sampled_from(["多", "余", ""]),
    st.sampled_from(["家", "人次", "人", "个", "次", "项", "名"]),
)
def test_counts_keep_their_qualifier(n: int, before: str, after: str, unit: str) -> None:
    (q,) = find_quantities(f"共联系{before}{n}{after}{unit},")
    assert (q.value, q.unit, q.qualifier) == (n, "count", before + after)


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2))
def test_per_cent(value: Decimal) -> None:
    (q,) = find_quantities(f"占目标任务的{value}%。")
    assert q.unit == "%" and q.value == value


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("贰仟万元", 2000, "万元", ""),
        ("4.34亿元", 43400, "万元", ""),
        ("650万美元", 650, "万美元", ""),
        ("1.5万平方米", 15000, "平方米", ""),
        ("三分之一", Decimal("33.33"), "%", ""),
        ("一半", 50, "%", ""),
        ("7万多家", 70000, "count", "多"),
        ("近200万元", 200, "万元", "近"),
        ("100余人次", 100, "count", "余"),
        ("112.7%", Decimal("112.7"), "%", ""),
        ("10天以上", 10, "天", "以上"),
        ("3万亩", 30000, "亩", ""),
        ("3000元", Decimal("0.3"), "万元", ""),
        ("30多万元", 30, "万元", "多"),
        ("两亿元", 20000, "万元", ""),
        ("1.2万人次", 12000, "count", ""),
        ("百分之八十", 80, "%", ""),
        ("3千万元", 3000, "万元", ""),
        ("15个百分点", 15, "%", "百分点"),
    ],
)
def test_the_forms_of_the_reports(text: str, value: Decimal, unit: str, qualifier: str) -> None:
    (q,) = find_quantities(f"完成{text},")
    assert (q.value, q.unit, q.qualifier) == (Decimal(value), unit, qualifier)


@pytest.mark.parametrize(
    "text",
    [
        "第五届西博会",
        "S202县城过境路",
        "2009年4月份",
        "《重点招商项目表》",
        "抓好四个方面",
        "立足一个“勤”字",
        "三个代表",
        "每一天",
    ],
)
def test_ordinals_codes_dates_and_set_phrases_are_no_figures(text: str) -> None:
    assert find_quantities(text) == []


def test_mixed_numbers() -> None:
    assert parse_number("1.5万") == 15000
    assert parse_number("1,200") == 1200
    assert parse_chinese("二〇〇九") == 2009
    assert parse_chinese("一亿二千万") == 120_000_000
    with pytest.raises(ValueError):
        parse_chinese("abc")
