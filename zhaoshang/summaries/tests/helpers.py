"""The records behind report-township-2009-summary.txt, entered through the services: a township
with 9 projects introduced in 2009 of which 8 were started, 2 signed and not started, 2 in talks;
650万美元 of foreign funds against a target of 464.29 (140%) and 2.07亿元 of domestic funds
against 9000万元 (230%); 1.5万平方米 of standard factory area from a verified progress report;
劳务输出27人 against a target of 27 (100%), a manual indicator whose monthly figures the township
entered with their rosters and the bureau verified (one more figure returned, not counted)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from zhaoshang.conftest import Cast
from zhaoshang.dispatch import services as dispatch
from zhaoshang.dispatch.models import Round
from zhaoshang.investors.models import Investor
from zhaoshang.ledger import manual
from zhaoshang.ledger.funds import record_funds
from zhaoshang.ledger.models import Indicator
from zhaoshang.projects import services as projects
from zhaoshang.projects.models import Project
from zhaoshang.targets.services import set_targets
from zhaoshang.units.models import Unit

YEAR = 2009
STARTED = [
    ("海德威仪表仪器有限公司", "长冲", "5000"),
    ("金福嘴食品饮料厂", "海泉村", "2000"),
    ("城前岭建材有限公司", "城前岭", "3000"),
    ("铜坑湖农业开发有限公司", "铜坑湖", "1500"),
    ("长冲竹木制品有限公司", "长冲", "1200"),
    ("海泉生态养殖有限公司", "海泉村", "800"),
    ("鸿达纺织有限公司", "工业园", "6000"),
]


def _project(unit: Unit, investor: str, place: str, amount: str, stage: str, **dates: dt.date) -> Project:
    owner = Investor.objects.create(name=investor, origin_province="浙江省", origin_city="温州市", unit=unit)
    data = {
        "name": f"{investor}项目",
        "unit": unit,
        "location": place,
        "total_investment": Decimal(amount),
        **dates,
    }
    if "signed_on" in dates:
        data["contracted_amount"] = Decimal(amount)
    return projects.create_project(by=None, data=data, stage=stage, investors=[owner])


def township_2009(cast: Cast) -> Unit:
    unit = cast.town_a
    signed, started = dt.date(YEAR, 3, 10), dt.date(YEAR, 5, 20)
    made = [_project(unit, n, p, a, "started", signed_on=signed, started_on=started) for n, p, a in STARTED]
    # Signed the year before, started in 2009: started this year, not introduced this year.
    made.append(
        _project(
            unit,
            "宏远机械有限公司",
            "长冲",
            "2500",
            "started",
            signed_on=dt.date(YEAR - 1, 11, 2),
            started_on=started,
        )
    )
    _project(unit, "绿源农产品有限公司", "海泉村", "1800", "signed", signed_on=dt.date(YEAR, 9, 1))
    _project(unit, "华峰电子有限公司", "工业园", "3500", "signed", signed_on=dt.date(YEAR, 10, 15))
    owner = Investor.objects.create(name="铜坑湖投资方", unit=unit)
    projects.create_project(
        by=None,
        data={"name": "铜坑湖老龄公寓房产建设项目", "unit": unit, "total_investment": Decimal(6000)},
        stage="negotiating",
        investors=[owner],
    )
    projects.create_project(
        by=None,
        data={"name": "城前岭家具贸易城建设项目", "unit": unit, "total_investment": Decimal(5000)},
        stage="negotiating",
        investors=[owner],
    )
    record_funds(
        made[0],
        by=None,
        arrived_on=dt.date(YEAR, 6, 1),
        source="foreign",
        amount=Decimal(650),
        currency="USD",
        verified=True,
    )
    record_funds(
        made[1],
        by=None,
        arrived_on=dt.date(YEAR, 7, 1),
        source="domestic",
        amount=Decimal(12000),
        verified=True,
    )
    record_funds(
        made[2],
        by=None,
        arrived_on=dt.date(YEAR, 11, 1),
        source="domestic",
        amount=Decimal(8700),
        verified=True,
    )
    # Reported, not verified: never stated as arrived.
    record_funds(
        made[3],
        by=None,
        arrived_on=dt.date(YEAR, 12, 1),
        source="domestic",
        amount=Decimal(999),
        verified=False,
    )
    # 1.5万平方米 of standard factory built, from a verified progress report of the August round.
    dispatch.open_rounds(dt.date(YEAR, 8, 10))
    round_ = Round.objects.get(county=cast.county, due_on=dt.date(YEAR, 8, 12))
    report = dispatch.create_report(round_, made[0], by=None)
    data = {"factory_area": Decimal(15000), "progress_percent": 60, "progress_text": "厂房封顶"}
    report = dispatch.update_report(report, by=None, data=data)
    dispatch.verify_report(dispatch.submit_report(report, by=None, today=dt.date(YEAR, 8, 11)), by=None)
    labour = labour_export(unit)
    indicators = {i.code: i for i in Indicator.objects.all()}
    set_targets(
        None,
        unit,
        YEAR,
        {
            indicators["funds_foreign"]: Decimal("464.29"),
            indicators["funds_domestic"]: Decimal(9000),
            labour: Decimal(27),
        },
    )
    return unit


def labour_export(unit: Unit) -> Indicator:
    """劳务输出27人: a manual indicator (evidence: the roster), two monthly figures verified (15 in May,
    12 in October) and one returned (never counted)."""
    labour = manual.define(
        by=None,
        slug="labour",
        name_zh="劳务输出",
        name_en="labour export",
        measure="persons",
        evidence=["voucher"],
    )
    for month, people in ((5, 15), (10, 12), (11, 6)):
        roster = SimpleUploadedFile(f"花名册{month}.pdf", b"roster")
        entry = manual.record_entry(
            labour, unit, by=None, year=YEAR, month=month, amount=Decimal(people), evidence=roster
        )
        if month == 11:
            manual.return_entry(entry, by=None, reason="重复填报")
        else:
            manual.verify_entry(entry, by=None)
    return labour
