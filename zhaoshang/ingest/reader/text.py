"""Steps 2 and 3: the decoded text as lines that keep their place in the file.

Each line keeps the text as decoded (``raw``), the text shown to the user (``display``: site debris
and pinyin annotations removed, the original script kept) and the text matched by the rules
(``match``: ``display`` in Simplified script, character for character, so that a position in
``match`` is a position in ``display``). ``index[i]`` is the position in ``raw`` of display
character i: spans found on ``match`` are shown and quoted from ``raw``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhaoshang.core.chinese import to_simplified


@dataclass
class Line:
    number: int  # 1-based line in the file
    raw: str
    display: str = ""
    match: str = ""
    index: list[int] = field(default_factory=list)
    debris: str = ""  # why the whole line was dropped (empty when kept)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in ``raw`` of display characters start..end."""
        if not self.index:
            return 0, 0
        start = min(start, len(self.index) - 1)
        last = min(max(end - 1, start), len(self.index) - 1)
        return self.index[start], self.index[last] + 1


# A pinyin annotation after a character: 鄉(xiāng), 總結(jié). Lower-case Latin letters with at least
# one tone mark, or a plain syllable, at most 7 letters, right after a Han character.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
PINYIN = re.compile(rf"(?<=[\u4e00-\u9fff])\(([a-z{_TONED}]{{1,7}})\)")

# Whole lines of site debris (matched on Simplified text).
_DEBRIS_LINES = [
    ("site_metadata", re.compile(r"^\s*(时间|发布时间|日期|来源|作者|浏览|阅读|点击)\s*[:：]")),
    (
        "site_boilerplate",
        re.compile(r"^\s*(导语|摘要|声明|免责声明)\s*[:：]|来源于网友上传|不代表本站观点|仅供参考"),
    ),
    ("footer_navigation", re.compile(r"^\s*(首页|主页|网站首页|当前位置)\s*[>›»/:：]")),
    ("footer_navigation", re.compile(r"^\s*[-•·*]?\s*(上一篇|下一篇|上一页|下一页|返回(首页|列表|顶部))")),
    (
        "site_footer",
        re.compile(r"ICP\s*备|ICP证|版权所有|Copyright|©|技术支持\s*[:：]|客服(电话|热线|QQ)|联系我们"),
    ),
    (
        "related_articles",
        re.compile(r"^\s*(相关(文章|阅读|推荐|范文|内容)|推荐阅读|热门(文章|推荐)|猜你喜欢|延伸阅读)"),
    ),
    ("site_footer", re.compile(r"^\s*收藏\s*《")),
    (
        "truncation_note",
        re.compile(r"^\s*…*\s*[(（]?[^,，。]{0,40}(省略\d+字|正式会员|完整阅读|全文共\d+字)"),
    ),
]
# Truncation notes inside a line: "……(未完,全文共2417字,当前仅显示1537字,请阅读下面提示信息。" to the end.
_TRUNCATION_TAIL = re.compile(r"\s*…+\s*[(（]\s*(未完|全文共|省略|当前仅显示|正式会员)")
_TRUNCATION_INLINE = re.compile(
    r"…+\s*[(（][^()（）]{0,80}(省略\d+字|会员|完整阅读)[^()（）]{0,40}[)）]\s*…*"
)


def remove_pinyin(text: str) -> tuple[str, list[int]]:
    """``text`` without pinyin annotations, and for each kept character its position in ``text``."""
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for m in PINYIN.finditer(text):
        out.append(text[pos : m.start()])
        index.extend(range(pos, m.start()))
        pos = m.end()
    out.append(text[pos:])
    index.extend(range(pos, len(text)))
    return "".join(out), index


def simplified_aligned(text: str) -> str:
    """``text`` in Simplified script, of the same length (character by character where a phrase
    conversion would change the length)."""
    converted = to_simplified(text)
    if len(converted) == len(text):
        return converted
    return "".join(c if len(c := to_simplified(ch)) == 1 else ch for ch in text)


def _cut(line: Line, start: int, end: int) -> None:
    line.display = line.display[:start] + line.display[end:]
    line.match = line.match[:start] + line.match[end:]
    line.index = line.index[:start] + line.index[end:]


def strip_debris(line: Line) -> None:
    """Drop the line when it is site debris, or cut truncation notes out of it."""
    for kind, pattern in _DEBRIS_LINES:
        if pattern.search(line.match):
            line.debris = kind
            return
    while m := _TRUNCATION_INLINE.search(line.match):
        _cut(line, m.start(), m.end())
    if m := _TRUNCATION_TAIL.search(line.match):
        _cut(line, m.start(), len(line.match))
    if not line.display.strip():
        line.debris = line.debris or ("truncation_note" if line.raw.strip() else "")


def make_lines(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        display, index = remove_pinyin(raw)
        line = Line(number, raw, display, simplified_aligned(display), index)
        strip_debris(line)
        lines.append(line)
    _mark_page_title(lines)
    _mark_related_lists(lines)
    return lines


def _mark_related_lists(lines: list[Line]) -> None:
    """The short items under a "相关文章" heading are links to other pages, not the report."""
    inside = False
    for line in lines:
        if line.debris == "related_articles":
            inside = True
            continue
        text = line.match.strip()
        if inside and text and len(text) <= 40 and not text.endswith("。") and not line.debris:
            line.debris = "related_articles"
        elif text and not line.debris:
            inside = False


def site_suffix_removed(title: str) -> str:
    """A page title without the site's name after it ("…工作总结_范文网", "… - 某某网")."""
    return re.split(r"[_|｜]|\s[-–—]\s", title, maxsplit=1)[0].strip()


def _mark_page_title(lines: list[Line]) -> None:
    """A page title repeated below the site's metadata is a duplicate, not a heading of its own."""
    kept = [line for line in lines if line.display.strip() and not line.debris]
    if not kept:
        return
    title = site_suffix_removed(kept[0].match.strip())
    for line in kept[1:8]:
        if line.match.strip() == title:
            line.debris = "duplicate_title"


def pinyin_count(text: str) -> int:
    return len(PINYIN.findall(text))
