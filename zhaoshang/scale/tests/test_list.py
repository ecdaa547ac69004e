"""The lists at national size: a capped count, no DISTINCT, and a unit filter that renders only the
top levels of the tree but still accepts any visible unit, on every list that filters by unit."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhaoshang.units import filters


@pytest.fixture
def three(cast: Any) -> Any:
    for name in ("甲", "乙", "丙"):
        cast.project(cast.town_a, name=name)
    return cast


def test_the_api_counts_up_to_the_cap_and_says_so(client: Any, three: Any, monkeypatch: Any) -> None:
    client.force_login(three.admin)
    monkeypatch.setattr("zhaoshang.projects.api.LIST_COUNT_CAP", 2)
    body = client.get("/api/projects").json()
    assert (body["count"], body["capped"], len(body["items"])) == (2, True, 3)
    monkeypatch.setattr("zhaoshang.projects.api.LIST_COUNT_CAP", 3)
    body = client.get("/api/projects").json()
    assert (body["count"], body["capped"]) == (3, False)


def test_the_page_says_more_than_the_cap(client: Any, three: Any, monkeypatch: Any, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    client.force_login(three.admin)
    monkeypatch.setattr("zhaoshang.projects.views.ProjectListView.count_cap", 2)
    page = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "more than 2 projects" in page
    monkeypatch.setattr("zhaoshang.projects.views.ProjectListView.count_cap", 3)
    page = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 projects" in page and "more than" not in page


def test_the_capped_count_never_reads_other_units_projects(client: Any, three: Any) -> None:
    three.project(three.other_town, name="外县项目")
    client.force_login(three.operator_b)
    body = client.get("/api/projects").json()
    assert (body["count"], body["capped"], body["items"]) == (0, False, [])
    client.force_login(three.stranger)
    assert client.get("/api/projects").json()["count"] == 1


def test_the_stage_filter_selects_without_distinct(client: Any, three: Any) -> None:
    client.force_login(three.admin)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/projects?stage=lead").json()["count"] == 3
    assert not any("DISTINCT" in q["sql"] for q in queries.captured_queries)


def test_the_unit_filter_renders_the_top_levels_and_accepts_a_deeper_unit(
    client: Any, three: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(filters, "UNIT_CHOICE_LEVELS", 0)
    client.force_login(three.admin)
    page = client.get("/projects/").content.decode()
    assert f'value="{three.county.pk}"' in page
    assert f'value="{three.town_a.pk}"' not in page  # below the rendered levels
    body = client.get(f"/api/projects?unit={three.town_b.pk}").json()
    assert body["count"] == 0  # accepted as a filter, and town B has no projects
    assert client.get(f"/api/projects?unit={three.town_a.pk}").json()["count"] == 3
    assert client.get(f"/api/projects?unit={three.other_town.pk}").status_code == 422


# Every list page whose filter set names a unit, and the name of its unit parameter: a national user
# would otherwise be sent a select of 48,000 units on each (1–2 s a page at 1,000,000 projects).
UNIT_FILTERS = [
    ("/projects/", "unit"),
    ("/investors/", "unit"),
    ("/activities/", "unit"),
    ("/inspections/", "unit"),
    ("/inspections/items/", "owner_unit"),
    ("/requests/", "unit"),
    ("/requests/", "owner_unit"),
    ("/units/", "under"),
    ("/accounts/users/", "unit"),
]


@pytest.mark.parametrize(("url", "parameter"), UNIT_FILTERS)
def test_every_unit_filter_renders_the_top_levels_and_accepts_a_deeper_unit(
    client: Any, cast: Any, monkeypatch: Any, url: str, parameter: str
) -> None:
    monkeypatch.setattr(filters, "UNIT_CHOICE_LEVELS", 0)
    client.force_login(cast.admin)
    page = client.get(url).content.decode()
    select = page[page.index(f'name="{parameter}"') :]
    select = select[: select.index("</select>")]
    assert f'value="{cast.county.pk}"' in select
    assert f'value="{cast.town_a.pk}"' not in select  # below the rendered level
    # A deeper unit is accepted although not offered; a unit outside the user's scope is refused.
    assert "errorlist" not in client.get(f"{url}?{parameter}={cast.town_a.pk}").content.decode()
    assert "errorlist" in client.get(f"{url}?{parameter}={cast.other_town.pk}").content.decode()
