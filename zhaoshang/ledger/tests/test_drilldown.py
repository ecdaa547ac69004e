"""Drill-down: every figure opens the records behind it, and they add up to the figure.

``records_behind`` (ledger/drilldown.py) is what the page, the API and later apps read; the demo
county's dashboard is checked card by card, and each child's figure and target-grid cell too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.accounts.models import User
from zhaoshang.activities.services import create_activity
from zhaoshang.demo import demo
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.drilldown import Period, all_lines, records_behind
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import subtree_figures
from zhaoshang.projects import services as projects
from zhaoshang.units.models import Unit

YEAR = 2024


def funds(project, on, amount, *, verify=True, source="domestic"):
    record = funds_service.record_funds(
        project, by=None, arrived_on=on, source=source, amount=Decimal(amount)
    )
    if verify:
        funds_service.verify_funds(record, by=None)
    return record


@pytest.fixture
def figures(cast):
    """Two projects of town A (one shared 60/40 with town B), funds verified and reported, one
    returned, and a visit of town B."""
    a = cast.project(
        name="甲项目", stage="signed", signed_on=dt.date(YEAR, 2, 1), contracted_amount=Decimal(500)
    )
    b = projects.create_project(
        by=None,
        data={
            "name": "乙项目",
            "unit": cast.town_a,
            "total_investment": Decimal(900),
            "signed_on": dt.date(YEAR, 5, 3),
            "contracted_amount": Decimal(300),
        },
        stage="signed",
        credits=[(cast.town_a, Decimal(60)), (cast.town_b, Decimal(40))],
    )
    funds(a, dt.date(YEAR, 3, 1), "100.5")
    funds(a, dt.date(YEAR, 4, 1), "20", verify=False)
    funds(b, dt.date(YEAR, 6, 1), "50")
    returned = funds(b, dt.date(YEAR, 6, 2), "70", verify=False)
    funds_service.return_funds(returned, by=None, reason="无凭证")
    create_activity(
        by=None,
        data={
            "kind": "visit",
            "unit": cast.town_b,
            "title": "来访",
            "starts_on": dt.date(YEAR, 7, 1),
            "people": 6,
        },
    )
    return a, b


def indicator(code):
    return Indicator.objects.get(code=code)


def test_the_records_behind_domestic_funds_add_up_to_the_county_figure(cast, figures):
    a, b = figures
    result = records_behind(indicator("funds_domestic"), cast.county, Period.of(YEAR))
    assert (
        result.verified
        == Decimal("150.5")
        == subtree_figures(cast.county, YEAR, range(1, 13), ["funds_domestic"])["funds_domestic"][0]
    )
    assert result.reported == Decimal(20)
    assert result.count == 3  # the returned record took back what it counted: not listed
    assert sum(line.verified for line in result.lines) == result.verified
    assert {line.project.name for line in result.lines} == {a.name, b.name}
    assert all(line.record == "funds" and line.url for line in result.lines)


def test_a_shared_project_counts_in_each_unit_by_its_share(cast, figures):
    _a, b = figures
    signed = indicator("projects_signed")
    town_b = records_behind(signed, cast.town_b, Period.of(YEAR))
    assert [(line.project, line.verified) for line in town_b.lines] == [(b, Decimal("0.4"))]
    assert records_behind(indicator("funds_domestic"), cast.town_b, Period.of(YEAR)).verified == Decimal(20)


def test_a_period_lists_only_its_months(cast, figures):
    march = records_behind(indicator("funds_domestic"), cast.county, Period.of(YEAR, "month", 3))
    assert (march.verified, march.reported, march.count) == (Decimal("100.5"), Decimal(0), 1)
    second_quarter = records_behind(indicator("funds_domestic"), cast.county, Period.of(YEAR, "quarter", 5))
    assert (second_quarter.verified, second_quarter.reported) == (Decimal(50), Decimal(20))


def test_pages_of_lines_add_up_to_the_total(cast, figures):
    first = records_behind(indicator("funds_domestic"), cast.county, Period.of(YEAR), limit=2)
    rest = records_behind(indicator("funds_domestic"), cast.county, Period.of(YEAR), offset=2, limit=2)
    assert len(first.lines) == 2 and len(rest.lines) == 1
    assert first.page_verified + rest.page_verified == first.verified


def test_a_visit_is_listed_as_its_activity(cast, figures):
    visitors = indicator("investors_received")
    result = records_behind(visitors, cast.county, Period.of(YEAR))
    (line,) = result.lines
    assert (line.record, line.label, line.verified, line.on) == (
        "activity",
        "来访",
        Decimal(6),
        dt.date(YEAR, 7, 1),
    )


def test_a_project_the_user_may_not_open_is_counted_but_not_named(cast, figures):
    """Town B's operator sees town B's figure, which holds 40 % of 乙项目 (credited, so visible) only."""
    result = records_behind(indicator("funds_domestic"), cast.town_b, Period.of(YEAR), user=cast.operator_b)
    assert [line.project.name for line in result.lines if line.project] == ["乙项目"]


def test_the_page_shows_the_lines_and_the_total(client, cast, figures):
    client.force_login(cast.admin)
    url = reverse("ledger:drilldown")
    response = client.get(url, {"unit": cast.county.pk, "indicator": "funds_domestic", "year": YEAR})
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲项目" in text and "乙项目" in text and "150.5" in text
    assert response.context["result"].verified == Decimal("150.5")


def test_the_page_refuses_a_unit_of_another_county_like_a_missing_one(client, cast, figures):
    client.force_login(cast.admin)
    url = reverse("ledger:drilldown")
    assert client.get(url, {"unit": cast.other_county.pk, "indicator": "funds_domestic"}).status_code == 404
    assert client.get(url, {"unit": 99_999_999, "indicator": "funds_domestic"}).status_code == 404
    client.force_login(cast.operator_a)
    assert client.get(url, {"unit": cast.town_b.pk, "indicator": "funds_domestic"}).status_code == 404
    assert client.get(url, {"unit": cast.county.pk, "indicator": "funds_domestic"}).status_code == 404
    assert client.get(url, {"unit": cast.town_a.pk, "indicator": "no_such"}).status_code == 404


def test_the_api_gives_the_same_lines_and_total(client, cast, figures):
    client.force_login(cast.admin)
    url = f"/api/ledger/units/{cast.county.pk}/drilldown"
    body = client.get(url, {"indicator": "funds_domestic", "year": YEAR}).json()
    assert body["verified"] == "150.5000" and body["reported"] == "20.0000" and body["count"] == 3
    assert sum(Decimal(i["verified"]) for i in body["items"]) == Decimal("150.5")
    assert client.get(url, {"indicator": "no_such", "year": YEAR}).status_code == 422
    assert (
        client.get(
            f"/api/ledger/units/{cast.other_county.pk}/drilldown", {"indicator": "funds_domestic"}
        ).status_code
        == 404
    )


def test_the_api_completion_links_each_figure_to_its_records(client, cast, figures):
    client.force_login(cast.admin)
    rows = client.get(f"/api/targets/units/{cast.county.pk}/completion", {"year": YEAR}).json()
    funds_row = next(r for r in rows if r["indicator"] == "funds_domestic")
    assert funds_row["actual"] == "150.5000"
    assert client.get(funds_row["drilldown"]).json()["verified"] == funds_row["actual"]
    assert client.get(f"/api/targets/units/{cast.other_county.pk}/completion").status_code == 404
    client.force_login(cast.operator_a)
    assert client.get(f"/api/targets/units/{cast.town_b.pk}/completion").status_code == 404


def test_the_api_lists_the_shared_indicators_and_only_the_own_ones_of_counties_the_user_sees(client, cast):
    from zhaoshang.ledger import rules

    def define(county, by):
        name = f"{county.name}工业项目"
        return rules.define(
            by=by, county=county, name_zh=name, name_en=name, measure="count", kinds=["signed"]
        )

    ours, theirs = define(cast.county, cast.admin), define(cast.other_county, cast.stranger)
    shared = list(Indicator.objects.filter(county__isnull=True).values_list("code", flat=True))

    def listed(user):
        client.force_login(user)
        return sorted(i["code"] for i in client.get("/api/ledger/indicators").json())

    # a township operator reads the figures of the county the township lies in: its own indicators too
    assert listed(cast.operator_a) == listed(cast.admin) == sorted([*shared, ours.code])
    assert listed(cast.stranger) == sorted([*shared, theirs.code])


# --- the demo county, card by card --------------------------------------------------------------


@pytest.mark.django_db
def test_every_card_and_child_figure_of_the_demo_dashboard_opens_records_adding_up_to_it(client, today):
    from zhaoshang.conftest import ensure_predefined_indicators

    ensure_predefined_indicators()
    demo.load_demo(projects=80, today=today)
    client.force_login(User.objects.get(username="admin"))
    checked = 0
    for code in Indicator.objects.filter(is_active=True).values_list("code", flat=True):
        context = client.get(reverse("core:home"), {"indicator": code}).context
        unit, year = context["unit"], context["year"]
        if code == "funds_domestic":  # the cards are the same on every indicator's page
            for row in context["rows"]:
                period = Period.of(year, context["period"], context["month"])
                lines = all_lines(row.indicator, unit, period)
                assert sum(line.verified for line in lines) == row.actual, row.indicator.code
                assert sum(line.reported for line in lines) == row.reported, row.indicator.code
                page = client.get(
                    f"{context['records_url']}?unit={unit.pk}&indicator={row.indicator.code}&{context['records_period']}"
                )
                assert page.context["result"].verified == row.actual
                checked += 1
        for bar, _url in context["bars"]:
            lines = all_lines(
                context["indicator"], bar.unit, Period.of(year, "ytd", context["month_choices"][-1])
            )
            assert sum(line.verified for line in lines) == bar.actual, (code, bar.unit.name)
    assert checked == Indicator.objects.filter(is_active=True).count()
    assert any(row.actual for row in context["rows"])  # the demo has figures to check


@pytest.mark.django_db
def test_every_cell_of_the_demo_target_grid_opens_records_adding_up_to_its_figure(client, today):
    from zhaoshang.conftest import ensure_predefined_indicators

    ensure_predefined_indicators()
    demo.load_demo(projects=80, today=today)
    client.force_login(User.objects.get(username="admin"))
    county = Unit.objects.get(code="990101")
    response = client.get(reverse("targets:grid", args=[county.pk, today.year]))
    rows = [response.context["own_row"], *response.context["child_rows"]]
    seen = 0
    for _row, cells in rows:
        for _ind, _value, _field, done, records in cells:
            assert client.get(records).context["result"].verified == done, records
            seen += bool(done)
    assert seen


@pytest.mark.parametrize(
    "query", ["offset=9223372036854775808", "offset=-1", "limit=0", "limit=201", "period=week"]
)
def test_the_api_refuses_page_parameters_out_of_range_with_422(client, cast, query):
    client.force_login(cast.admin)
    assert client.get(f"/api/ledger/units/{cast.county.pk}/drilldown?{query}").status_code == 422


def test_the_furthest_offset_answers_an_empty_page_with_the_whole_total(client, cast, figures):
    client.force_login(cast.admin)
    body = client.get(f"/api/ledger/units/{cast.county.pk}/drilldown?year={YEAR}&offset=1000000000").json()
    assert (body["items"], body["verified"], body["count"]) == ([], "150.5000", 3)
