"""The summary's figures as data in the JSON API: equal to the document's, scoped like the pages."""

from __future__ import annotations

from zhaoshang.summaries.facts import summary_facts
from zhaoshang.summaries.periods import Period
from zhaoshang.summaries.tests.helpers import YEAR, township_2009
from zhaoshang.summaries.tests.test_summary import TODAY


def test_the_api_returns_each_figure_with_its_indicator_unit_and_period(client, cast):
    unit = township_2009(cast)
    client.force_login(cast.operator_a)
    response = client.get(f"/api/summaries/{unit.pk}", {"year": YEAR, "first": 1, "last": 12})
    assert response.status_code == 200
    data = response.json()
    facts = summary_facts(cast.operator_a, unit, Period(YEAR), TODAY)
    figures = {f["indicator"]: f for f in data["figures"]}
    foreign = figures["funds_foreign"]
    assert foreign == {
        **foreign,
        "unit_id": unit.pk,
        "year": YEAR,
        "first_month": 1,
        "last_month": 12,
        "actual": "650.0000",
        "target": "464.2900",
        "completion": "140.0",
    }
    assert {k: f["actual"] for k, f in figures.items()} == {
        f.code: format(f.actual.quantize(f.actual.__class__("0.0001")), "f") for f in facts.figures
    }
    stages = {s["key"]: s for s in data["stages"]}
    assert stages["started"]["count"] == 8 and stages["talks"]["count"] == 2
    assert data["results"][0].startswith("全年，全镇共引进项目9个")


def test_another_township_gets_404(client, cast):
    unit = township_2009(cast)
    client.force_login(cast.operator_b)
    assert client.get(f"/api/summaries/{unit.pk}", {"year": YEAR}).status_code == 404
    client.force_login(cast.operator_a)
    assert client.get(f"/api/summaries/{unit.pk}", {"year": YEAR, "first": 7, "last": 3}).status_code == 422
