"""The dashboard: key indicators, children's completion, monthly funds, the stage funnel and the
stalled projects, each limited to the user's subtree."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.urls import reverse

from zhaoshang.conftest import Cast
from zhaoshang.ledger.funds import record_funds
from zhaoshang.ledger.models import Indicator
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.services import change_stage
from zhaoshang.targets.models import Target

HOME = reverse("core:home")


def dashboard(client: Any, user: Any, **params: Any) -> Any:
    client.force_login(user)
    return client.get(HOME, params)


def chart_data(response: Any) -> dict[str, Any]:
    text = response.content.decode()
    start = text.index('<script id="dashboard-data" type="application/json">') + len(
        '<script id="dashboard-data" type="application/json">'
    )
    return json.loads(text[start : text.index("</script>", start)])


def funds(cast: Cast, unit: Any, on: dt.date, amount: str, verified: bool) -> None:
    project = cast.project(unit=unit, name=f"资金项目{unit.code}{amount}")
    record_funds(
        project, by=None, arrived_on=on, source="domestic", amount=Decimal(amount), verified=verified
    )


def funds_row(response: Any) -> Any:
    return next(r for r in response.context["rows"] if r.indicator.code == "funds_domestic")


# --- scope --------------------------------------------------------------------------------------


def test_a_stranger_sees_none_of_the_countys_figures(client, cast, today):
    funds(cast, cast.town_a, today, "4321.5", verified=True)
    response = dashboard(client, cast.stranger)
    assert response.context["unit"] == cast.other_county
    text = response.content.decode()
    assert "4,321.5" not in text and "城关镇" not in text and "示例县" not in text
    assert funds_row(response).actual == 0
    assert dashboard(client, cast.stranger, unit=cast.county.pk).status_code == 404


def test_an_operator_of_one_township_cannot_open_another(client, cast):
    assert dashboard(client, cast.operator_a, unit=cast.town_b.pk).status_code == 404
    assert dashboard(client, cast.operator_a, unit=cast.county.pk).status_code == 404
    assert dashboard(client, cast.operator_a, unit="not-a-number").status_code == 404
    assert dashboard(client, cast.operator_a).context["unit"] == cast.town_a


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    assert client.get(HOME).status_code == 302


# --- key indicators -----------------------------------------------------------------------------


def test_key_indicators_count_verified_funds_and_show_reported_ones_beside(client, cast, today):
    indicator = Indicator.objects.get(code="funds_domestic")
    Target.objects.create(unit=cast.county, year=today.year, indicator=indicator, value=Decimal(2000))
    funds(cast, cast.town_a, today.replace(day=1), "500", verified=True)
    funds(cast, cast.town_b, today, "300", verified=False)
    funds(cast, cast.other_town, today, "9999", verified=True)  # another county: never counted

    response = dashboard(client, cast.leader)
    row = funds_row(response)
    assert (row.actual, row.reported, row.target, row.completion) == (
        Decimal(500),
        Decimal(300),
        Decimal(2000),
        Decimal("25.0"),
    )
    card = (
        response.content.decode()
        .split('data-testid="indicator-funds_domestic"')[1]
        .split("</div>\n    </div>")[0]
    )
    assert 'data-testid="actual">500<' in card and 'data-testid="reported">300<' in card
    assert 'data-testid="target">2,000<' in card and "25.0%" in card


def test_a_unit_below_progress_against_time_is_marked_behind(client, cast, today):
    indicator = Indicator.objects.get(code="funds_domestic")
    target = Target.objects.create(
        unit=cast.county, year=today.year, indicator=indicator, value=Decimal(10**6)
    )
    funds(cast, cast.town_a, today, "500", verified=True)
    response = dashboard(client, cast.leader)
    assert funds_row(response).behind  # 0.1% done, at least one day of the year gone
    assert 'data-testid="behind"' in response.content.decode()

    target.value = Decimal(500)
    target.save()
    response = dashboard(client, cast.leader)
    assert funds_row(response).completion == Decimal("100.0") and not funds_row(response).behind


def test_a_past_year_counts_the_whole_year(client, cast, today):
    last_year = today.year - 1
    funds(cast, cast.town_a, dt.date(last_year, 12, 31), "70", verified=True)
    funds(cast, cast.town_a, today, "5", verified=True)
    response = dashboard(client, cast.leader, year=last_year)
    assert funds_row(response).actual == Decimal(70) and response.context["time_progress"] == Decimal("100.0")


# --- children and months ------------------------------------------------------------------------


def test_the_children_chart_has_a_bar_for_exactly_each_visible_child(client, cast, today):
    indicator = Indicator.objects.get(code="funds_domestic")
    Target.objects.create(unit=cast.town_a, year=today.year, indicator=indicator, value=Decimal(1000))
    funds(cast, cast.town_a, today, "250", verified=True)
    funds(cast, cast.town_a, today, "40", verified=False)

    response = dashboard(client, cast.leader)
    bars = {bar.unit: bar for bar, _url in response.context["bars"]}
    assert set(bars) == {cast.town_a, cast.town_b, cast.department, cast.park}
    assert (bars[cast.town_a].actual, bars[cast.town_a].reported, bars[cast.town_a].completion) == (
        Decimal(250),
        Decimal(40),
        Decimal("25.0"),
    )
    children = chart_data(response)["children"]
    assert {c["id"] for c in children} == {cast.town_a.pk, cast.town_b.pk, cast.department.pk, cast.park.pk}
    drill = next(c["url"] for c in children if c["id"] == cast.town_a.pk)
    assert f"unit={cast.town_a.pk}" in drill and "indicator=funds_domestic" in drill
    assert [c["id"] for c in chart_data(dashboard(client, cast.stranger))["children"]] == [cast.other_town.pk]


def test_the_drill_down_link_opens_the_township(client, cast):
    response = dashboard(client, cast.leader)
    url = next(url for bar, url in response.context["bars"] if bar.unit == cast.town_b)
    child = client.get(HOME + url)
    assert child.status_code == 200 and child.context["unit"] == cast.town_b and child.context["bars"] == []


def test_the_monthly_chart_splits_verified_and_reported_funds(client, cast, today):
    funds(cast, cast.town_a, today, "120", verified=True)
    funds(cast, cast.town_b, today, "30", verified=False)
    funds(cast, cast.other_town, today, "9999", verified=True)
    months = chart_data(dashboard(client, cast.leader))["months"]
    assert len(months) == 12
    assert [
        (Decimal(m["verified"]), Decimal(m["reported"])) for m in months if m["month"] == today.month
    ] == [(Decimal(120), Decimal(30))]
    assert sum(Decimal(m["verified"]) + Decimal(m["reported"]) for m in months) == Decimal(150)


# --- funnel and stalled projects ----------------------------------------------------------------


def test_the_funnel_counts_conversions_and_median_stays(client, cast, today):
    d0 = today - dt.timedelta(days=100)
    day = lambda n: d0 + dt.timedelta(days=n)  # noqa: E731

    signed = cast.project(name="甲", first_contact_on=d0)
    change_stage(signed, Stage.NEGOTIATING, by=None, on=day(10))
    change_stage(signed, Stage.SIGNED, by=None, on=day(40), contracted_amount=Decimal(100))  # no intent
    change_stage(signed, Stage.STARTED, by=None, on=day(50))
    dropped = cast.project(name="乙", first_contact_on=d0)
    change_stage(dropped, Stage.NEGOTIATING, by=None, on=day(20))
    change_stage(dropped, Stage.DROPPED, by=None, on=day(30), drop_reason="去了外地")
    cast.project(name="丙", first_contact_on=d0)
    outside = cast.project(unit=cast.town_b, name="丁", first_contact_on=d0)  # not town A's
    change_stage(outside, Stage.NEGOTIATING, by=None, on=day(1))

    steps = {s.stage: s for s in dashboard(client, cast.operator_a).context["funnel"]}
    assert {k: s.count for k, s in steps.items() if s.count} == {"lead": 1, "started": 1, "dropped": 1}
    assert [
        steps[s].reached for s in ("lead", "negotiating", "intent", "signed", "started", "completed")
    ] == [
        3,
        2,
        1,
        1,
        1,
        0,
    ]
    assert steps["lead"].conversion == Decimal("66.7") and steps["negotiating"].conversion == Decimal("50.0")
    assert steps["started"].conversion == Decimal("0.0") and steps["completed"].conversion is None
    assert steps["dropped"].conversion is None and steps["dropped"].reached is None
    assert steps["lead"].median_days == Decimal("15.0")  # 10 and 20 days
    assert steps["negotiating"].median_days == Decimal("20.0")  # 30 and 10 days
    assert steps["signed"].median_days == Decimal(10) and steps["started"].median_days is None
    county = {s.stage: s for s in dashboard(client, cast.leader).context["funnel"]}
    assert county["lead"].reached == 4 and county["negotiating"].count == 1


def test_the_stalled_list_shows_active_projects_oldest_change_first(client, cast, today):
    def signed(name: str, days_ago: int, unit: Any = None) -> Any:
        on = today - dt.timedelta(days=days_ago)
        return cast.project(
            unit=unit, name=name, stage=Stage.SIGNED, signed_on=on, contracted_amount=Decimal(1)
        )

    middle = signed("中间", 50)
    oldest = signed("最久", 300)
    moved = signed("刚开工", 400)
    change_stage(moved, Stage.STARTED, by=None, on=today - dt.timedelta(days=5))
    signed("河口乡的项目", 900, unit=cast.town_b)
    cast.project(name="线索项目", first_contact_on=today - dt.timedelta(days=999))

    response = dashboard(client, cast.operator_a)
    assert [p.name for p in response.context["stalled"]] == [oldest.name, middle.name, moved.name]
    assert reverse("projects:detail", args=[oldest.pk]) in response.content.decode()


def test_the_stalled_list_stops_at_ten_rows(client, cast, today):
    for n in range(12):
        cast.project(
            name=f"项目{n}",
            stage=Stage.SIGNED,
            signed_on=today - dt.timedelta(days=n),
            contracted_amount=Decimal(1),
        )
    stalled = dashboard(client, cast.leader).context["stalled"]
    assert [p.name for p in stalled] == [f"项目{n}" for n in range(11, 1, -1)]


def test_the_key_indicators_follow_the_chosen_period(client, cast, today):
    last_year = today.year - 1
    funds(cast, cast.town_a, dt.date(last_year, 2, 10), "10", verified=True)
    funds(cast, cast.town_a, dt.date(last_year, 5, 10), "200", verified=True)
    funds(cast, cast.town_a, dt.date(last_year, 6, 10), "3000", verified=True)

    def actual(period: str, month: int) -> Decimal:
        return funds_row(dashboard(client, cast.leader, year=last_year, period=period, month=month)).actual

    assert actual("month", 5) == Decimal(200)
    assert actual("quarter", 5) == Decimal(3200)
    assert actual("ytd", 5) == Decimal(210)
    assert actual("nonsense", 99) == Decimal(3210)  # falls back to the whole year to date
