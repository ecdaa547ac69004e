"""Demo requests for coordination: a dozen and a half in every state, written through the services
by the system, dated over the last two months so that every light shows."""

from __future__ import annotations

import datetime as dt
import random

from zhaoshang.coordination import services
from zhaoshang.coordination.choices import RequestKind
from zhaoshang.core.deadlines import add_working_days
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

PROBLEMS = [
    ("项目用地指标不足", "项目二期用地指标尚未落实，需自然资源局协调。"),
    ("施工用电接入滞后", "施工临时用电迟迟未接入，影响开工进度。"),
    ("进场道路未硬化", "项目进场道路雨天无法通行，需交通运输局协调。"),
    ("环评批复进度慢", "环评报告已报送一个月，尚未批复。"),
    ("用工招聘困难", "企业急需熟练技术工人约80人。"),
    ("天然气管网未通", "企业生产需天然气，园区管网尚未接通。"),
    ("融资担保需求", "企业流动资金紧张，希望协调担保贷款。"),
    ("消防验收排队", "厂房已竣工，消防验收排期较长。"),
]
COMPLAINTS = [
    ("周边道路施工频繁停水", "近一个月停水三次，影响正常生产。"),
    ("办事窗口多次往返", "不动产登记材料要求前后不一，往返多次。"),
]
INQUIRIES = [
    ("高新技术企业认定政策咨询", "请问本县对新认定高新技术企业有何奖补政策？"),
    ("标准厂房租金减免咨询", "入驻园区标准厂房前三年租金如何减免？"),
]
REPLIES = [
    "已会同相关部门现场办公，问题已解决。",
    "已协调落实，请企业按程序办理。",
    "已明确责任人和完成时限。",
]
# (status the request reaches, days ago it was raised, answered late?) for each demo request.
PLAN = [
    ("submitted", 2),
    ("submitted", 1),
    ("rejected", 20),
    ("accepted", 3),
    ("accepted", 12),
    ("accepted", 30),
    ("accepted", 45),
    ("progress", 8),
    ("answered", 10),
    ("answered", 25),
    ("closed", 40),
    ("closed", 50),
    ("closed", 55),
    ("reopened", 35),
]


def _workday(day: dt.date, today: dt.date) -> dt.date:
    return min(add_working_days(day, 0), today)


def load(rng: random.Random, county: Unit, today: dt.date) -> int:
    """Write the demo requests of ``county``; returns how many."""
    units = list(Unit.objects.subtree(county).filter(kind__in=["township", "park"]).order_by("path"))
    owners = list(Unit.objects.subtree(county).filter(kind="department").order_by("path")) or units
    landed = list(Project.objects.filter(unit__in=units, stage__in=services.LANDED).order_by("code")[:20])
    texts = [(RequestKind.STAFF_PROBLEM, t) for t in PROBLEMS[:4]]
    texts += [(RequestKind.DISPATCH_PROBLEM, t) for t in PROBLEMS[4:]]
    texts += [(RequestKind.COMPLAINT, t) for t in COMPLAINTS] + [(RequestKind.INQUIRY, t) for t in INQUIRIES]
    for index, (state, days_ago) in enumerate(PLAN):
        kind, (title, description) = texts[index % len(texts)]
        project = (
            rng.choice(landed) if landed and kind in (RequestKind.COMPLAINT, RequestKind.INQUIRY) else None
        )
        unit = project.unit if project else rng.choice(units)
        raised_on = _workday(today - dt.timedelta(days=days_ago), today)
        request = services.raise_request(
            kind=kind,
            title=title,
            description=description,
            unit=unit,
            by=None,
            project=project,
            raised_on=raised_on,
            source="demo",
        )
        if state == "submitted":
            continue
        if state == "rejected":
            services.reject_request(request, by=None, reason="不属于需县级协调事项，请乡镇自行解决。")
            continue
        accepted_on = min(add_working_days(raised_on, 1), today)
        request = services.accept_request(request, by=None, owner_unit=rng.choice(owners), on=accepted_on)
        if state == "accepted":
            continue
        if state == "progress":
            services.reply(request, by=None, text="正在协调，预计本周内答复。", final=False, on=today)
            continue
        late = rng.random() < 0.3
        assert request.deadline is not None  # set when the request is accepted
        answer_day = request.deadline + dt.timedelta(days=3) if late else add_working_days(accepted_on, 2)
        request = services.reply(request, by=None, text=rng.choice(REPLIES), on=min(answer_day, today))
        if state == "closed":
            services.close_request(
                request, by=None, rating=rng.choice([3, 4, 5, 5]), comment="办理及时，满意。"
            )
        elif state == "reopened":
            services.reopen_request(request, by=None, reason="问题仍未彻底解决，请继续协调。")
    return len(PLAN)
