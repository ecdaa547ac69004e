"""Step 6: projects named or described in a report, with stage, amounts, land, investor origin.

A project is a phrase ending in 项目 / 公司 / 厂 / 企业 that names something (not a generic 签约项目),
an item of a list "A、B、C等N个项目", a quoted name, or a single contract signed at a named fair with
its amount. It is kept when its part of the sentence states a stage or an amount, or when it is an
item under a heading that states the stage ("(1)已开工建设项目8个:"). Lists that a county compiled
or promoted (编制, 推介) are a catalogue, not projects in the ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from zhaoshang.core.chinese import to_traditional
from zhaoshang.ingest.reader.quantities import Quantity, find_quantities
from zhaoshang.ingest.reader.sentences import Sentence, sentences
from zhaoshang.ingest.reader.split import Report
from zhaoshang.ingest.reader.stages import furthest, stage_of

_SUFFIX = re.compile(r"有限责任公司|有限公司|公司|项目|厂|企业")
_STOP = set('，,；;。：:、！？!?“”"《》【】[] \u3000')
_BOUNDARY = re.compile(
    r"的|就|对|把|将|与|了|由|向|从|为|以|考察|举行|促进|协调|引进|达成|开展|参加|推介|编制|签约|签订|竞拍|收购|"
    r"兼并|包装|储备|其中|目前|现有|主要有|已|正在|一个是|另一个是|一是|二是|三是|四是|五是|所有|无论|推动|影响|加强|提高|争取|"
    r"实行|梳理|上报|召集|接到|联系|接洽|洽谈|进场|建成|竣工|投产|开工|在建|搞好|做好|服务|帮助|扶持|支持|跟踪|落实|实施|围绕|"
    r"按照|通过|根据|全年|今年|全县|全镇|全乡|全市|全区|[年月]"
)
_LIST_MARK = re.compile(
    r"^\s*(?:\d+|[一二三四五六七八九十]+)\s*[、.．)）]\s*|^\s*[(（](?:\d+|[一二三四五六七八九十]+)[)）]\s*"
)
_GENERIC = re.compile(
    r"第[\d一二三四五六七八九十]+届[“\"]?[^”\"，,。]{0,12}?[会节][”\"]?|招商引资|招商|引资|签约|在谈|开工|建设|重点|新建|续建|引进|"
    r"落户|投资|外商|外资|内资|意向|对接|推介|合作|各类|一批|规模较大|较大|规模|外来|本地|这些|上述|其他|相关|有关|所有|一般|"
    r"中小|民营|私营|国有|龙头|骨干|重大|大型|小型|优质|在册|半数|多数|好|大|小|该|此|这|新|各|个|等|已|的|其|家|批|有|在|了|"
    r"更多|一些|部分|加快|推进|推动|促进|促成|力促|抓紧|加紧|尽快|督促"
)
_COUNT_BEFORE = re.compile(
    r"(?:近|约)?(?:\d+[万千]?|[二两三四五六七八九十百]+|[一二三四五六七八九]十[一二三四五六七八九]?)(?:多|余)?(?:个|家|项|批|户)[^，,。；;]{0,6}$"
)
_COUNT_START = re.compile(r"(?:近|约)?(?:\d+[万千]?|[二两三四五六七八九十百]+)(?:多|余)?(?:个|家|项|批|户)")
_CATALOG = re.compile(r"编制|推介|包装|储备|谋划|策划|筛选")
_LIST = re.compile(
    r"(?P<items>(?:[^、，,。；;：:“”]{2,30}、)+[^、，,。；;：:“”]{2,30}?)等(?P<count>(?:\d+|[一二三四五六七八九十]+)个)?(?:招商|重点|大)?项目"
)
_QUOTED = re.compile(r"[“\"](?P<name>[^”\"]{2,30}?(?:项目|公司|厂|企业))[”\"]")
_EVENT_DEAL = re.compile(
    r"(?P<what>签订意向协议|签约项目合同|签约项目|签订合同|签订协议|签约)(?P<n>1|一)(?:个|项)"
)
_EVENT = re.compile(r"第[\d一二三四五六七八九十]+届[“\"]?[^，,。；;]{1,20}?(?:会|节|展)[”\"]?")
_HEADING = re.compile(r"^\W{0,2}[^，,。]{0,30}[:：]\s*$")
# A suffix that continues into a longer word is no suffix: 厂房, 企业家, 项目表, 项目推介.
_COMPOUND = set("房家长主表库部组办化制型群法款方资推")
_ENUM = re.compile(r"^\s*\d+\s*[、.．]")

_PLACES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|海南|四川|"
    "贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|内蒙古|香港|澳门|台湾|美国|日本|韩国|德国|英国|法国|意大利|加拿大|"
    "澳大利亚|新加坡|马来西亚|泰国|印度尼西亚|俄罗斯|荷兰|瑞士|瑞典|奥地利|匈牙利|以色列|比利时|西班牙"
)
_ORIGIN = [
    re.compile(r"来自(?P<o>[^，,。；;的]{2,12})的"),
    re.compile(
        rf"(?P<o>(?:{_PLACES})(?:[\u4e00-\u9fff]{{2}}(?=(?:籍)?客商))?)(?:籍)?(?:客商|商人|企业家|老板)"
    ),
    re.compile(rf"(?P<o>{_PLACES})[\u4e00-\u9fff]{{0,8}}?(?:集团|公司|财团)"),
]

# Labels of a project's amounts, nearest the figure first.
_LABELS: list[tuple[str, str]] = [
    ("phase", r"[一二三]期(?:工程)?投资"),
    ("completed", r"完成(?:固定资产)?投资"),
    ("funds_in_place", r"(?:已|实际)?到位资金|资金到位|到位"),
    (
        "total",
        r"总投资|投资总额|计划投资|拟投资|预计投资|意向投资额|投资金额|投资额|协议投资|合同投资|协议引资|投资",
    ),
    ("output", r"年产值|年销售(?:额|收入)?|年产|产值|销售收入"),
    ("tax", r"利税|税收|纳税"),
    ("jobs", r"就业|安置|用工"),
    ("land", r"总占地|占地(?:面积)?|用地|征地"),
    ("price", r"以"),
]
_LABEL_RE = [
    (k, re.compile(rf"(?:{p})(?:达|为|约|共|计|共计|总额|总计|面积)?[^，,。；;、]{{0,2}}$"))
    for k, p in _LABELS
]


def amount_label(before: str) -> str:
    """The kind of project amount that the text just before a figure names ('' when none)."""
    for kind, pattern in _LABEL_RE:
        if pattern.search(before):
            return kind
    return ""


@dataclass
class Amount:
    kind: str
    value: Decimal
    unit: str
    text: str


@dataclass
class Project:
    name: str  # as displayed (original script)
    key: str  # Simplified name, for merging
    line: int
    source: str
    kind: str = "investment"  # or catalog
    stage: str | None = None
    stage_word: str = ""
    described: bool = False  # the text gives no name: name is a description
    amounts: list[Amount] = field(default_factory=list)
    land_mu: Decimal | None = None
    investor_origin: str = ""
    report_index: int = 0
    span: tuple[int, int] = (0, 0)  # raw span on the line

    def amount(self, kind: str) -> Amount | None:
        return next((a for a in self.amounts if a.kind == kind), None)

    @property
    def total_investment(self) -> Amount | None:
        return self.amount("total") or self.amount("price")


def _is_generic(stem: str) -> bool:
    rest = _GENERIC.sub("", stem)
    rest = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", rest)
    return len(rest) < 2


def _walk_back(text: str, end: int) -> int:
    i, depth = end, 0
    while i > 0:
        ch = text[i - 1]
        if ch in ")）":
            depth += 1
        elif ch in "(（":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and ch in _STOP:
            break
        i -= 1
    return i


def _name_start(text: str, start: int, end: int) -> int:
    phrase = text[start:end]
    cut = 0
    for boundary in _BOUNDARY.finditer(phrase):
        cut = max(cut, boundary.end())
    start += cut
    if mark := _LIST_MARK.match(text[start:end]):
        start += mark.end()
    # "集养殖、垂钓、餐饮于一体的农业生态项目": the description belongs to the name.
    if text[:start].endswith("于一体的"):
        ji = text.rfind("集", max(0, start - 40), start)
        if ji >= 0:
            start = ji
    return start


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    key: str
    list_item: bool = False
    catalog: bool = False
    stage: str | None = None
    stage_word: str = ""


def _mentions(sentence: Sentence) -> list[_Mention]:
    text = sentence.text
    out: list[_Mention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, **kw: object) -> None:
        if any(a < end and start < b for a, b in taken):
            return
        name = sentence.display(start, end).strip()
        key = text[start:end].strip()
        out.append(_Mention(start, end, name, key, **kw))  # type: ignore[arg-type]
        taken.append((start, end))

    for m in _LIST.finditer(text):
        items_start = m.start("items")
        first_start = _name_start(text, items_start, m.end("items"))
        catalog = bool(_CATALOG.search(text[: m.end()]))
        pos = first_start
        for item in text[first_start : m.end("items")].split("、"):
            s = pos + len(item) - len(item.lstrip())
            e = pos + len(item.rstrip())
            pos += len(item) + 1
            if e - s >= 2 and not _is_generic(_SUFFIX.sub("", text[s:e])):
                add(s, e, list_item=True, catalog=catalog)
        taken.append((m.start(), m.end()))
    for m in _QUOTED.finditer(text):
        if not _is_generic(_SUFFIX.sub("", m.group("name"))):
            add(m.start("name"), m.end("name"))
    for m in _SUFFIX.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        start = _name_start(text, _walk_back(text, m.start()), m.start())
        stem = text[start : m.start()]
        if not stem or _is_generic(stem) or _COUNT_START.search(stem) or _COUNT_BEFORE.search(text[:start]):
            continue
        if (
            text[m.end() : m.end() + 2] in {"保姆", "负责", "所在"}
            or text[m.end() : m.end() + 1] in _COMPOUND
        ):
            continue
        if text[:start].rfind("《") > text[:start].rfind("》"):
            continue
        if re.match(r"[^，,。；;]{0,3}?(?:\d+|[两三四五六七八九十]+)(?:多|余)?(?:个|家|项)", text[m.end() :]):
            continue  # "工业项目18个": a count of projects, not a project
        add(start, m.end())
    out.sort(key=lambda x: x.start)
    return out


def _origin(text: str) -> tuple[int, int] | None:
    for pattern in _ORIGIN:
        if m := pattern.search(text):
            return m.start("o"), m.end("o")
    return None


def _fix_script(words: str, sentence: Sentence) -> str:
    """Fixed words of a description in the script of the document."""
    return to_traditional(words) if sentence.line.display != sentence.line.match else words


class _Collector:
    def __init__(self) -> None:
        self.projects: list[Project] = []

    def add(self, project: Project) -> Project:
        for other in self.projects:
            if (
                other.report_index == project.report_index
                and other.kind == project.kind
                and _same(other.key, project.key)
            ):
                other.stage = furthest([other.stage, project.stage])
                if other.stage == project.stage and project.stage_word:
                    other.stage_word = project.stage_word
                for a in project.amounts:
                    if other.amount(a.kind) is None:
                        other.amounts.append(a)
                other.land_mu = other.land_mu or project.land_mu
                other.investor_origin = other.investor_origin or project.investor_origin
                if len(project.key) > len(other.key) and other.key in project.key:
                    other.name, other.key = project.name, project.key
                return other
        self.projects.append(project)
        return project


def _same(a: str, b: str) -> bool:
    """Two mentions of one project: the shorter name's characters are nearly all in the longer one's
    (恒达新材料 / 恒达新材料科技), and so are most of its character pairs, so that two projects of one
    place (城前岭建材 / 城前岭家具贸易城建设) sharing the place and a character stay two."""
    short, long_ = sorted((_SUFFIX.sub("", a), _SUFFIX.sub("", b)), key=lambda name: len(set(name)))
    chars = set(short)
    if len(chars) < 2 or len(chars & set(long_)) / len(chars) < 0.8:
        return False
    pairs = {short[i : i + 2] for i in range(len(short) - 1)}
    return len(pairs & {long_[i : i + 2] for i in range(len(long_) - 1)}) / len(pairs) >= 0.6


def _fill(project: Project, sentence: Sentence, a: int, b: int, quantities: list[Quantity]) -> None:
    text = sentence.text
    for q in quantities:
        if not (a <= q.start < b):
            continue
        kind = amount_label(text[max(a, q.start - 12) : q.start])
        if q.unit == "亩" and kind in {"land", ""} and project.land_mu is None:
            if kind == "land" or q.start == a:
                project.land_mu = q.value
            continue
        if kind == "price" and not re.match(r"[^，,。]{0,3}价", text[q.end :]):
            continue
        if q.unit in {"万元", "万美元"} and kind and kind not in {"land", "jobs"}:
            if project.amount(kind) is None:
                project.amounts.append(Amount(kind, q.value, q.unit, q.text))
        elif q.unit == "count" and kind == "jobs" and project.amount("jobs") is None:
            project.amounts.append(Amount("jobs", q.value, q.unit, q.text))
    if not project.investor_origin and (o := _origin(text[a:b]) or _origin(text)):
        project.investor_origin = sentence.display(o[0], o[1])


def has_project_count(text: str) -> bool:
    return bool(
        re.search(
            r"(?:\d+|[一二两三四五六七八九十]+)(?:多|余)?个[^，,。；;]{0,6}项目|项目[^，,。；;\d]{0,3}(?:\d+|[两三四五六七八九十]+)(?:多|余)?个",
            text,
        )
    )


def extract_projects(reports: list[Report]) -> tuple[list[Project], set[tuple[int, int, int]]]:
    """The projects of the reports, and the sentences (line, start, end) about one project, whose
    amounts belong to the project and not to the unit's statistics."""
    collector = _Collector()
    project_sentences: set[tuple[int, int, int]] = set()
    for index, report in enumerate(reports):
        heading_stage: str | None = None
        last: Project | None = None
        for line in report.lines:
            stripped = line.match.strip()
            if _HEADING.match(stripped) and len(stripped) <= 30:
                heading_stage = stage_of(stripped)[0]
                continue
            in_list = heading_stage is not None and bool(_ENUM.match(stripped))
            if not _ENUM.match(stripped):
                heading_stage = None
            for sentence in sentences(line):
                last = _sentence(
                    sentence, index, collector, project_sentences, heading_stage if in_list else None, last
                )
    return collector.projects, project_sentences


def _sentence(
    sentence: Sentence,
    index: int,
    collector: _Collector,
    project_sentences: set[tuple[int, int, int]],
    heading_stage: str | None,
    last: Project | None,
) -> Project | None:
    text = sentence.text
    quantities = find_quantities(text)
    mentions = _mentions(sentence)
    aggregate = has_project_count(text)
    line = sentence.line

    def new(
        name: str, key: str, start: int, end: int, kind: str = "investment", described: bool = False
    ) -> Project:
        rs, re_ = line.raw_span(sentence.start + start, sentence.start + end)
        source = line.raw[rs:re_][:80]
        return Project(
            name, key, line.number, source, kind, report_index=index, span=(rs, re_), described=described
        )

    # A single contract at a named fair, with its amount: "第十届“西博会”,签约项目合同1个,投资金额3200万元".
    for m in _EVENT_DEAL.finditer(text):
        events = list(_EVENT.finditer(text[: m.start()]))
        money = [q for q in quantities if q.start > m.end() and q.unit in {"万元", "万美元"}]
        if not events or not money:
            continue
        ev = events[-1]
        intent = "意向" in m.group("what")
        words = "意向协议项目" if intent else "签约项目"
        name = sentence.display(ev.start(), ev.end()) + _fix_script(words, sentence)
        p = new(name, text[ev.start() : ev.end()] + words, ev.start(), m.end(), described=True)
        p.stage, p.stage_word = ("intent" if intent else "signed"), m.group("what")
        q = money[0]
        p.amounts.append(Amount("total", q.value, q.unit, q.text))
        collector.add(p)
    if not mentions:
        if last is not None and re.match(r"^\s*(该项目|此项目|项目)", text) and not aggregate:
            _fill(last, sentence, 0, len(text), quantities)
            if stage := stage_of(text)[0]:
                last.stage = furthest([last.stage, stage])
            project_sentences.add((line.number, sentence.start, sentence.end))
        return last
    found_any = False
    for i, mention in enumerate(mentions):
        a = mentions[i - 1].end if i else 0
        b = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        clause_a, clause_b = a, b
        if mention.list_item:
            # Items of one list share the clause of the list.
            clause_a = max(text.rfind(c, 0, mention.start) for c in "，,；;") + 1
            nb = [text.find(c, mention.end) for c in "，,；;"]
            clause_b = min([x for x in nb if x >= 0] or [len(text)])
            a, b = clause_a, clause_b
        stage, word = stage_of(text[a:b])
        if heading_stage and not stage:
            stage, word = heading_stage, ""
        amounts = [q for q in quantities if a <= q.start < b and q.unit in {"万元", "万美元", "亩"}]
        in_name_land = re.match(r"^(\d+(?:\.\d+)?)万?亩", mention.key)
        if not (stage or word or amounts or heading_stage or in_name_land):
            continue
        name, key = mention.name, mention.key
        if mention.list_item and not _SUFFIX.search(key[-2:]):
            name += _fix_script("项目", sentence)
            key += "项目"
        p = new(name, key, mention.start, mention.end, kind="catalog" if mention.catalog else "investment")
        p.stage, p.stage_word = stage, word
        if in_name_land:
            p.land_mu = find_quantities(mention.key)[0].value if find_quantities(mention.key) else None
        if not mention.list_item and not aggregate:
            _fill(p, sentence, a, b, quantities)
        elif not mention.list_item:
            o = _origin(text[a:b])
            if o:
                p.investor_origin = sentence.display(o[0], o[1])
        last = collector.add(p)
        found_any = True
    if found_any and not aggregate:
        project_sentences.add((line.number, sentence.start, sentence.end))
    return last
