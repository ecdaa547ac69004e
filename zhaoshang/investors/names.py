"""What "the same name" means for investors: the key a name is reduced to before comparing.

A name is reduced to a key: full-width characters become half-width (NFKC), traditional characters
simplified (OpenCC, core.chinese), case, spaces and punctuation dropped, the text in brackets dropped
(阿里巴巴（中国）有限公司), company-form suffixes (有限公司, 股份有限公司, 集团, Co., Ltd. …) and
leading place names (浙江省, 温州市, 温州 …) removed as long as something is left. Two keys that
are equal are the same name; one containing the other, or close by edit ratio, is a similar name.

The model keeps each investor's key (``Investor.name_key``); the search for likely duplicates
(duplicates.py) compares them. Both read this module, which reads no model.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from zhaoshang.core.chinese import to_simplified

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
    return to_simplified(unicodedata.normalize("NFKC", text or "")).lower().strip()


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
