"""Demo landed enterprises and parks: every demo project in production registered as its enterprise,
more enterprises that came before the system, two years of quarterly returns (verified but for the
latest quarter), the stewards' visits with a few problems raised as requests, the parks' profiles,
infrastructure and standard factories, and idle land and buildings. Written through the services by
the system (``by=None``); called once from ``demo.demo.load_demo``."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from zhaoshang.enterprises import services as enterprises
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.investors.creditcode import check_character
from zhaoshang.parks import services
from zhaoshang.projects.choices import IndustrySection, Sector
from zhaoshang.units.models import Unit

ENTERPRISES = 40
TRADES = [
    "鞋业",
    "服装",
    "电子",
    "机械",
    "新材料",
    "食品",
    "家具",
    "光伏",
    "包装",
    "汽配",
    "医疗器械",
    "纺织",
]
ORIGINS = ["温州", "台州", "东莞", "苏州", "宁波", "泉州", "深圳", "香港", "杭州", "佛山"]
FINDINGS = [
    "生产经营正常，订单饱满。",
    "产能利用率约八成，新生产线调试中。",
    "受原材料涨价影响，利润下滑。",
]
PROBLEMS = [
    "招工难，需协调人社部门组织专场招聘。",
    "厂区道路未硬化，雨天运输困难。",
    "电力容量不足，需协调扩容。",
]
INFRASTRUCTURE = [("road", 3500, 25), ("water", 1600, 8), ("power", 2000, 12), ("culvert", 90, 5)]


def _code(county: Unit, n: int) -> str:
    first17 = f"91{county.code[:6]}{n:09d}"
    return first17 + check_character(first17)


def _parks(rng: random.Random, county: Unit, today: dt.date) -> list[Unit]:
    parks = list(Unit.objects.subtree(county).filter(kind="park").order_by("path"))
    for i, park in enumerate(parks):
        planned = Decimal(300 if i else 3000)
        services.save_profile(
            park,
            by=None,
            data={
                "planned_mu": planned,
                "developed_mu": planned / 3,
                "reserve_mu": planned / 5,
                "land_price_per_mu": Decimal(1),
                "land_price_policy": "凡进入园区的外商项目土地价格统一为每亩1万元",
            },
        )
        for kind, quantity, amount in INFRASTRUCTURE:
            services.add_infrastructure(
                park,
                by=None,
                kind=kind,
                quantity=Decimal(quantity * (i + 1)),
                amount=Decimal(amount * (i + 1)),
                built_on=today - dt.timedelta(days=rng.randint(100, 700)),
            )
    return parks


def _enterprises(rng: random.Random, county: Unit, parks: list[Unit]) -> list[Enterprise]:
    made: list[Enterprise] = []
    for project in enterprises.operating_unregistered_in(county)[:ENTERPRISES]:
        made.append(
            enterprises.register_from_project(project, by=None, credit_code=_code(county, len(made) + 1))
        )
    townships = list(Unit.objects.subtree(county).filter(kind="township").order_by("path"))
    while len(made) < ENTERPRISES:
        n = len(made) + 1
        trade = rng.choice(TRADES)
        unit = rng.choice(townships)
        section = rng.choice([IndustrySection.C, IndustrySection.C, IndustrySection.F, IndustrySection.G])
        sector = Sector.SECONDARY if section in (IndustrySection.C, IndustrySection.F) else Sector.TERTIARY
        made.append(
            enterprises.register_enterprise(
                by=None,
                data={
                    "name": f"{rng.choice(ORIGINS)}{trade}有限公司{n}",
                    "credit_code": _code(county, n),
                    "unit": unit,
                    "park": rng.choice(parks) if parks and rng.random() < 0.5 else None,
                    "sector": sector,
                    "industry_section": section,
                    "land_mu": Decimal(rng.randint(10, 120)) if rng.random() < 0.9 else None,
                    "operating_on": dt.date(2018 + n % 6, 1 + n % 12, 1),
                },
            )
        )
    return made


def _returns(rng: random.Random, made: list[Enterprise], today: dt.date) -> None:
    quarters = enterprises.past_quarters(8, today)
    for enterprise in made:
        base = Decimal(rng.randint(200, 3000))
        jobs = rng.randint(20, 200)
        for index, (year, quarter) in enumerate(quarters):
            output = (base * Decimal(rng.uniform(0.85, 1.2))).quantize(Decimal("0.01"))
            enterprises.record_return(
                enterprise,
                by=None,
                year=year,
                quarter=quarter,
                output=output,
                sales=(output * Decimal("0.95")).quantize(Decimal("0.01")),
                tax=(output * Decimal(rng.uniform(0.0, 0.09))).quantize(Decimal("0.01")),
                jobs=jobs + index,
                energy=Decimal(rng.randint(50, 900)) if rng.random() < 0.7 else None,
                verified=index < len(quarters) - 1,  # the latest quarter waits for the bureau
            )


def _visits_and_stewards(rng: random.Random, made: list[Enterprise], today: dt.date) -> None:
    for n, enterprise in enumerate(made):
        stewards = list(enterprises.eligible_stewards(enterprise.unit)[:2])
        key = n % 8 < 3  # about 15 of 40 are key enterprises
        enterprises.update_enterprise(enterprise, by=None, data={"key": key}, stewards=stewards)
        if n % 4 == 3:
            continue  # a quarter of them not yet visited this quarter
        visited_on = today - dt.timedelta(days=rng.randint(0, 20))
        problems = PROBLEMS[n % len(PROBLEMS)] if n % 6 == 0 else ""
        enterprises.record_visit(
            enterprise,
            by=None,
            visited_on=visited_on,
            visitors="、".join(s.display_name for s in stewards) or "招商局",
            findings=rng.choice(FINDINGS),
            problems=problems,
        )


def _factories_and_idle(rng: random.Random, county: Unit, parks: list[Unit], made: list[Enterprise]) -> None:
    for i, park in enumerate(parks):
        tenants = [e for e in made if e.park_id == park.pk]
        for k in range(3):
            services.add_factory(
                park,
                by=None,
                name=f"{k + 1}号标准厂房",
                floor_area=Decimal(3000 + 1000 * k),
                tenant=tenants[k] if k < len(tenants) and k < 2 else None,
            )
        services.record_idle_asset(
            by=None,
            data={
                "unit": park,
                "kind": "land",
                "name": f"园区东片储备地{i + 1}",
                "area": Decimal(80),
                "owner": "园区管委会",
            },
        )
    for k, township in enumerate(Unit.objects.subtree(county).filter(kind="township").order_by("path")[:4]):
        services.record_idle_asset(
            by=None,
            data={
                "unit": township,
                "kind": "building" if k % 2 == 0 else "land",
                "name": f"{township.name}原乡镇企业{'厂房' if k % 2 == 0 else '闲置地'}",
                "area": Decimal(2400 if k % 2 == 0 else 35),
                "owner": f"{township.name}集体",
                "condition": "结构完好，水电齐全" if k % 2 == 0 else "已平整",
                "asking_terms": "租金每月每平方米8元" if k % 2 == 0 else "每亩1万元",
            },
        )


def load(rng: random.Random, county: Unit, today: dt.date) -> int:
    """Write the demo parks and landed enterprises of ``county``; returns how many enterprises."""
    parks = _parks(rng, county, today)
    made = _enterprises(rng, county, parks)
    _returns(rng, made, today)
    _visits_and_stewards(rng, made, today)
    _factories_and_idle(rng, county, parks, made)
    return len(made)
