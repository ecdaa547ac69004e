"""Which ledger indicator a figure of an old report speaks of, by its words and unit.

Only actual figures of the year map to an indicator (a target or a completion rate does not); a
figure that maps to none is still kept, under its own words, but has no place beside the current
year on the dashboard.
"""

from __future__ import annotations

import re

from zhaoshang.core.chinese import to_simplified

# (indicator code, unit, words) in order: the first that matches wins.
RULES: list[tuple[str, str, re.Pattern[str]]] = [
    ("funds_foreign", "万美元", re.compile(r"外资|境外|外商")),
    ("contracted_usd", "万美元", re.compile(r"协议|签约|合同")),
    ("contracted_cny", "万元", re.compile(r"协议|签约|合同")),
    ("investment_completed", "万元", re.compile(r"固定资产投资")),
    ("funds_domestic", "万元", re.compile(r"到位|引进.*资金|市外资金|省外资金|引资")),
    ("funds_foreign", "万美元", re.compile(r"到位|资金")),
    ("projects_operating", "count", re.compile(r"投产.*项目|项目.*投产")),
    ("projects_started", "count", re.compile(r"开工.*项目|项目.*开工")),
    ("projects_signed", "count", re.compile(r"(签约|引进|落户).*项目|项目.*(签约|引进)")),
    ("factory_area", "平方米", re.compile(r"厂房")),
    ("investors_received", "count", re.compile(r"接待.*客商|客商.*考察|来.*考察")),
    ("outbound_trips", "count", re.compile(r"外出招商")),
]


def indicator_code(words: str, unit: str, kind: str = "actual") -> str | None:
    if kind != "actual":
        return None
    text = to_simplified(words)
    for code, rule_unit, pattern in RULES:
        if unit == rule_unit and pattern.search(text):
            return code
    return None
