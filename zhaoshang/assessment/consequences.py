"""What a published ranking leads to (forms.md §4.3): the bottom units of a group are criticised
(通報批評) in a notice, a unit criticised in two consecutive periods goes on the accountability list
(問責), the top units are commended (通報表揚), and rectification items are raised from a criticism.

The notices are Chinese whatever the interface language: they are official documents, written in
the official layout of ``core.documents`` (GB/T 9704)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from docx.shared import Length

from zhaoshang.assessment import scoring
from zhaoshang.assessment.choices import Period, Subjects
from zhaoshang.assessment.models import Ranking, Score
from zhaoshang.core import documents
from zhaoshang.inspections import services as inspections
from zhaoshang.inspections.models import Inspection

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

CN_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}


def period_zh(ranking: Ranking) -> str:
    """2026年第一季度, 2026年3月, 2026年1—9月, 2026年度."""
    if ranking.period == Period.QUARTER:
        return f"{ranking.year}年第{CN_QUARTER[(ranking.month - 1) // 3 + 1]}季度"
    if ranking.period == Period.MONTH:
        return f"{ranking.year}年{ranking.month}月"
    return f"{ranking.year}年度" if ranking.month == 12 else f"{ranking.year}年1—{ranking.month}月"


def scores_of(ranking: Ranking) -> list[Score]:
    return list(ranking.scores.select_related("unit").order_by("rank", "unit__path"))


@dataclass
class Cut:
    """Who a notice names at the top or the bottom of a ranking, and who it leaves out and why.

    The tie rule at the cut: the N places are filled place by place (units sharing a place go in
    together), and a shared place that does not fit whole in the N left (a tie across the cut) is
    named by nobody: never more than N units are criticised or commended, and the notice says which
    tied units were left out. When every unit of the group shares one place, the ranking tells them
    apart in nothing: nobody is criticised or commended (``all_tie``)."""

    named: list[Score]
    left_out: list[Score]  # sharing a place that crosses the cut
    all_tie: bool = False
    too_few: bool = False  # fewer units than the group's least for a criticism


def cut(scores: list[Score], n: int, *, bottom: bool) -> Cut:
    """The tie rule at the cut (``Cut``) over scores in rank order: the top ``n``, or the bottom."""
    if n <= 0 or not scores:
        return Cut([], [])
    if len({s.rank for s in scores}) == 1:
        return Cut([], [], all_tie=len(scores) > 1)
    places: dict[int, list[Score]] = defaultdict(list)
    for s in scores:
        places[s.rank].append(s)
    named: list[Score] = []
    for rank in sorted(places, reverse=bottom):
        tied = places[rank]
        if len(named) + len(tied) > n:
            return Cut(named, tied if len(named) < n else [])
        named.extend(tied)
        if len(named) == n:
            break
    return Cut(named, [])


def criticism(ranking: Ranking, scores: list[Score] | None = None) -> Cut:
    """The bottom ``bottom_n`` of the group by the tie rule of ``cut``, only when the group ranks at
    least ``least_units`` units."""
    scores = scores if scores is not None else scores_of(ranking)
    group = ranking.group
    if len(scores) < max(group.least_units, 1):
        return Cut([], [], too_few=bool(group.bottom_n))
    return cut(scores, group.bottom_n, bottom=True)


def criticised(ranking: Ranking, scores: list[Score] | None = None) -> list[Score]:
    """The units a ranking criticises (通報批評), worst last."""
    return sorted(criticism(ranking, scores).named, key=lambda s: (s.rank, s.unit_id))


def commendation(ranking: Ranking, scores: list[Score] | None = None) -> Cut:
    """The top ``top_n`` of the group by the tie rule of ``cut``."""
    scores = scores if scores is not None else scores_of(ranking)
    return cut(scores, ranking.group.top_n, bottom=False)


def commended(ranking: Ranking, scores: list[Score] | None = None) -> list[Score]:
    """The units a ranking commends (通報表揚), best first."""
    return commendation(ranking, scores).named


@dataclass
class Accountable:
    """A unit criticised in two consecutive periods, with its ranks in the periods of its group."""

    unit: Any
    group: Any
    history: list[tuple[str, int, Any, bool]]  # period, rank, total, criticised


def newest_versions(rankings: Any) -> list[Ranking]:
    out: dict[tuple[int, int, str, int], Ranking] = {}
    for r in rankings.order_by("version"):
        out[(r.group_id, r.year, r.period, r.month)] = r
    return sorted(out.values(), key=lambda r: (r.group_id, r.period, r.year, r.month))


def accountability(rankings: Any) -> list[Accountable]:
    """The units criticised in two consecutive periods of the same kind (two quarters in a row),
    from the newest version of each published ranking in ``rankings`` (already scoped)."""
    series: dict[tuple[int, str], list[Ranking]] = defaultdict(list)
    for r in newest_versions(rankings.select_related("group").prefetch_related("scores__unit")):
        series[(r.group_id, r.period)].append(r)
    found: list[Accountable] = []
    for runs in series.values():
        marks: dict[int, list[tuple[Ranking, Score, bool]]] = defaultdict(list)
        for r in runs:
            scores = sorted(r.scores.all(), key=lambda s: (s.rank, s.unit.path))
            bad = {s.unit_id for s in criticised(r, scores)}
            for s in scores:
                marks[s.unit_id].append((r, s, s.unit_id in bad))
        for entries in marks.values():
            if any(
                a[2]
                and b[2]
                and scoring.last_period(b[0].period, b[0].year, b[0].month) == (a[0].year, a[0].month)
                for a, b in itertools.pairwise(entries)
            ):
                history = [(period_zh(r), s.rank, s.total, bad) for r, s, bad in entries]
                found.append(Accountable(entries[0][1].unit, entries[0][0].group, history))
    return found


# --- the notices ----------------------------------------------------------------------------------


def _unit_table(document: Any, headings: list[str], last_align: Any, rows: Iterable[list[str]]) -> None:
    """A notice's table of units: a number, the unit, a figure and a last column (widths 1:5:2:2)."""
    widths = [Length(documents.TEXT_WIDTH * n // 10) for n in (1, 5, 2, 2)]
    aligns = [documents.CENTRE, documents.LEFT_ALIGN, documents.RIGHT_ALIGN, last_align]
    table = documents.DocumentTable(document, headings, widths=widths, aligns=aligns)
    for row in rows:
        table.add_row(row)


def _table(document: Any, scores: list[Score]) -> None:
    rows = ([str(s.rank), s.unit.name, f"{s.total:.2f}", s.grade or "—"] for s in scores)
    _unit_table(document, ["名次", "单位", "得分", "等次"], documents.CENTRE, rows)


def _close(document: Any, ranking: Ranking, on: dt.date) -> None:
    documents.add_paragraph(document, "")
    for line in (
        f"{ranking.scheme.county.name}招商引资工作领导小组办公室",
        f"{on.year}年{on.month}月{on.day}日",
    ):
        paragraph = documents.add_paragraph(document, line, indent=False)
        paragraph.alignment = documents.RIGHT_ALIGN


def _listed(scores: list[Score]) -> str:
    return "、".join(f"{s.unit.name}（第{s.rank}名，{s.total:.2f}分）" for s in scores)


def unnamed_sentences(found: Cut, n: int, side: str, action: str) -> list[str]:
    """What a notice says of the units the tie rule (``cut``) did not name."""
    if found.too_few:
        return [f"本次考核参评单位不足规定数量，不作{action}。"]
    if found.all_tie:
        return [f"本次考核各单位得分并列，不作{action}。"]
    out = []
    if found.left_out:
        names = "、".join(s.unit.name for s in sorted(found.left_out, key=lambda s: s.unit.path))
        rank = found.left_out[0].rank
        out.append(
            f"{names}得分并列第{rank}名，并列单位数超出{side}{n}名名额，按考核办法并列名次不拆分，不作{action}。"
        )
    if not found.named and not out:
        out.append(f"本次考核不作{action}。")
    return out


def criticism_docx(ranking: Ranking, *, deadline: dt.date, on: dt.date) -> bytes:
    """通報批評: the ranking table, the named bottom units with their scores and ranks, and the
    requirement to rectify by ``deadline``."""
    scores = scores_of(ranking)
    found = criticism(ranking, scores)
    period = period_zh(ranking)
    document = documents.new_document()
    documents.add_title(document, f"关于{period}{ranking.group.name}招商引资工作考核排名情况的通报")
    documents.add_paragraph(document, f"各{ranking.group.name}：", indent=False)
    documents.add_paragraph(
        document,
        f"根据《{ranking.scheme.name}》，现将{period}{ranking.group.name}招商引资工作考核排名情况通报如下。",
    )
    documents.add_heading(document, "一、考核排名情况")
    _table(document, scores)
    documents.add_heading(document, "二、通报批评")
    if found.named:
        listed = _listed(criticised(ranking, scores))
        documents.add_paragraph(document, f"{listed}在本次考核中排名后{len(found.named)}位，予以通报批评。")
    for sentence in unnamed_sentences(found, ranking.group.bottom_n, "后", "通报批评"):
        documents.add_paragraph(document, sentence)
    documents.add_heading(document, "三、整改要求")
    documents.add_paragraph(
        document,
        "被通报批评的单位要认真查找差距，逐项对照失分情况制定整改措施，于"
        f"{deadline.year}年{deadline.month}月{deadline.day}日前将整改情况书面报送县招商引资工作领导小组办公室。"
        "连续两次被通报批评的单位，将按规定进行约谈问责。",
    )
    _close(document, ranking, on)
    return documents.to_bytes(document)


def commendation_docx(ranking: Ranking, *, on: dt.date) -> bytes:
    """通報表揚: the ranking table and the named top units."""
    scores = scores_of(ranking)
    found = commendation(ranking, scores)
    period = period_zh(ranking)
    document = documents.new_document()
    documents.add_title(document, f"关于表扬{period}招商引资工作考核先进单位的通报")
    documents.add_paragraph(document, f"各{ranking.group.name}：", indent=False)
    if found.named:
        listed = _listed(found.named)
        documents.add_paragraph(
            document,
            f"根据《{ranking.scheme.name}》，{listed}在{period}招商引资工作考核中成绩突出，予以通报表扬。",
        )
    for sentence in unnamed_sentences(found, ranking.group.top_n, "前", "通报表扬"):
        documents.add_paragraph(document, sentence)
    documents.add_heading(document, "附：考核排名情况")
    _table(document, scores)
    _close(document, ranking, on)
    return documents.to_bytes(document)


def file_name(ranking: Ranking, kind: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{period_zh(ranking)}{ranking.group.name}{kind}") + ".docx"


# --- rectification ----------------------------------------------------------------------------------


@transaction.atomic
def raise_rectifications(ranking: Ranking, *, by: User | None, deadline: dt.date, on: dt.date) -> int:
    """A rectification item (整改事項) for each criticised unit, owned by it, due on ``deadline``:
    recorded as an inspection of the unit on the day it is raised, through the inspections app.
    Raising again adds nothing for a unit that has its item already. Returns the items raised."""
    raised = 0
    for s in criticised(ranking):
        findings = f"{period_zh(ranking)}招商引资考核排名第{s.rank}名（{s.total:.2f}分），被通报批评。"
        if Inspection.objects.filter(unit=s.unit, findings=findings).exists():
            continue
        inspections.create_inspection(
            by=by,
            unit=s.unit,
            year=on.year,  # the inspection of the quarter the criticism is issued in
            quarter=(on.month - 1) // 3 + 1,
            inspected_on=on,
            inspectors="考核通报",
            findings=findings,
            items=[inspections.ItemData("对照考核失分项逐项整改，书面报送整改情况。", s.unit, deadline)],
        )
        raised += 1
    return raised


# --- red and black lists ----------------------------------------------------------------------------


@dataclass
class Standing:
    """One unit on the red/black list of a month: its year-to-date completion of the group's main
    indicator against 序时进度 (the share of the year gone)."""

    unit: Any
    completion: Any
    gap: Any  # percentage points ahead (+) or behind (−)


def red_black(group: Any, month: int, today: dt.date) -> tuple[list[Standing], list[Standing], Any]:
    """红黑榜 of a group for a month: red, the units at or ahead of progress against time on the
    group's main (tie-break) indicator, best first; black, those behind or without a target, worst
    first; and the time progress. Read from the roll-ups in a fixed number of queries."""
    from zhaoshang.ledger.completion import percent, period_months, time_share, to_tenth
    from zhaoshang.ledger.models import sum_of_kinds
    from zhaoshang.targets.models import Target

    item = group.items.filter(code=group.tie_item).select_related("indicator").first()
    if item is None or item.indicator is None:
        return [], [], None
    year = group.scheme.year
    units = scoring.members(group)
    months = period_months("ytd", month)
    figures = scoring.figures_from_totals(group.scheme.county, units, year, months, item.indicator.kinds)
    targets = dict(
        Target.objects.filter(unit__in=units, year=year, indicator=item.indicator).values_list(
            "unit_id", "value"
        )
    )
    progress = to_tenth(time_share(year, months, today) * 100)
    standings = []
    for unit in units:
        done = percent(sum_of_kinds(item.indicator.kinds, figures.get(unit.pk, {})), targets.get(unit.pk))
        standings.append(Standing(unit, done, None if done is None else done - progress))
    red = sorted((s for s in standings if s.gap is not None and s.gap >= 0), key=lambda s: -s.gap)
    black = sorted(
        (s for s in standings if s.gap is None or s.gap < 0),
        key=lambda s: s.gap if s.gap is not None else -(10**9),
    )
    return red, black, progress


def red_black_json(red: list[Standing], black: list[Standing], progress: Any) -> dict[str, Any]:
    """The lists as a published ranking's snapshot keeps them (amounts as text)."""

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    def rows(standings: list[Standing]) -> list[list[Any]]:
        return [[s.unit.pk, text(s.completion), text(s.gap)] for s in standings]

    return {"progress": text(progress), "red": rows(red), "black": rows(black)}


@dataclass
class RedBlack:
    """红黑榜 of a published ranking: as frozen when it was published (``frozen``), else, for a
    ranking published before the lists were kept, computed now for its month."""

    ranking: Ranking
    red: list[Standing]
    black: list[Standing]
    progress: Decimal | None
    frozen: bool = True


def published_red_black(ranking: Ranking) -> RedBlack:
    kept = ranking.snapshot.get("red_black")
    if kept is None:
        red, black, progress = red_black(ranking.group, ranking.month, ranking.published_at.date())
        return RedBlack(ranking, red, black, progress, frozen=False)
    from zhaoshang.units.models import Unit

    ids = [row[0] for row in kept["red"] + kept["black"]]
    units = Unit.objects.in_bulk(ids)

    def standings(rows: list[list[Any]]) -> list[Standing]:
        return [
            Standing(units[u], None if done is None else Decimal(done), None if gap is None else Decimal(gap))
            for u, done, gap in rows
            if u in units
        ]

    progress = None if kept["progress"] is None else Decimal(kept["progress"])
    return RedBlack(ranking, standings(kept["red"]), standings(kept["black"]), progress)


def bulletin_red_black(user: Any, unit: Any, year: int, month: int) -> list[RedBlack]:
    """The red and black lists of ``unit``'s published rankings of a month (the newest version of
    each group's ranking whose period ends in that month, as ``user`` may see them): what the
    monthly bulletin of the unit shows."""
    rankings = Ranking.objects.visible_to(user).filter(
        scheme__county=unit, year=year, month=month, group__subjects=Subjects.UNITS
    )
    found = [published_red_black(r) for r in newest_versions(rankings.select_related("group", "scheme"))]
    return [rb for rb in sorted(found, key=lambda rb: rb.ranking.group.sort_order) if rb.red or rb.black]


def _standing_row(n: int, s: Standing) -> list[str]:
    done = "—" if s.completion is None else f"{s.completion:.1f}"
    gap = "未下达任务" if s.gap is None else f"{s.gap:+.1f}"
    return [str(n), s.unit.name, done, gap]


def _standing_table(document: Any, standings: list[Standing]) -> None:
    rows = (_standing_row(n, s) for n, s in enumerate(standings, start=1))
    _unit_table(document, ["序号", "单位", "完成率(%)", "较序时进度"], documents.RIGHT_ALIGN, rows)


def red_black_docx(ranking: Ranking, *, on: dt.date) -> bytes:
    """红黑榜通報 of a published ranking: the time progress, the red list (at or ahead of 序時進度 on
    the group's main indicator) and the black list (behind it, or without a target)."""
    found = published_red_black(ranking)
    period = period_zh(ranking)
    group = ranking.group
    document = documents.new_document()
    documents.add_title(document, f"关于{period}{group.name}招商引资工作红黑榜的通报")
    documents.add_paragraph(document, f"各{group.name}：", indent=False)
    progress = "—" if found.progress is None else f"{found.progress:.1f}%"
    documents.add_paragraph(
        document,
        f"根据《{ranking.scheme.name}》，对照序时进度（截至{ranking.year}年{ranking.month}月底为{progress}），"
        f"现将{period}{group.name}招商引资目标任务完成情况红黑榜通报如下。",
    )
    documents.add_heading(document, "一、红榜（达到或超过序时进度）")
    if found.red:
        _standing_table(document, found.red)
    else:
        documents.add_paragraph(document, "无。")
    documents.add_heading(document, "二、黑榜（落后于序时进度）")
    if found.black:
        _standing_table(document, found.black)
    else:
        documents.add_paragraph(document, "无。")
    documents.add_heading(document, "三、有关要求")
    documents.add_paragraph(
        document,
        "列入红榜的单位要再接再厉，巩固提升；列入黑榜的单位要认真分析原因，"
        "制定赶超措施，确保按序时进度完成目标任务。",
    )
    _close(document, ranking, on)
    return documents.to_bytes(document)
