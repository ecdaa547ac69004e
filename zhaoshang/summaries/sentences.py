"""The set sentences of a summary's 一、工作成效 (forms.md §5.2), written from ``facts`` in Simplified
Chinese (the document converts to Traditional when asked).

The wording is Chinese whatever the interface language: it is the official text a unit hands to the
level above. Each sentence states only figures that exist: a kind the ledger does not count yet
(origin levels, 新建/续建) is left out until it arrives, then stated by the entries below without
changing the code that writes the sentence.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.ledger.choices import Kind, Measure
from zhaoshang.ledger.completion import percent
from zhaoshang.summaries.facts import ActivityLine, Figure, ProjectLine, StageList, SummaryFacts
from zhaoshang.targets.docx import MEASURE_ZH

TEN_THOUSAND = Decimal(10000)

# Funds arrived by source, in the order the reports state them, each named by its indicator. Origin
# levels the ledger adds (县外/市外/省外 as kinds of their own) are stated once listed here.
FUNDS_LINES: list[str] = [Kind.FUNDS_DOMESTIC, Kind.FUNDS_FOREIGN]
# Projects started, split by nature when the ledger counts it (新建/续建): (kind, word).
STARTED_PARTS: list[tuple[str, str]] = [("started_new", "新建"), ("started_continued", "续建")]
# The figures the opening sentence states itself; every other indicator gets a sentence of its own.
OPENING_KINDS = {Kind.SIGNED, Kind.STARTED, Kind.OPERATING, *FUNDS_LINES, *(k for k, _w in STARTED_PARTS)}
# The key landed enterprises' figures the sentence of landed enterprises states (``enterprises``); their
# sales stay in the list of every indicator (the reports' sentence does not name them).
ENTERPRISE_KINDS = {Kind.ENTERPRISE_OUTPUT, Kind.ENTERPRISE_TAX, Kind.ENTERPRISE_JOBS}
ACTIVITY_WORDS = {"trip": "外出招商", "visit": "来访考察", "fair": "招商活动"}


def number(value: Decimal, places: int = 2) -> str:
    """A figure as the reports write it: no grouping, at most ``places`` decimals, no trailing zeros."""
    rounded = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(value: Decimal, measure: str) -> str:
    """A figure with its measure: 5000万元, 2.07亿元, 650万美元, 1.5万平方米, 9个, 27人次."""
    if measure == Measure.WAN_CNY:
        return f"{number(value / TEN_THOUSAND)}亿元" if abs(value) >= TEN_THOUSAND else f"{number(value)}万元"
    if measure == Measure.WAN_USD:
        return (
            f"{number(value / TEN_THOUSAND)}亿美元"
            if abs(value) >= TEN_THOUSAND
            else f"{number(value)}万美元"
        )
    if measure == Measure.SQUARE_METRES:
        return (
            f"{number(value / TEN_THOUSAND)}万平方米"
            if abs(value) >= TEN_THOUSAND
            else f"{number(value)}平方米"
        )
    return f"{number(value)}{measure_word(measure)}"


def measure_word(measure: str) -> str:
    """The measure as a Chinese document names it (计量单位): one table with the target agreements'."""
    return MEASURE_ZH.get(measure, "")


def percent_text(value: Decimal) -> str:
    return f"{number(value, 1)}%"


def completion_clause(figure: Figure) -> str:
    """，占全年任务的140% (or nothing without a target)."""
    if figure.completion is None:
        return ""
    return f"，占全年任务的{percent_text(figure.completion)}"


def change_clause(figure: Figure) -> str:
    change = figure.change
    if change is None:
        return ""
    return f"，同比增长{percent_text(change)}" if change >= 0 else f"，同比下降{percent_text(-change)}"


def _count(facts: SummaryFacts, kind: str) -> Decimal | None:
    figure = facts.figure(kind)
    return figure.actual if figure is not None else None


def _counted(facts: SummaryFacts, kind: str) -> str:
    """9个, or 9个（占全年任务的90%） where the count has a target."""
    figure = facts.figure(kind)
    if figure is None:
        return ""
    done = f"（占全年任务的{percent_text(figure.completion)}）" if figure.completion is not None else ""
    return f"{number(figure.actual)}个{done}"


def opening(facts: SummaryFacts) -> str:
    """1—6月，全县共引进项目9个，其中已开工建设项目8个（新建X个、续建X个），建成投产项目X个；在谈项目2个。"""
    parts = []
    if signed := _counted(facts, Kind.SIGNED):
        parts.append(f"{facts.period.opening_zh}，{facts.region_zh}共引进项目{signed}")
    if started := _counted(facts, Kind.STARTED):
        split = [
            f"{word}{number(v)}个" for kind, word in STARTED_PARTS if (v := _count(facts, kind)) is not None
        ]
        new = facts.figure(Kind.STARTED)
        if not split and facts.continuing and new is not None:
            # 开工项目25个（新建14个、续建11个）: new is the started figure, its target stays with it
            done = completion_clause(new).lstrip("，")
            started = f"{number(new.actual + facts.continuing)}个"
            split = [
                f"新建{number(new.actual)}个" + (f"，{done}" if done else ""),
                f"续建{number(facts.continuing)}个",
            ]
        parts.append(f"其中已开工建设项目{started}" + (f"（{'、'.join(split)}）" if split else ""))
    if operating := _counted(facts, Kind.OPERATING):
        parts.append(f"建成投产项目{operating}")
    signed_list, talks = facts.stage_list("signed"), facts.stage_list("talks")
    if signed_list is not None:
        parts.append(f"签约未开工项目{signed_list.count}个")
    if talks is not None:
        parts.append(f"在谈项目{talks.count}个")
    return "，".join(parts) + "。" if parts else ""


def funds(facts: SummaryFacts) -> str:
    """实现境内市外到位资金2.07亿元，占全年任务的230%，同比增长X%；境外到位资金650万美元，占全年任务的140%。"""
    clauses = []
    for kind in FUNDS_LINES:
        figure = facts.figure(kind)
        if figure is not None:
            clauses.append(indicator_sentence(figure))
    return f"实现{'；'.join(clauses)}。" if clauses else ""


def indicator_sentence(figure: Figure) -> str:
    """完成标准厂房建设1.5万平方米，占全年任务的100%。"""
    stated = f"{figure.name_zh}{amount(figure.actual, figure.measure)}"
    return f"{stated}{completion_clause(figure)}{change_clause(figure)}"


def enterprises(facts: SummaryFacts) -> str:
    """全县在册外来企业22家，其中15家重点外来企业实现产值3.31亿元，上交税金2483万元，安置就业1063人。
    (issue 21's sentence, from the ledger's kinds of issue 23; a figure with a target says its
    completion in brackets). Nothing without a registered enterprise."""
    known = facts.enterprises
    if known is None:
        return ""
    text = f"{facts.region_zh}在册外来企业{known.registered}家"
    output, tax, jobs = (
        facts.figure(k) for k in (Kind.ENTERPRISE_OUTPUT, Kind.ENTERPRISE_TAX, Kind.ENTERPRISE_JOBS)
    )
    if not known.key_reporting or output is None or tax is None:
        return text + "。"

    def done(figure: Figure | None, actual: Decimal) -> str:
        share = percent(actual, figure.target) if figure is not None else None
        return f"（占全年任务的{percent_text(share)}）" if share is not None else ""

    return (
        f"{text}，其中{known.key_reporting}家重点外来企业实现产值{amount(output.actual, output.measure)}"
        f"{done(output, output.actual)}，上交税金{amount(tax.actual, tax.measure)}{done(tax, tax.actual)}，"
        f"安置就业{number(known.jobs)}人{done(jobs, known.jobs)}。"
    )


def other_indicators(facts: SummaryFacts) -> str:
    # An indicator without a target and without a figure says nothing worth a clause; the key
    # enterprises' figures are the sentence of landed enterprises' when there is one.
    stated = OPENING_KINDS | (ENTERPRISE_KINDS if facts.enterprises is not None else set())
    rest = [
        indicator_sentence(f)
        for f in facts.figures
        if f.kind not in stated and (f.actual or f.target is not None)
    ]
    return f"{'；'.join(rest)}。" if rest else ""


def activities(facts: SummaryFacts) -> str:
    """全年开展外出招商X次、来访考察X次、招商活动X场，通过活动签约项目X个。"""
    if not facts.activities:
        return ""
    counts: dict[str, int] = {}
    for line in facts.activities:
        counts[line.kind] = counts.get(line.kind, 0) + 1
    done = "、".join(f"{ACTIVITY_WORDS[k]}{n}次" for k, n in counts.items() if k in ACTIVITY_WORDS)
    signed = sum(len(line.signed) for line in facts.activities)
    text = f"{facts.period.opening_zh}共开展{done}"
    return text + (f"，通过活动签约项目{signed}个。" if signed else "。")


def project_item(index: int, line: ProjectLine, key: str) -> str:
    """1、XX有限公司，投资5000万元，落户在XX; in talks: 1、计划投资6000万元的XX项目。"""
    measure = Measure.WAN_USD if line.currency == "USD" else Measure.WAN_CNY
    if key == "talks":
        return f"{index}、计划投资{amount(line.amount, measure)}的{line.name}。"
    return f"{index}、{line.investor}，投资{amount(line.amount, measure)}，落户在{line.place}。"


def stage_paragraphs(stage_lists: list[StageList]) -> list[tuple[str, list[str]]]:
    """(1)已开工建设项目8个： followed by its numbered items, for every list that has projects."""
    out = []
    number_ = 0
    for stage in stage_lists:
        if not stage.count:
            continue
        number_ += 1
        items = [project_item(i, line, stage.key) for i, line in enumerate(stage.projects, start=1)]
        if stage.count > len(stage.projects):
            items.append(f"（另有{stage.count - len(stage.projects)}个项目，详见项目台账。）")
        out.append((f"（{number_}）{stage.heading_zh}{stage.count}个：", items))
    return out


def activity_item(index: int, line: ActivityLine) -> str:
    place = f"赴{line.place}" if line.kind == "trip" and line.place else ""
    text = f"{index}、{line.starts_on.month}月{line.starts_on.day}日，{place}{line.title}"
    if line.people:
        text += f"，接待客商{line.people}人次"
    if line.signed:
        text += f"，签约项目{len(line.signed)}个（{'、'.join(line.signed)}）"
    if line.amount:
        text += f"，协议引资{amount(line.amount, Measure.WAN_CNY)}"
    return text + "。"


def results(facts: SummaryFacts) -> list[str]:
    """The paragraphs of figures that open 一、工作成效, then the closing 具体如下."""
    stated = (opening(facts), funds(facts), enterprises(facts), other_indicators(facts), activities(facts))
    paragraphs = [p for p in stated if p]
    if any(s.count for s in facts.stage_lists):
        paragraphs.append("具体如下：")
    return paragraphs


# --- what the written sections start from -------------------------------------------------------


def practice_prompt(facts: SummaryFacts) -> str:
    """主要做法 starts from the activities of the period."""
    if not facts.activities:
        return ""
    return "\n".join(activity_item(i, line) for i, line in enumerate(facts.activities, start=1))


def problems_prompt(facts: SummaryFacts) -> str:
    """存在问题 starts from the stalled projects and the open requests for coordination."""
    out = []
    if facts.stalled:
        names = "、".join(line.name for line in facts.stalled)
        out.append(f"部分项目推进缓慢，{len(facts.stalled)}个项目半年以上未取得新进展：{names}。")
    if facts.open_requests:
        out.append(f"尚有{len(facts.open_requests)}项需协调事项未办结：{'；'.join(facts.open_requests)}。")
    return "\n".join(out)


def plans_prompt(facts: SummaryFacts) -> str:
    """下步打算 starts from next year's targets and the projects in talks."""
    out = []
    if facts.next_targets:
        targets = "，".join(f"{name}{amount(value, measure)}" for name, measure, value in facts.next_targets)
        out.append(f"{facts.period.year + 1}年目标任务：{targets}。")
    talks = facts.stage_list("talks")
    if talks is not None and talks.projects:
        names = "、".join(line.name for line in talks.projects[:10])
        out.append(f"加快推进在谈项目签约落地：{names}。")
    return "\n".join(out)
