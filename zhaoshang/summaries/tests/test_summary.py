"""一、工作成效 of the township's 2009 summary, written from the records: the figures and lists of
report-township-2009-summary.txt, every figure equal to the dashboard's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhaoshang.ledger.completion import completion
from zhaoshang.ledger.drilldown import Period as FigurePeriod
from zhaoshang.ledger.drilldown import records_behind
from zhaoshang.overview.dashboard import key_indicators
from zhaoshang.summaries import sentences
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.periods import Period
from zhaoshang.summaries.tests.helpers import YEAR, township_2009

TODAY = dt.date(YEAR + 1, 1, 15)


def test_the_results_state_the_reports_figures(cast):
    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    text = "".join(sentences.results(facts))
    assert "全年，全镇共引进项目9个，其中已开工建设项目8个" in text
    assert "签约未开工项目2个，在谈项目2个。" in text
    assert "境外到位资金650万美元，占全年任务的140%" in text
    assert "境内市外到位资金2.07亿元，占全年任务的230%" in text
    assert "标准厂房建设1.5万平方米" in text
    assert "劳务输出27人，占全年任务的100%" in text


def test_labour_export_is_a_manual_figure_counted_by_the_ledger_at_100_percent(cast):
    """劳务输出27人 at 100 %: the verified monthly figures (15 + 12; the returned 6 not counted) reach
    the ledger's completion against the target of 27, and the records behind the figure add up to it."""
    unit = township_2009(cast)
    rows = {r.indicator.code: r for r in completion(unit, YEAR, "ytd", 12, TODAY)}
    labour = rows["m_labour"]
    assert (labour.actual, labour.target, labour.completion) == (Decimal(27), Decimal(27), Decimal(100))
    assert labour.reported == 0
    behind = records_behind(labour.indicator, unit, FigurePeriod.of(YEAR), user=cast.admin)
    assert behind.verified == Decimal(27) and behind.count == 2
    assert sorted(line.verified for line in behind.lines) == [Decimal(12), Decimal(15)]
    assert all(line.record == "manual" and line.url for line in behind.lines)
    # The figures the report states, from the same ledger completion.
    assert (rows["funds_foreign"].completion, rows["funds_domestic"].completion) == (
        Decimal(140),
        Decimal(230),
    )
    assert (rows["projects_signed"].actual, rows["projects_started"].actual) == (Decimal(9), Decimal(8))
    assert rows["factory_area"].actual == Decimal(15000)


def test_the_projects_are_listed_by_stage_as_the_report_lists_them(cast):
    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    paragraphs = dict(sentences.stage_paragraphs(facts.stage_lists))
    assert list(paragraphs) == ["（1）已开工建设项目8个：", "（2）签约项目2个：", "（3）在谈项目2个："]
    assert (
        paragraphs["（1）已开工建设项目8个："][0] == "1、海德威仪表仪器有限公司，投资5000万元，落户在长冲。"
    )
    assert paragraphs["（3）在谈项目2个："] == [
        "1、计划投资6000万元的铜坑湖老龄公寓房产建设项目。",
        "2、计划投资5000万元的城前岭家具贸易城建设项目。",
    ]


def test_every_figure_equals_the_dashboards_for_the_same_unit_and_year(cast):
    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    dashboard = {r.indicator.code: r for r in key_indicators(cast.admin, unit, YEAR, TODAY, "ytd", 12)}
    assert {f.code for f in facts.figures} == set(dashboard)
    for figure in facts.figures:
        row = dashboard[figure.code]
        assert (figure.actual, figure.target, figure.completion) == (row.actual, row.target, row.completion)


def test_a_half_year_counts_only_its_months(cast):
    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR, 1, 6), TODAY)
    text = "".join(sentences.results(facts))
    assert text.startswith("1—6月，全镇共引进项目7个，其中已开工建设项目8个")
    assert "境外到位资金650万美元" in text and "境内市外到位资金0万元" in text


def test_a_stranger_reads_nothing_of_the_township(cast):
    unit = township_2009(cast)
    facts = summary_facts(cast.stranger, unit, Period(YEAR), TODAY)
    assert all(not s.projects for s in facts.stage_lists)
    assert all(f.target is None for f in facts.figures)


def test_amounts_are_written_as_the_reports_write_them():
    from decimal import Decimal

    assert sentences.amount(Decimal("20700"), "wan_cny") == "2.07亿元"
    assert sentences.amount(Decimal("5000.0000"), "wan_cny") == "5000万元"
    assert sentences.amount(Decimal("15000"), "m2") == "1.5万平方米"
    assert sentences.amount(Decimal("2.5"), "count") == "2.5个"
    assert sentences.percent_text(Decimal("140.0")) == "140%"


def test_a_count_with_a_target_states_its_completion(cast):
    from decimal import Decimal

    from zhaoshang.ledger.models import Indicator
    from zhaoshang.targets.services import set_targets

    unit = township_2009(cast)
    set_targets(None, unit, YEAR, {Indicator.objects.get(code="projects_signed"): Decimal(10)})
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    assert "全镇共引进项目9个（占全年任务的90%），其中已开工建设项目8个，" in sentences.opening(facts)


def test_new_and_continued_starts_are_stated_once_the_ledger_counts_them(cast):
    """新建/续建 arrive as figures of their own kinds (the counting issue): the sentence states them."""
    from dataclasses import replace
    from decimal import Decimal

    unit = township_2009(cast)
    facts = summary_facts(cast.admin, unit, Period(YEAR), TODAY)
    started = next(f for f in facts.figures if f.kind == "started")
    facts.figures += [
        replace(started, code="started_new", kind="started_new", actual=Decimal(7)),
        replace(started, code="started_continued", kind="started_continued", actual=Decimal(1)),
    ]
    assert "其中已开工建设项目8个（新建7个、续建1个）" in sentences.opening(facts)
    assert "新建" not in sentences.other_indicators(facts)  # stated once
