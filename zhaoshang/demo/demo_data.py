"""The raw material of the demo county (see demo.py): place names, people, investors, kinds of
project, the proportions the demo draws from, and the small draws that need no database. All of
it is fictional."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zhaoshang.investors.choices import InvestorKind
from zhaoshang.projects.choices import SECTION_SECTOR, ApprovalKind, Currency, Sector, Stage


def words(text: str) -> list[str]:
    return text.split()


# --- the county --------------------------------------------------------------------------------

TOWNSHIPS = (
    "城关镇 河口乡 长冲乡 海泉镇 东城街道 西城街道 石桥镇 白沙镇 青山乡 龙潭镇 柳林乡 双河镇 桃源乡 新集镇"
)
# The county seat and the new town attract more investors than the hill townships.
TOWNSHIP_WEIGHT = {"城关镇": 4, "河口乡": 2, "东城街道": 2}
VILLAGES = (
    "铜坑湖 城前岭 王庄 李集 杨树湾 柏树坪 大塘 新河 枫林 石门 黄土岭 三合 五里墩 张湾 刘庄 马鞍山 桥头 "
    "上坪 下坪 红旗 兴隆 光明 金盆 竹园 茶山 河西 花园 松林 永丰 丰收 团结 新华 龙泉 白鹤 双塘 凤凰 梅岭 "
    "桂花 青龙 太平 卧龙 清水"
)
COMMUNITIES = "南关 北关 东门 西门 文昌 人民路 解放路 滨河"
DEPARTMENTS = "县发改委 县商务局 县林业局 县工信局 县农业农村局 县文旅局 县自然资源局 县住建局"
RESIDENT_OFFICES = (
    ("驻北京招商办事处", "驻京办"),
    ("驻广州招商办事处", "驻穗办"),
    ("驻杭州招商办事处", "驻杭办"),
)
PARKS = (("示例县经济开发区", "经开区"), ("示例县现代农业产业园", "农业园"))
PARK_PLACES = {
    "经开区": words("创业大道 工业大道 纬二路 经三路 科技路"),
    "农业园": words("核心区 东片区 西片区 育苗中心北侧 冷链仓储区"),
}


# --- people and investors ----------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖"
)
GIVEN_NAMES = words(
    "建华 国强 志刚 海燕 秀英 明 伟 芳 军 丽 勇 静 磊 洋 艳 杰 涛 超 俊 辉 敏 华 强 平 刚 桂英 红梅 建国 "
    "建军 文 斌 宇 鹏 晓东 立新 德明 永红 春生 玉兰 金华 卫东 振华 学文 志强 小平 长江 光辉 新民 "
    "世杰 家豪 伟明"
)
MOBILE_PREFIXES = words("133 135 137 138 139 150 151 158 180 187 189")
BRAND_HEADS = "宏华金鑫恒瑞天永嘉博锦润绿德盛银佳信和兴隆昌泰丰"
BRAND_TAILS = "达泰福源通诚盛禾远程泽新辉鼎宇康利发旺"
# Where domestic investors come from: (province, city, the prefix of their company names, weight).
ORIGINS = (
    ("浙江省", "温州市", "温州", 8), ("广东省", "深圳市", "深圳", 6), ("广东省", "东莞市", "东莞", 4),
    ("江苏省", "苏州市", "苏州", 4), ("上海市", "", "上海", 4), ("福建省", "泉州市", "晋江", 3),
    ("浙江省", "金华市", "义乌", 3), ("安徽省", "合肥市", "合肥", 3), ("湖北省", "武汉市", "武汉", 2),
    ("北京市", "", "北京", 2), ("山东省", "青岛市", "青岛", 2), ("重庆市", "", "重庆", 2),
    ("四川省", "成都市", "成都", 2), ("河南省", "郑州市", "郑州", 2), ("湖南省", "长沙市", "长沙", 2),
    ("浙江省", "杭州市", "杭州", 3), ("浙江省", "宁波市", "宁波", 2), ("福建省", "厦门市", "厦门", 2),
)  # fmt: skip
# Company name endings, how common they are, and the kinds of project (TEMPLATES keys) such a
# company invests in.
TRADES = {
    "实业有限公司": (6, "factory wallboard paper furniture cloth textile supermarket building hotel"),
    "科技有限公司": (5, "meter electronics led battery data agritech ecommerce"),
    "食品有限公司": (3, "food feed corn tea"),
    "农业开发有限公司": (4, "chicken veg oiltea herb pig farm fruit livestock"),
    "投资集团有限公司": (3, "logistics cold resort scenic complex biomass factory"),
    "机械制造有限公司": (2, "auto agrimach"),
    "物流有限公司": (2, "cold logistics parcel"),
    "文化旅游发展有限公司": (2, "resort scenic homestay"),
    "新能源有限公司": (1, "solar biomass"),
    "健康产业有限公司": (1, "care hospital medicine"),
    "置业有限公司": (1, "elderly complex factory"),
    "环保科技有限公司": (1, "sewage biomass solar"),
    "矿业有限公司": (1, "stone wallboard"),
    "竹木制品有限公司": (1, "bamboo furniture"),
}
PERSON_TRADES = "farm chicken veg fruit supermarket cloth homestay tea garage bamboo"
# Investors from outside the mainland (境外, counted in 万美元): (origin, name, kind, brand, trade).
OVERSEAS = (
    ("韩国", "韩国大成食品株式会社", InvestorKind.ENTERPRISE, "大成", "food corn"),
    ("韩国", "韩国新元电子株式会社", InvestorKind.ENTERPRISE, "新元", "electronics led"),
    ("韩国", "韩国东亚纺织株式会社", InvestorKind.ENTERPRISE, "东亚", "cloth textile"),
    ("德国", "德国汉斯精密机械有限公司", InvestorKind.ENTERPRISE, "汉斯", "auto agrimach"),
    ("德国", "德国莱茵环保科技有限公司", InvestorKind.ENTERPRISE, "莱茵", "sewage biomass"),
    ("德国", "德国博格仪表有限公司", InvestorKind.ENTERPRISE, "博格", "meter"),
    ("匈牙利", "匈牙利多瑙农业发展有限公司", InvestorKind.ENTERPRISE, "多瑙", "chicken veg fruit"),
    ("匈牙利", "科瓦奇·拉斯洛", InvestorKind.PERSON, "", "textile"),
    ("中国香港", "香港嘉信国际投资集团有限公司", InvestorKind.ENTERPRISE, "嘉信", "logistics resort complex"),
    ("中国香港", "香港明德实业有限公司", InvestorKind.ENTERPRISE, "明德", "paper furniture"),
    ("中国香港", "香港瑞丰贸易有限公司", InvestorKind.ENTERPRISE, "瑞丰", "building supermarket"),
    ("中国香港", "香港东方汇通投资有限公司", InvestorKind.ENTERPRISE, "汇通", "cold hotel"),
    ("中国台湾", "台湾宏展精密工业股份有限公司", InvestorKind.ENTERPRISE, "宏展", "electronics auto"),
)
HONG_KONG_PERSONS = 3
DOMESTIC_PERSONS = 22

# --- projects ----------------------------------------------------------------------------------

# key | GB/T 4754 section | name ({n}: a capacity) | total investment from, to (万元) | capacities
_TEMPLATE_LINES = """
food|C|年产{n}万吨食品饮料加工项目|1000|30000|1 2 3 5 10
meter|C|仪表仪器生产线项目|1000|10000|
auto|C|年产{n}万套汽车零部件项目|3000|50000|10 20 50 100
wallboard|C|新型墙体材料生产项目|800|8000|
bamboo|C|竹集成材加工项目|800|6000|
paper|C|高档生活用纸生产项目|2000|20000|
feed|C|年产{n}万吨饲料加工项目|1000|15000|5 10 20
corn|C|年产{n}万吨玉米精深加工项目|3000|40000|10 20
cloth|C|服装加工项目|500|5000|
electronics|C|电子元器件生产项目|2000|30000|
textile|C|年产{n}万米纯棉坯布纺织项目|2000|20000|500 1000 2000
furniture|C|实木家具制造项目|800|10000|
medicine|C|中药饮片加工项目|1000|8000|
led|C|LED照明产品生产项目|1000|12000|
tea|C|茶叶精深加工项目|500|5000|
battery|C|锂电池配件生产项目|5000|50000|
agrimach|C|农机装备制造项目|2000|20000|
factory|E|标准化厂房建设项目|2000|30000|
chicken|A|{n}万只山地鸡生态养殖项目|500|5000|10 20 50 100 200
veg|A|有机蔬菜种植基地项目|500|6000|
oiltea|A|油茶种植基地项目|500|8000|
herb|A|中药材规范化种植基地项目|500|5000|
pig|A|年出栏{n}万头生猪养殖项目|2000|20000|1 2 5 10
farm|A|生态农庄项目|500|3000|
fruit|A|精品果园建设项目|500|3000|
cold|G|农产品冷链物流园|3000|30000|
logistics|G|商贸物流园项目|5000|50000|
parcel|G|电商快递分拣中心项目|1000|8000|
supermarket|F|大型综合超市项目|500|3000|
building|F|建材家居交易市场项目|2000|20000|
livestock|F|畜产品交易批发市场项目|1000|10000|
resort|R|乡村旅游度假区|3000|50000|
scenic|R|水利风景区旅游综合开发项目|5000|50000|
homestay|H|精品民宿集群项目|500|5000|
hotel|H|商务酒店项目|3000|20000|
elderly|K|老年公寓建设项目|3000|30000|
complex|K|商业综合体项目|10000|50000|
solar|D|分布式光伏发电项目|1000|30000|
biomass|D|生物质热电联产项目|10000|50000|
ecommerce|I|农村电商服务中心项目|500|3000|
data|I|大数据中心项目|5000|50000|
care|Q|康养中心项目|2000|20000|
hospital|Q|民营综合医院项目|3000|30000|
agritech|M|农业科技研发中心项目|500|5000|
sewage|N|乡镇污水处理厂项目|1000|10000|
stone|B|饰面石材开采加工项目|1000|10000|
garage|O|汽车维修服务中心项目|500|2000|
"""


@dataclass(frozen=True)
class Template:
    key: str
    section: str
    pattern: str
    low: int
    high: int
    sizes: tuple[str, ...]


def _parse_templates(text: str) -> dict[str, Template]:
    found = {}
    for line in text.strip().splitlines():
        key, section, pattern, low, high, sizes = line.split("|")
        found[key] = Template(key, section, pattern, int(low), int(high), tuple(sizes.split()))
    return found


TEMPLATES = _parse_templates(_TEMPLATE_LINES)

# Total investment bands: (from, to, step, weight). Most county projects are a few thousand 万元; a
# few pass 1亿元 and the largest reach 5亿元. Overseas projects are in 万美元.
CNY_BANDS = (
    (500, 1000, 50, 22), (1000, 3000, 100, 30), (3000, 5000, 200, 17),
    (5000, 10000, 500, 15), (10000, 20000, 1000, 7), (20000, 50000, 5000, 4),
)  # fmt: skip
USD_BANDS = ((80, 300, 10, 50), (300, 1000, 50, 35), (1000, 3000, 100, 15))
USD_TO_CNY = 7  # a rough rate, used only to size land and jobs of overseas projects

# How many projects sit at each stage, per 360: more signed and started than operating.
STAGE_MIX: dict[str, int] = {
    Stage.LEAD: 30, Stage.NEGOTIATING: 45, Stage.INTENT: 30, Stage.SIGNED: 75,
    Stage.STARTED: 80, Stage.COMPLETED: 30, Stage.OPERATING: 45, Stage.DROPPED: 25,
}  # fmt: skip
# How the first contact of a project at each stage falls over the three years, oldest first:
# projects further down the pipeline were met earlier.
CONTACT_YEARS: dict[str, tuple[int, int, int]] = {
    Stage.LEAD: (5, 25, 70), Stage.NEGOTIATING: (10, 30, 60), Stage.INTENT: (15, 35, 50),
    Stage.SIGNED: (25, 45, 30), Stage.STARTED: (45, 40, 15), Stage.COMPLETED: (70, 30, 0),
    Stage.OPERATING: (100, 0, 0), Stage.DROPPED: (30, 40, 30),
}  # fmt: skip
# Days from the previous stage to this one: (fewest, most).
GAP_DAYS: dict[str, tuple[int, int]] = {
    Stage.NEGOTIATING: (5, 45), Stage.INTENT: (10, 60), Stage.SIGNED: (15, 120),
    Stage.STARTED: (20, 150), Stage.COMPLETED: (90, 360), Stage.OPERATING: (10, 90),
    Stage.DROPPED: (30, 300),
}  # fmt: skip
FORWARD: tuple[str, ...] = (
    Stage.NEGOTIATING,
    Stage.INTENT,
    Stage.SIGNED,
    Stage.STARTED,
    Stage.COMPLETED,
    Stage.OPERATING,
)
DROPPED_AFTER = {Stage.LEAD: 15, Stage.NEGOTIATING: 35, Stage.INTENT: 20, Stage.SIGNED: 20, Stage.STARTED: 10}
DROP_REASONS = (
    "投资方资金链断裂", "落户外地", "项目用地未能落实", "投资方战略调整，撤回投资",
    "环评未获通过", "市场行情变化，投资方放弃", "合作条件未能达成一致",
)  # fmt: skip
STAGE_NOTES: dict[str, str] = {
    Stage.LEAD: "首次接洽", Stage.NEGOTIATING: "进入实质性洽谈", Stage.INTENT: "签订投资意向协议",
    Stage.SIGNED: "签订正式投资合同", Stage.STARTED: "项目开工建设", Stage.COMPLETED: "主体工程竣工验收",
    Stage.OPERATING: "建成投产",
}  # fmt: skip
# Approvals in the order a project usually obtains them after signing.
APPROVAL_ORDER: tuple[str, ...] = (
    ApprovalKind.BUSINESS_REGISTRATION, ApprovalKind.PROJECT_FILING, ApprovalKind.ENVIRONMENT,
    ApprovalKind.LAND, ApprovalKind.PLANNING, ApprovalKind.CONSTRUCTION,
)  # fmt: skip
# Share (%) of the introducing department or resident office when it shares the credit.
INTRODUCER_SHARES = (40, 40, 30, 50, 60, 20)
CONTRACT_SHARES = (100, 100, 100, 90, 80, 70, 60, 50)  # contracted amount, % of total investment
BIG_PROJECT = 10000  # 万元: a county leader steers projects of 1亿元 and more
POSITIONS = {
    "镇": ("副镇长", "镇党委委员", "镇招商办主任"),
    "乡": ("副乡长", "乡党委委员", "乡招商办主任"),
    "街道": ("街道办事处副主任", "街道党工委委员", "街道招商办主任"),
    "park": ("管委会副主任", "管委会招商局局长", "企业服务科科长"),
    "county": ("副县长", "县招商局局长", "县招商局副局长", "县政府办副主任"),
}


# --- draws ------------------------------------------------------------------------------------


def stage_quota(count: int) -> dict[str, int]:
    """Projects per stage for ``count`` projects, in the proportions of STAGE_MIX, each stage ≥ 1."""
    total = sum(STAGE_MIX.values())
    quota = {stage: max(1, count * weight // total) for stage, weight in STAGE_MIX.items()}
    order = sorted(STAGE_MIX, key=STAGE_MIX.__getitem__, reverse=True)
    step = 0
    while (missing := count - sum(quota.values())) != 0:
        stage = order[step % len(order)]
        if missing > 0:
            quota[stage] += 1
        elif quota[stage] > 1:
            quota[stage] -= 1
        step += 1
    return quota


def nice(value: int) -> Decimal:
    """Two significant figures, as people quote amounts and areas (4800万元, 1.2亿元)."""
    if value < 100:
        return Decimal(max(value, 1))
    step = 10 ** (len(str(value)) - 2)
    return Decimal((value + step // 2) // step * step)


def draw_amount(rng: random.Random, bands: tuple, low: int = 0, high: int = 10**9) -> Decimal:
    """A total investment from the skewed bands, kept within what the kind of project costs."""
    fitting = [(max(a, low), min(b, high), step, w) for a, b, step, w in bands if a < high and b > low]
    start, stop, step, _weight = rng.choices(fitting, [f[3] for f in fitting])[0]
    first = -(-start // step) * step
    return Decimal(rng.randrange(first, stop + 1, step) if first <= stop else start)


def draw_path(rng: random.Random, stage: str) -> list[str]:
    """The stages a project walks through after the lead stage to reach ``stage``."""
    if stage == Stage.DROPPED:
        before = rng.choices(list(DROPPED_AFTER), list(DROPPED_AFTER.values()))[0]
        return [*draw_path(rng, before), Stage.DROPPED]
    if stage == Stage.LEAD:
        return []
    path = list(FORWARD[: FORWARD.index(stage) + 1])
    if stage not in (Stage.NEGOTIATING, Stage.INTENT) and rng.random() < 0.4:
        path.remove(Stage.INTENT)  # many projects sign without a separate intent agreement
    return path


def draw_economics(rng: random.Random, template: Template, total: Decimal, currency: str) -> dict[str, Any]:
    """Land, floor area, expected output, profit-and-tax and jobs, sized from the investment."""
    cny = int(total) * (USD_TO_CNY if currency == Currency.USD else 1)
    primary = template.section == "A"
    intensity = rng.randint(10, 60) if primary else rng.randint(60, 300)  # 万元 per 亩
    land = min(500, max(5, cny // intensity))
    cover = rng.randint(5, 20) if primary else rng.randint(40, 120)  # floor area per land area, %
    output = nice(int(total) * rng.randint(60, 250) // 100)
    return {
        "land_mu": Decimal(land),
        "construction_area": nice(land * 667 * cover // 100),
        "expected_output": output,
        "expected_profit_tax": nice(int(output) * rng.randint(5, 15) // 100),
        "jobs": min(800, max(10, cny // rng.randint(15, 60))),
    }


def describe(template: Template, economics: dict[str, Any]) -> str:
    if not economics:
        return ""
    land, area = economics["land_mu"], economics["construction_area"]
    sector = SECTION_SECTOR[template.section]
    if sector == Sector.PRIMARY:
        return f"流转土地{land}亩，建设生产基地及管理用房、道路、水利等配套设施{area}平方米"
    if sector == Sector.SECONDARY:
        return f"用地{land}亩，新建生产车间、仓库及配套用房{area}平方米，购置生产设备"
    return f"用地{land}亩，建设经营及配套用房{area}平方米"


def draw_reference(rng: random.Random, kind: str, on: dt.date) -> str:
    """A plausible document number for an approval obtained on ``on``."""
    n, year = rng.randint(1, 300), on.year
    if kind == ApprovalKind.BUSINESS_REGISTRATION:
        return "91990101MA" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    references: dict[str, str] = {
        ApprovalKind.PROJECT_FILING: f"示发改备〔{year}〕{n}号",
        ApprovalKind.ENVIRONMENT: f"示环审〔{year}〕{n}号",
        ApprovalKind.LAND: f"示自然资地〔{year}〕{n}号",
        ApprovalKind.PLANNING: f"建字第990101{year}{n:04d}号",
        ApprovalKind.CONSTRUCTION: f"990101{on:%Y%m%d}{n % 100:02d}01",
    }
    return references[kind]


def draw_approvals(
    rng: random.Random, signed: dt.date, started: dt.date | None, today: dt.date
) -> list[tuple[str, dt.date, str]]:
    """Approvals obtained after signing, in the usual order: all of them once construction started,
    some before. The ones not yet obtained are simply absent (the checklist shows them pending)."""
    end = started or min(signed + dt.timedelta(days=120), today)
    done = len(APPROVAL_ORDER) if started else rng.randint(0, len(APPROVAL_ORDER) - 1)
    days = sorted(rng.randint(0, (end - signed).days) for _ in range(done))
    result = []
    for kind, day in zip(APPROVAL_ORDER, days, strict=False):
        on = signed + dt.timedelta(days=day)
        result.append((kind, on, draw_reference(rng, kind, on)))
    return result
