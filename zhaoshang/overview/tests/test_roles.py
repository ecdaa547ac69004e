"""The start page by role (issue 18): the operator sees what is due, the bureau its queues with
counts and links, the leader the ranking of the units below and what lies behind 序时进度; a user
with several roles sees each section once; everything from the user's own subtree only.

Tests assert ids, figures and links, not page text (catalogues are compiled by the lead)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse

from zhaoshang.accounts.models import Membership
from zhaoshang.assessment import services as assessment
from zhaoshang.assessment.models import Group, Item
from zhaoshang.assessment.tests.conftest import put, target
from zhaoshang.conftest import _user
from zhaoshang.coordination import services as coordination
from zhaoshang.core.permissions import Role
from zhaoshang.ledger.funds import record_funds
from zhaoshang.ledger.models import Indicator
from zhaoshang.overview import roles
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.services import create_unit

HOME = reverse("core:home")


def home(client: Any, user: Any, **params: Any) -> Any:
    client.force_login(user)
    response = client.get(HOME, params)
    assert response.status_code == 200
    return response


def reported_funds(cast: Any, unit: Any, amount: str) -> None:
    project = cast.project(unit, name=f"资金{unit.code}{amount}")
    record_funds(project, by=None, arrived_on=dt.date(2026, 1, 5), source="domestic", amount=Decimal(amount))


def test_each_role_sees_its_own_sections(client, cast):
    operator = home(client, cast.operator_a)
    assert operator.context["sections"] == [roles.DUE]
    assert "queues" not in operator.context and "ranking" not in operator.context
    assert 'data-testid="queues"' not in operator.content.decode()
    bureau = home(client, cast.admin)
    assert bureau.context["sections"] == [roles.QUEUES] and "due" not in bureau.context
    assert 'data-testid="leader"' not in bureau.content.decode()
    leader = home(client, cast.leader)
    assert leader.context["sections"] == [roles.LEADER]
    page = leader.content.decode()
    assert 'data-testid="ranking"' in page and 'data-testid="behind-time"' in page
    assert 'data-testid="indicator-cards"' in page and 'data-testid="queues"' not in page


def test_a_user_with_several_roles_sees_each_section_once(client, cast):
    Membership.objects.create(user=cast.admin, unit=cast.county, role=Role.LEADER)
    Membership.objects.create(user=cast.admin, unit=cast.town_a, role=Role.OPERATOR)
    Membership.objects.create(user=cast.admin, unit=cast.town_b, role=Role.OPERATOR)
    response = home(client, cast.admin)
    assert response.context["sections"] == [roles.DUE, roles.QUEUES, roles.LEADER]
    page = response.content.decode()
    for testid in ("queues", "leader", "ranking", "behind-time", "indicator-cards"):
        assert page.count(f'data-testid="{testid}"') == 1, testid


def test_the_bureau_sees_its_queues_with_counts_and_links_of_its_county_only(client, cast):
    reported_funds(cast, cast.town_a, "120")
    reported_funds(cast, cast.town_b, "80")
    reported_funds(cast, cast.other_town, "999")  # another county: not counted
    coordination.raise_request(kind="staff_problem", title="用地", description="x", unit=cast.town_a, by=None)
    coordination.raise_request(
        kind="staff_problem", title="邻县", description="x", unit=cast.other_town, by=None
    )
    queues = {q.code: q for q in home(client, cast.admin).context["queues"]}
    assert queues["funds"].count == 2 and queues["funds"].url == reverse("ledger:funds_queue")
    assert queues["requests"].count == 1 and queues["requests"].url.startswith(reverse("coordination:list"))
    assert queues["reports"].count == 0 and queues["manual"].count == 0
    page = home(client, cast.admin).content.decode()
    assert f'href="{reverse("ledger:funds_queue")}" data-testid="queue-funds"' in page
    stranger = {q.code: q.count for q in home(client, cast.stranger).context["queues"]}
    assert stranger["funds"] == 1 and stranger["requests"] == 1


def test_without_a_published_ranking_the_leader_sees_the_units_by_completion(client, cast, today):
    indicator = Indicator.objects.get(code="funds_domestic")
    for unit, goal, done in ((cast.town_a, 1000, 300), (cast.town_b, 1000, 700)):
        target(unit, indicator.code, goal, year=today.year)
        put(unit, indicator.code, 1, done, year=today.year)
    ranking = home(client, cast.leader).context["ranking"]
    assert ranking.published is None and ranking.indicator == indicator
    places = [(p.rank, p.unit, p.value) for p in ranking.places]
    assert places[:2] == [(1, cast.town_b, Decimal("70.0")), (2, cast.town_a, Decimal("30.0"))]
    assert all(p.value is None for p in ranking.places[2:])  # the units without a target last
    assert cast.other_town not in [p.unit for p in ranking.places]


def test_a_published_ranking_comes_first_when_the_county_has_one(client, cast, today):
    scheme = assessment.create_scheme(by=cast.admin, county=cast.county, year=today.year, name="考核办法")
    group = Group.objects.create(scheme=scheme, name="乡镇", unit_kinds=["township"], least_units=2)
    Item.objects.create(
        group=group,
        code="funds",
        name="到位资金",
        max_points=50,
        source="completion",
        indicator=Indicator.objects.get(code="funds_domestic"),
        formula="ratio",
        params={"weight": "50"},
    )
    for unit, done in ((cast.town_a, 900), (cast.town_b, 300)):
        target(unit, "funds_domestic", 1000, year=today.year)
        put(unit, "funds_domestic", 1, done, year=today.year)
    published = assessment.publish(group, by=cast.admin, year=today.year, period="month", month=1)
    response = home(client, cast.leader)
    ranking = response.context["ranking"]
    assert ranking.published == published
    assert [(p.rank, p.unit) for p in ranking.places] == [(1, cast.town_a), (2, cast.town_b)]
    assert f"?ranking={published.pk}" in response.content.decode()


def test_the_leader_is_told_what_lies_behind_progress_against_time(client, cast, today):
    target(cast.county, "funds_domestic", 1000, year=today.year)
    behind = home(client, cast.leader).context["behind_time"]
    start = dt.date(today.year, 1, 1)
    assert behind.upto == today and behind.days_gone == (today - start).days + 1
    assert behind.days_in_year in (365, 366)
    expected = (Decimal(behind.days_gone) * 100 / behind.days_in_year).quantize(Decimal("0.1"))
    assert abs(behind.percent - expected) <= Decimal("0.1")
    codes = [r.indicator.code for r in behind.behind]
    assert codes == ["funds_domestic"] or today == start  # nothing done: behind from the second day on


def test_a_township_leader_sees_only_the_villages_of_the_township(client, cast, today):
    village = create_unit(
        by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="东村", code="990101001001"
    )
    leader = _user("town_leader", "镇长", cast.town_a, Role.LEADER)
    reported_funds(cast, cast.town_b, "80")
    response = home(client, leader)
    assert response.context["unit"] == cast.town_a
    assert [p.unit for p in response.context["ranking"].places] == [village]
    page = response.content.decode()
    assert "河口乡" not in page and "示例经济开发区" not in page
    client.force_login(leader)
    assert client.get(HOME, {"unit": cast.county.pk}).status_code == 404
