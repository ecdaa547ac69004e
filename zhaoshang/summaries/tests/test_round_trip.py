"""The round trip: a summary written by the system, read back in by the old-report reader, gives
the figures it was written from (issue 21). What a county writes today is next year's old report."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from zhaoshang.ingest.reader.documents import file_bytes
from zhaoshang.ingest.reader.pipeline import read_bytes
from zhaoshang.summaries import generate
from zhaoshang.summaries.periods import Period
from zhaoshang.summaries.tests.helpers import YEAR, township_2009


def test_the_reader_reads_back_the_figures_a_summary_states(cast):
    unit = township_2009(cast)
    content, stem = generate.summary_file(cast.admin, unit, Period(YEAR), timezone.localdate())
    reading = read_bytes(file_bytes(f"{stem}.docx", content))
    found = {(f.indicator, f.value, f.unit) for f in reading.figures if f.kind == "actual"}
    assert {
        ("引进项目", Decimal(9), "count"),
        ("开工建设项目", Decimal(8), "count"),
        ("签约未开工项目", Decimal(2), "count"),
        ("在谈项目", Decimal(2), "count"),
        ("境外到位资金", Decimal(650), "万美元"),
        ("境内市外到位资金", Decimal(20700), "万元"),  # 2.07亿元
        ("标准厂房建设", Decimal(15000), "平方米"),  # 1.5万平方米
        ("劳务输出", Decimal(27), "count"),  # a manual indicator's figure
    } <= found
    # and the completion rates it states against the targets
    rates = {f.value for f in reading.figures if f.kind == "completion_rate"}
    assert rates == {Decimal(140), Decimal(230), Decimal(100)}  # 劳务输出27人 at 100 %
    # the projects listed by stage come back at their stage; a task of the plan (加快推进在谈项目签约落地)
    # neither moves a project in talks to signed nor is a project itself
    stages = {p.name: p.stage for p in reading.projects}
    assert {name for name, stage in stages.items() if stage == "started"} >= {
        "海德威仪表仪器有限公司",
        "鸿达纺织有限公司",
    }
    assert stages["铜坑湖老龄公寓房产建设项目"] == stages["城前岭家具贸易城建设项目"] == "negotiating"
    assert not any(name.startswith("加快") for name in stages)
