"""The summary states the landed enterprises as the reports do (issue 21: "全县在册外来企业22家，其中15家
重点外来企业实现产值3.31亿元，上交税金2483万元，安置就业1063人"), from the ledger's kinds of issue 23, with
the dashboard's figures; jobs are the headcount at the period's end; a township reads its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhaoshang.enterprises import services
from zhaoshang.enterprises.tests.helpers import enterprise, reference_county
from zhaoshang.ledger.models import Indicator
from zhaoshang.overview.dashboard import key_indicators
from zhaoshang.summaries import sentences
from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.periods import Period
from zhaoshang.targets.models import Target

YEAR = dt.date.today().year - 1
TODAY = dt.date(YEAR + 1, 1, 15)


def test_the_county_summary_states_the_reference_sentence_with_the_dashboards_figures(cast):
    reference_county(cast, YEAR)
    facts = summary_facts(cast.admin, cast.county, Period(YEAR), TODAY)
    text = "".join(sentences.results(facts))
    reference = (
        "全县在册外来企业22家，其中15家重点外来企业实现产值3.31亿元，上交税金2483万元，安置就业1063人。"
    )
    assert reference in text
    # stated once: not again in the list of every indicator (sales stay there)
    assert "重点外来企业产值" not in text and "重点外来企业上交税金" not in text
    assert "重点外来企业销售收入" in text
    dashboard = {r.indicator.code: r for r in key_indicators(cast.admin, cast.county, YEAR, TODAY, "ytd", 12)}
    assert facts.figure("ent_output").actual == dashboard["key_enterprise_output"].actual == Decimal(33100)
    assert facts.figure("ent_tax").actual == dashboard["key_enterprise_tax"].actual == Decimal(2483)
    assert facts.enterprises.jobs == dashboard["key_enterprise_jobs"].actual == Decimal(1063)


def test_a_half_year_states_its_quarters_and_the_headcount_at_its_end(cast):
    made = reference_county(cast, YEAR)
    services.withdraw_return(made[0].returns.get(year=YEAR, quarter=4), by=cast.admin, reason="误报")
    first = summary_facts(cast.admin, cast.county, Period(YEAR, 1, 6), TODAY)
    # six months of 15 key enterprises: half their output and tax; the headcount of the second quarter
    # (10 fewer each)
    assert "其中15家重点外来企业实现产值1.66亿元，上交税金1241.5万元，安置就业913人。" in "".join(
        sentences.results(first)
    )
    second = summary_facts(cast.admin, cast.county, Period(YEAR, 7, 12), TODAY)
    text = "".join(sentences.results(second))
    # the withdrawn fourth quarter of one enterprise: its third quarter's headcount (65) stands
    assert "其中15家重点外来企业实现产值1.6亿元，上交税金1200.25万元，安置就业1058人。" in text


def test_a_township_reads_its_own_enterprises_and_a_target_states_its_completion(cast):
    reference_county(cast, YEAR)
    jobs = Indicator.objects.get(code="key_enterprise_jobs")
    Target.objects.create(unit=cast.town_b, indicator=jobs, year=YEAR, value=Decimal(500))
    facts = summary_facts(cast.operator_b, cast.town_b, Period(YEAR), TODAY)
    text = "".join(sentences.results(facts))
    # 河口乡 holds the enterprises of even index: 11 registered, 8 key (7 × 70 + 83 = 573 jobs)
    assert "全乡在册外来企业11家，其中8家重点外来企业实现产值1.77亿元，上交税金1328万元，" in text
    assert "安置就业573人（占全年任务的114.6%）。" in text


def test_no_sentence_without_enterprises_and_a_count_alone_without_key_returns(cast):
    facts = summary_facts(cast.admin, cast.county, Period(YEAR), TODAY)
    assert facts.enterprises is None and "外来企业" not in "".join(sentences.results(facts))
    enterprise(cast, 1, key=False)
    facts = summary_facts(cast.admin, cast.county, Period(YEAR), TODAY)
    assert "全县在册外来企业1家。" in "".join(sentences.results(facts))
