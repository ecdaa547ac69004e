"""The ranking pages: the leader reads and drills into a unit, the unit sees only its own points,
the bureau previews and publishes, and the scoring table exports."""

from __future__ import annotations

import html
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from zhaoshang.assessment import services
from zhaoshang.assessment.models import Ranking
from zhaoshang.assessment.tests.conftest import YEAR, put, target


@pytest.fixture
def published(cast, scheme):
    target(cast.town_a, "funds_domestic", 1000)
    target(cast.town_b, "funds_domestic", 1000)
    put(cast.town_a, "funds_domestic", 2, 700)
    put(cast.town_b, "funds_domestic", 2, 900)
    return services.publish(scheme.groups.get(), by=cast.admin, year=YEAR, period="quarter", month=3)


def test_the_leader_sees_the_ranking_and_drills_into_a_unit(client, cast, published):
    client.force_login(cast.leader)
    page = client.get(reverse("assessment:ranking")).content.decode()
    assert page.index("河口乡") < page.index("城关镇")  # 45 before 35
    assert reverse("assessment:unit", args=[cast.town_a.pk]) in page
    unit = client.get(reverse("assessment:unit", args=[cast.town_a.pk])).content.decode()
    assert "省外到位资金" in unit and "70.0%" in unit and "15.00" in unit  # lost 15 of 50


def test_the_ranking_sorts_by_name_or_an_item(client, cast, published):
    client.force_login(cast.leader)
    rows = client.get(reverse("assessment:ranking"), {"sort": "name"}).context["rows"]
    assert [r.unit.name for r in rows] == sorted(["城关镇", "河口乡"])
    rows = client.get(reverse("assessment:ranking"), {"sort": "-funds"}).context["rows"]
    assert rows[0].unit == cast.town_b


def test_a_township_sees_its_own_points_and_not_its_neighbours(client, cast, published):
    client.force_login(cast.operator_a)
    assert client.get(reverse("assessment:unit", args=[cast.town_a.pk])).context["scores"]
    assert client.get(reverse("assessment:unit", args=[cast.town_b.pk])).status_code == 404
    assert not client.get(reverse("assessment:ranking")).context["rows"]


def test_another_county_never_sees_the_ranking(client, cast, published):
    client.force_login(cast.stranger)
    assert client.get(reverse("assessment:unit", args=[cast.town_a.pk])).status_code == 404
    assert not client.get(reverse("assessment:ranking")).context["rows"]
    assert "邻县" not in str(client.get(reverse("assessment:export")).content)
    assert client.post(reverse("assessment:publish", args=[published.group_id]), {}).status_code == 404


def test_the_bureau_previews_a_draft_and_publishes_a_correction(client, cast, published):
    client.force_login(cast.admin)
    put(cast.town_a, "funds_domestic", 3, 1000)
    url = reverse("assessment:ranking")
    draft = client.get(url, {"group": published.group_id, "period": "quarter", "month": 3}).context["rows"]
    assert draft[0].unit == cast.town_a and draft[0].total == 60  # 170 %: 50 capped, bonus 10 capped
    publish = reverse("assessment:publish", args=[published.group_id])
    client.post(publish, {"period": "quarter", "month": 3})
    assert Ranking.objects.count() == 1  # a correction needs its reason
    client.post(publish, {"period": "quarter", "month": 3, "reason": "补核"})
    newest = Ranking.objects.get(version=2)
    page = client.get(url).content.decode()
    assert "补核" in page and newest.digest[:12] in page and "城关镇" in page


def test_the_leader_may_not_publish(client, cast, published):
    client.force_login(cast.leader)
    response = client.post(
        reverse("assessment:publish", args=[published.group_id]), {"period": "quarter", "month": 3}
    )
    assert response.status_code == 403


def test_the_scoring_table_exports(client, cast, published):
    client.force_login(cast.leader)
    response = client.get(reverse("assessment:export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert any(tuple(row[:2]) == (1, "河口乡") for row in values)


def test_the_api_reads_schemes_rankings_and_only_the_scores_one_may_see(client, cast, published):
    client.force_login(cast.leader)
    schemes = client.get("/api/assessment/schemes").json()["items"]
    assert [i["code"] for i in schemes[0]["groups"][0]["items"]][:2] == ["funds", "signed"]
    (listed,) = client.get("/api/assessment/rankings").json()["items"]
    body = client.get(f"/api/assessment/rankings/{listed['id']}").json()
    assert [(s["unit_name"], s["total"], s["rank"]) for s in body["scores"]] == [
        ("河口乡", "45.00", 1),
        ("城关镇", "35.00", 2),
    ]
    client.force_login(cast.operator_a)
    assert client.get("/api/assessment/rankings").json()["count"] == 0
    assert client.get(f"/api/assessment/rankings/{listed['id']}").status_code == 404
    client.force_login(cast.stranger)
    assert client.get(f"/api/assessment/rankings/{listed['id']}").status_code == 404


def test_the_bureau_edits_a_scheme_and_sees_the_preview(client, cast, scheme):
    target(cast.town_a, "funds_domestic", 1000)
    put(cast.town_a, "funds_domestic", 2, 500)
    client.force_login(cast.admin)
    url = reverse("assessment:scheme", args=[scheme.pk])
    page = client.get(url, {"month": 3})
    assert page.context["preview"][0][1][0].total == 25  # 50 % of 50
    funds = scheme.groups.get().items.get(code="funds")
    data = {
        "item": funds.pk,
        "group": funds.group_id,
        "code": "funds",
        "name": "省外到位资金",
        "max_points": "60",
        "source": "completion",
        "indicator": funds.indicator_id,
        "formula": "ratio",
        "params": '{"weight": "60"}',
        "method": "完成率×60",
        "sort_order": 1,
    }
    assert client.post(url, {**data, "params": '{"cap": "1"}'}).status_code == 400  # no weight
    assert client.post(url, data).status_code == 302
    assert client.get(url, {"month": 3}).context["preview"][0][1][0].total == 30


def test_a_leader_reads_a_scheme_but_cannot_change_or_copy_it(client, cast, scheme):
    client.force_login(cast.leader)
    url = reverse("assessment:scheme", args=[scheme.pk])
    assert client.get(url).context["form"] is None
    assert client.post(url, {}).status_code == 403
    assert client.post(reverse("assessment:scheme_copy", args=[scheme.pk]), {"year": 2027}).status_code == 403
    client.force_login(cast.operator_a)
    assert client.get(url).status_code == 404


def test_copying_a_scheme_to_next_year(client, cast, scheme):
    client.force_login(cast.admin)
    response = client.post(reverse("assessment:scheme_copy", args=[scheme.pk]), {"year": 2027})
    copy = services.current_scheme(cast.county, 2027)
    assert copy is not None and response["Location"] == reverse("assessment:scheme", args=[copy.pk])


def test_a_township_fills_in_its_self_evaluation_on_its_page(client, cast, scheme):
    from zhaoshang.assessment.models import ManualEntry

    client.force_login(cast.operator_a)
    url = reverse("assessment:unit", args=[cast.town_a.pk])
    form = client.get(url).context["form"]
    leaders = scheme.groups.get().items.get(code="leaders")
    assert leaders in form.fields["item"].queryset
    data = {"item": leaders.pk, "period": "quarter", "month": 3, "value": "9", "note": "外出招商6次"}
    client.post(reverse("assessment:self_evaluate", args=[cast.town_a.pk]), data)
    assert ManualEntry.objects.get().claimed == 9
    client.force_login(cast.operator_b)
    assert client.post(reverse("assessment:self_evaluate", args=[cast.town_a.pk]), data).status_code == 404
    client.force_login(cast.admin)
    assert client.post(reverse("assessment:self_evaluate", args=[cast.town_a.pk]), data).status_code == 403


def test_a_point_links_to_the_records_behind_its_figure(client, cast, published):
    from zhaoshang.assessment.views import drilldown_url
    from zhaoshang.ledger.drilldown import Period as LedgerPeriod
    from zhaoshang.ledger.drilldown import records_behind
    from zhaoshang.ledger.models import Indicator

    url = drilldown_url(cast.town_a, "funds_domestic", published)
    query = f"unit={cast.town_a.pk}&indicator=funds_domestic&year=2026&period=quarter&month=3"
    assert url == f"{reverse('ledger:drilldown')}?{query}"
    assert drilldown_url(cast.town_a, None, published) == ""  # a manual point has no records
    client.force_login(cast.leader)
    page = client.get(reverse("assessment:unit", args=[cast.town_a.pk])).content.decode()
    assert html.escape(url) in page
    assert client.get(url).status_code == 200
    # the records behind the point add up to the figure the point was scored on
    behind = records_behind(
        Indicator.objects.get(code="funds_domestic"), cast.town_a, LedgerPeriod.of(2026, "quarter", 3)
    )
    assert behind.verified == 700


def test_the_ranking_shows_the_change_of_place_and_the_trend(client, cast, published):
    put(cast.town_a, "funds_domestic", 5, 800)  # the second quarter: town A ahead
    second = services.publish(published.group, by=cast.admin, year=YEAR, period="quarter", month=6)
    client.force_login(cast.leader)
    rows = client.get(reverse("assessment:ranking"), {"ranking": second.pk}).context["rows"]
    by_unit = {r.unit: r for r in rows}
    assert (by_unit[cast.town_a].rank, by_unit[cast.town_a].change) == (1, 1)
    assert (by_unit[cast.town_b].rank, by_unit[cast.town_b].change) == (2, -1)
    assert by_unit[cast.town_a].trend == [D("35.00"), D("40.00")]


def test_the_bureau_starts_a_scheme_with_the_usual_groups(client, cast):
    from zhaoshang.assessment.models import Scheme

    client.force_login(cast.leader)
    assert client.post(reverse("assessment:scheme_create"), {"name": "考核办法"}).status_code == 403
    client.force_login(cast.admin)
    client.post(reverse("assessment:scheme_create"), {"name": "2026年度考核办法"})
    scheme = Scheme.objects.get()
    assert scheme.county == cast.county
    assert list(scheme.groups.values_list("name", flat=True)) == ["乡镇（街道）", "县直部门", "园区"]
