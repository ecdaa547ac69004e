"""Demo data of the investor module: credit codes with valid check characters, contacts and
follow-up dates, written through the investor services. Deterministic from the demo's random stream."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from zhaoshang.investors import services
from zhaoshang.investors.choices import InvestorKind, InvestorSize
from zhaoshang.investors.creditcode import check_character
from zhaoshang.investors.models import Investor

# Administrative division codes of the demo's origins, for the credit codes' digits 3-8.
DIVISIONS = {
    "浙江省": "330300",
    "广东省": "440300",
    "江苏省": "320500",
    "上海市": "310000",
    "福建省": "350500",
}
POSITIONS = ("董事长", "总经理", "投资总监", "项目经理", "办公室主任")


def credit_code(rng: random.Random, province: str) -> str:
    """A well-formed code: 9 (registered by market regulation) 1 (enterprise), a division, an
    organisation code, and the check character of GB 32100-2015."""
    division = DIVISIONS.get(province, "110000")
    body = "91" + division + "".join(rng.choice("0123456789") for _ in range(8)) + rng.choice("0123456789X")
    return body + check_character(body)


def enrich_investors(rng: random.Random, names: Any, today: dt.date) -> None:
    """Give enterprises a credit code, size and capital, every investor one or two contacts, and
    about one in five a follow-up date around today."""
    used: set[str] = set()
    for investor in Investor.objects.order_by("pk").select_related("unit"):
        data: dict[str, Any] = {}
        if investor.kind == InvestorKind.ENTERPRISE and investor.is_domestic:
            code = credit_code(rng, investor.origin_province)
            while code in used:
                code = credit_code(rng, investor.origin_province)
            used.add(code)
            data["credit_code"] = code
            data["size"] = rng.choice(InvestorSize.values)
            data["registered_capital"] = rng.choice((500, 1000, 3000, 5000, 10000, 50000))
        if rng.random() < 0.2:
            data["next_follow_up_on"] = today + dt.timedelta(days=rng.randint(-10, 30))
        contacts = [
            services.ContactData(name=names.person(), position=rng.choice(POSITIONS), phone=names.phone())
            for _ in range(rng.randint(1, 2))
        ]
        services.update_investor(investor, by=None, data=data, contacts=contacts)
