"""The demo county's project catalogue: about thirty packaged offers modelled on the catalogues of
the reference reports (ecological agriculture, food processing, standard factories, logistics,
tourism), at every step of their life (drafts, in review with a department's opinion, published with
their English, withdrawn, one taken up into the ledger), promoted at the demo's trade fairs, a few
inquiries from the public site, and the county's published profile. Written through the services;
deterministic from the demo's random stream."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from zhaoshang.catalogue import services
from zhaoshang.catalogue.choices import OfferStatus

# name, English name, industry, chain, content, land (mu), total (10,000 CNY), cooperation,
# advantages, market, jobs, payback (years)
OFFERS: list[tuple[str, str, str, str, str, int, int, str, str, str, int, str]] = [
    (
        "200万只山地鸡生态养殖示范园",
        "Ecological mountain chicken farm (2 million birds)",
        "A",
        "生态养殖",
        "建设标准化鸡舍、孵化中心、饲料仓储及有机肥加工车间，年出栏山地鸡200万只。",
        600,
        8000,
        "joint",
        "林地资源丰富，林下养殖条件好，已有养殖合作社12家。",
        "年销售收入约1.2亿元，利税约1500万元。",
        120,
        "5",
    ),
    (
        "富硒茶叶精深加工项目",
        "Selenium-rich tea processing",
        "C",
        "茶叶",
        "新建茶叶精深加工厂房2万平方米，建设茶饮料、茶多酚提取生产线。",
        120,
        15000,
        "sole",
        "全县富硒茶园5万亩，原料充足。",
        "年销售收入约3亿元，利税约4000万元。",
        300,
        "6",
    ),
    (
        "万亩高标准有机稻米基地",
        "Organic rice base (10,000 mu)",
        "A",
        "粮油",
        "流转土地1万亩，建设高标准农田、烘干仓储中心和大米加工线。",
        10000,
        12000,
        "cooperation",
        "水源洁净，土壤检测达有机标准。",
        "年产有机大米8000吨，销售收入约1亿元。",
        200,
        "7",
    ),
    (
        "水乡水利风景区旅游综合开发",
        "Water town scenic area tourism development",
        "N",
        "文化旅游",
        "依托水利风景区建设游客中心、滨水栈道、民宿集群及水上游乐项目。",
        1500,
        50000,
        "ppp",
        "国家水利风景区，距高速出口8公里。",
        "年接待游客100万人次，旅游收入约2亿元。",
        500,
        "10",
    ),
    (
        "标准厂房招商项目（一期）",
        "Standard factory buildings (phase I)",
        "C",
        "先进制造",
        "在经济开发区建设标准厂房10万平方米及配套设施，可分栋出租或出售。",
        220,
        30000,
        "lease",
        "“七通一平”已完成，可拎包入驻。",
        "厂房租金每平方米每月12元，满租年租金约1400万元。",
        2000,
        "8",
    ),
    (
        "冷链物流园项目",
        "Cold-chain logistics park",
        "G",
        "现代物流",
        "建设冷库5万吨、分拣中心及城乡配送中心。",
        300,
        40000,
        "joint",
        "紧邻高速互通和铁路货场。",
        "年物流量100万吨，营业收入约5亿元。",
        600,
        "9",
    ),
    (
        "农产品电商产业园",
        "Agricultural e-commerce park",
        "I",
        "电子商务",
        "改造闲置厂房3万平方米，建设电商孵化、直播基地、仓储分拣中心。",
        60,
        6000,
        "cooperation",
        "县内特色农产品丰富，快递物流网络覆盖所有行政村。",
        "年网络交易额5亿元。",
        800,
        "4",
    ),
    (
        "竹木制品精深加工项目",
        "Bamboo and wood products processing",
        "C",
        "竹木加工",
        "建设竹集成材、竹家具生产线及研发中心。",
        150,
        20000,
        "sole",
        "竹林面积30万亩，年可采伐毛竹500万根。",
        "年销售收入约4亿元。",
        700,
        "6",
    ),
    (
        "中药材种植及饮片加工项目",
        "Chinese herbal medicine planting and processing",
        "A",
        "中药材",
        "建设中药材规范化种植基地5000亩及饮片加工厂。",
        5000,
        18000,
        "joint",
        "道地药材产区，气候适宜。",
        "年销售收入约2.5亿元。",
        400,
        "7",
    ),
    (
        "食品产业园标准厂房（二期）",
        "Food industry park buildings (phase II)",
        "C",
        "食品加工",
        "建设食品级标准厂房6万平方米及污水处理设施。",
        180,
        25000,
        "lease",
        "园区已入驻食品企业23家，形成产业集聚。",
        "满租年租金约900万元。",
        1500,
        "9",
    ),
    (
        "生猪屠宰及肉制品加工项目",
        "Pig slaughtering and meat processing",
        "C",
        "肉制品",
        "年屠宰生猪50万头，建设冷鲜肉、熟食制品生产线。",
        200,
        35000,
        "sole",
        "周边县区生猪年出栏300万头。",
        "年销售收入约15亿元。",
        600,
        "6",
    ),
    (
        "乡村振兴田园综合体",
        "Rural revitalisation pastoral complex",
        "A",
        "休闲农业",
        "建设现代农业示范区、农耕文化体验区和康养民宿。",
        3000,
        30000,
        "ppp",
        "省级美丽乡村示范村，交通便捷。",
        "年接待游客50万人次，综合收入约1.5亿元。",
        300,
        "10",
    ),
    (
        "新能源汽车零部件产业园",
        "New energy vehicle parts park",
        "C",
        "汽车零部件",
        "建设电机、电控及线束生产厂房15万平方米。",
        450,
        100000,
        "joint",
        "距整车基地120公里，配套半径合理。",
        "年产值约30亿元。",
        3000,
        "8",
    ),
    (
        "古镇文化旅游开发项目",
        "Ancient town cultural tourism",
        "R",
        "文化旅游",
        "保护修缮明清古建筑群，建设非遗展示街区和精品酒店。",
        400,
        45000,
        "bot",
        "省级历史文化名镇，古建筑保存完好。",
        "年接待游客80万人次。",
        400,
        "12",
    ),
    (
        "粮食仓储及物流中心",
        "Grain storage and logistics centre",
        "G",
        "现代物流",
        "建设10万吨粮食仓储设施及铁路专用线。",
        160,
        22000,
        "cooperation",
        "全县粮食年产量60万吨。",
        "年周转粮食40万吨。",
        150,
        "10",
    ),
    (
        "油茶种植及茶油加工项目",
        "Camellia planting and oil processing",
        "A",
        "油茶",
        "新建高产油茶基地2万亩及年产3000吨茶油加工厂。",
        20000,
        16000,
        "joint",
        "低丘缓坡资源丰富，适宜油茶种植。",
        "年销售收入约2亿元。",
        500,
        "8",
    ),
    (
        "预制菜产业园项目",
        "Prepared food industry park",
        "C",
        "食品加工",
        "建设中央厨房、预制菜生产线及冷链仓储。",
        100,
        20000,
        "sole",
        "蔬菜、禽肉原料本地供应充足。",
        "年销售收入约6亿元。",
        900,
        "5",
    ),
    (
        "县城综合物流配送中心",
        "County logistics distribution centre",
        "G",
        "城乡配送",
        "整合快递、商贸物流，建设智能分拣中心和共同配送中心。",
        80,
        9000,
        "cooperation",
        "县域人口60万，网购需求增长快。",
        "日处理包裹20万件。",
        300,
        "6",
    ),
    (
        "温泉康养度假区",
        "Hot-spring wellness resort",
        "N",
        "康养旅游",
        "建设温泉酒店、康养中心和森林步道。",
        800,
        60000,
        "sole",
        "地热水出水温度68℃，日出水量3000立方米。",
        "年接待游客60万人次。",
        700,
        "11",
    ),
    (
        "蔬菜产业化示范基地",
        "Vegetable industrialisation base",
        "A",
        "蔬菜",
        "建设连栋温室500亩、育苗中心和净菜加工车间。",
        1200,
        8000,
        "cooperation",
        "已建成蔬菜合作社20家。",
        "年产蔬菜5万吨。",
        350,
        "6",
    ),
    (
        "功能性饮料生产项目",
        "Functional beverage production",
        "C",
        "饮料",
        "建设年产20万吨饮料生产线及仓储。",
        90,
        26000,
        "sole",
        "优质山泉水源，水质达饮用天然矿泉水标准。",
        "年销售收入约8亿元。",
        400,
        "5",
    ),
    (
        "小微企业创业园",
        "Small business incubator park",
        "L",
        "创业孵化",
        "建设小微企业厂房及孵化办公楼4万平方米。",
        100,
        12000,
        "lease",
        "享受县级创业扶持政策。",
        "可容纳企业80家。",
        1200,
        "9",
    ),
    (
        "茶旅融合示范区",
        "Tea and tourism demonstration area",
        "N",
        "茶旅融合",
        "建设茶文化博物馆、观光茶园和茶主题民宿。",
        900,
        15000,
        "joint",
        "茶园景观优美，邻近4A级景区。",
        "年接待游客40万人次。",
        200,
        "9",
    ),
    (
        "肉牛养殖及加工一体化项目",
        "Beef cattle breeding and processing",
        "A",
        "畜牧",
        "建设存栏1万头肉牛养殖场及屠宰加工线。",
        800,
        28000,
        "joint",
        "秸秆饲料资源丰富。",
        "年出栏肉牛1.5万头，销售收入约5亿元。",
        300,
        "7",
    ),
    (
        "电子信息产业标准厂房",
        "Electronics industry factory buildings",
        "C",
        "电子信息",
        "建设适用电子组装的标准厂房8万平方米。",
        200,
        28000,
        "lease",
        "已承接沿海电子企业转移12家。",
        "满租年租金约1100万元。",
        2500,
        "8",
    ),
    (
        "农村物流快递共配项目",
        "Rural parcel joint delivery",
        "G",
        "农村物流",
        "建设乡镇快递共配站和村级服务点。",
        20,
        3000,
        "cooperation",
        "全县行政村通硬化路。",
        "年配送包裹2000万件。",
        200,
        "5",
    ),
    (
        "酱菜腌制品加工项目",
        "Pickled vegetable processing",
        "C",
        "食品加工",
        "新建腌制车间、发酵池和包装车间。",
        60,
        5000,
        "sole",
        "传统酱菜工艺为省级非遗。",
        "年销售收入约1亿元。",
        150,
        "4",
    ),
    (
        "红色文化教育基地",
        "Revolutionary heritage education base",
        "R",
        "红色旅游",
        "修缮革命旧址，建设教育培训中心和研学营地。",
        200,
        12000,
        "ppp",
        "省级爱国主义教育基地。",
        "年接待研学人员20万人次。",
        150,
        "12",
    ),
    (
        "林下经济综合开发项目",
        "Under-forest economy development",
        "A",
        "林下经济",
        "发展林下中药材、食用菌种植和林禽养殖。",
        8000,
        7000,
        "cooperation",
        "森林覆盖率68%。",
        "年销售收入约8000万元。",
        400,
        "6",
    ),
    (
        "再生资源回收利用产业园",
        "Renewable resources recycling park",
        "N",
        "循环经济",
        "建设废旧物资分拣中心和再生塑料加工线。",
        150,
        18000,
        "joint",
        "列入省级循环经济试点。",
        "年处理再生资源20万吨。",
        350,
        "7",
    ),
]

# The fate of each offer, by index: most published, some in review or draft, some withdrawn, one taken.
STATUS_PLAN = (
    ["published"] * 16
    + ["review"] * 4
    + ["draft"] * 5
    + ["withdrawn"] * 2
    + ["taken"] * 1
    + ["published"] * 2
)
INQUIRIES = (
    ("周先生", "温州某鞋业有限公司", "请问项目用地是否已完成征收，土地价格多少？"),
    (
        "Mr. Lee",
        "HK Food Trading Ltd.",
        "We are interested in the processing project. What incentives apply?",
    ),
    ("吴女士", "", "标准厂房是否可以先租后买？"),
)
CONTACTS = ("王科长", "李主任", "张局长", "陈主任", "刘科长", "赵主任")


def load(rng: random.Random, demo: Any, today: dt.date) -> int:
    """The catalogue of the demo county; returns how many offers."""
    from zhaoshang.activities.models import Activity
    from zhaoshang.projects.models import Project

    county = demo.county
    places = [*demo.townships, *demo.parks]
    department = next(
        (d for d in demo.departments if "发改" in d.name), demo.departments[0] if demo.departments else None
    )
    fairs = list(
        Activity.objects.filter(kind="fair", unit__path__startswith=county.path).order_by("starts_on")[:4]
    )
    # The project in talks that took one offer up: one of the ledger's, so the demo's count stays.
    talks = (
        Project.objects.filter(unit__path__startswith=county.path, stage="negotiating").order_by("pk").first()
    )
    count = 0
    for index, row in enumerate(OFFERS):
        (
            name,
            name_en,
            industry,
            chain,
            content,
            land,
            total,
            cooperation,
            advantages,
            market,
            jobs,
            payback,
        ) = row
        unit = places[index % len(places)]
        park = unit if unit in demo.parks else None
        status = STATUS_PLAN[index % len(STATUS_PLAN)]
        english = status in ("published", "taken") and index % 3 != 2  # some left untranslated
        offer = services.create_offer(
            by=None,
            data={
                "name": name,
                "name_en": name_en if english else "",
                "content_en": f"{name_en}: see the Chinese description for details." if english else "",
                "industry": industry,
                "chain": chain,
                "unit": park or unit,
                "park": park,
                "place": f"{unit.name}",
                "content": content,
                "land_mu": Decimal(land),
                "currency": "CNY",
                "total_investment": Decimal(total),
                "sought_amount": Decimal(total) * Decimal("0.8"),
                "cooperation": cooperation,
                "advantages": advantages,
                "market": market,
                "jobs": jobs,
                "payback_years": Decimal(payback),
                "prep": rng.sample(["filing", "land", "planning", "environment"], rng.randint(1, 3)),
                "contact_name": rng.choice(CONTACTS),
                "contact_phone": f"0571-{rng.randint(6000000, 6999999)}",
                "phone_public": index % 2 == 0,
                "contact_email": "zsj@example.gov.cn",
                "year": today.year,
                "notes": "内部：意向客商已接洽两家。" if index % 4 == 0 else "",
            },
        )
        count += 1
        if status == "draft":
            continue
        services.move(offer, OfferStatus.REVIEW, by=None)
        if department is not None:
            opinion = services.ask_opinion(offer, department, by=None)
            if status != "review":
                services.record_opinion(opinion, by=None, agrees=True, text="符合产业政策，同意推介。")
        if status == "review":
            continue
        services.move(offer, OfferStatus.PUBLISHED, by=None)
        if status == "withdrawn":
            services.move(offer, OfferStatus.WITHDRAWN, by=None, note="用地规划调整，暂停推介。")
        elif status == "taken" and talks is not None:
            services.take_up(offer, by=None, project=talks)
        elif fairs and index % 3 == 0:
            services.set_fairs(offer, fairs[index % len(fairs) : index % len(fairs) + 1], by=None)
    from zhaoshang.catalogue.models import Offer

    for offer_id, (who, org, question) in zip(
        Offer.objects.filter(county=county, status=OfferStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True),
        INQUIRIES,
        strict=False,
    ):
        services.receive_inquiry(
            offer_id=offer_id,
            county=None,
            name=who,
            organisation=org,
            contact="13800001234",
            message=question,
        )
    services.save_profile(
        county,
        by=None,
        data={
            "intro": f"{county.name}位于长江中游，总面积1800平方公里，人口60万，高速公路和铁路穿境而过。",
            "intro_en": (
                f"{county.name} lies on the middle Yangtze: 1,800 km², 600,000 people, "
                "an expressway and a railway."
            ),
            "advantages": "区位优越、资源丰富、营商环境持续优化，“一站式”审批服务。",
            "advantages_en": "",
            "policies": "对固定资产投资超过1亿元的工业项目，按“一事一议”给予用地、税收等支持。",
            "published": True,
        },
    )
    return count
