"""Searchable selects (issue 18, item 7): unit, investor and industry selects carry data-search for
static/zhaoshang/selects.js (Tom Select); a select too long for the page asks a scoped JSON endpoint,
which answers only what the user may see."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from zhaoshang.core import widgets
from zhaoshang.investors.models import Investor
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.services import create_unit

pytest_plugins = ["zhaoshang.browser_fixtures"]


def results(client: Any, name: str, **query: str) -> list[str]:
    response = client.get(reverse(name), query)
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_the_unit_options_are_the_users_own_and_searchable_in_either_script(client, cast):
    client.force_login(cast.operator_a)
    assert results(client, "units:options", q="城關") == ["城关镇"]
    assert results(client, "units:options", q="河口") == []  # the neighbouring township is not told
    assert "邻县镇" not in results(client, "units:options", q="镇")
    client.force_login(cast.admin)
    assert results(client, "units:options", q="河口") == ["河口乡"]
    assert "邻县镇" not in results(client, "units:options", q="邻县")


def test_the_project_form_asks_only_for_units_that_may_hold_a_project(client, cast):
    create_unit(by=None, parent=cast.town_a, kind=UnitKind.VILLAGE, name="东关村", code="990101001201")
    client.force_login(cast.operator_a)
    assert results(client, "units:options", q="东关") == ["东关村"]
    assert results(client, "units:options", q="东关", **{"for": "project"}) == []


def test_the_investor_options_refuse_another_units_investors(client, cast):
    Investor.objects.create(name="宏达集团", unit=cast.town_a)
    Investor.objects.create(name="宏远集团", unit=cast.other_town)
    client.force_login(cast.operator_a)
    assert results(client, "investors:options", q="宏") == ["宏达集团"]
    client.force_login(cast.stranger)
    assert results(client, "investors:options", q="宏") == ["宏远集团"]
    client.logout()
    assert client.get(reverse("investors:options")).status_code == 302


def test_the_project_form_marks_its_selects_searchable_and_goes_remote_when_long(client, cast, monkeypatch):
    investor = Investor.objects.create(name="宏达集团", unit=cast.town_a)
    Investor.objects.create(name="另一家", unit=cast.town_a)
    project = cast.project()
    project.investors.add(investor)
    client.force_login(cast.operator_a)
    page = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    for name in ("unit", "investors", "industry_section"):
        tag = re.search(rf'<select[^>]*name="{name}"[^>]*>', page)
        assert tag and "data-search" in tag.group(0), name
    assert "data-search-url" not in page and "另一家" in page
    monkeypatch.setattr(widgets, "REMOTE_AT", 1)  # as with thousands of investors
    page = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert f'data-search-url="{reverse("investors:options")}"' in page
    assert "宏达集团" in page and "另一家" not in page  # only the chosen investor is in the page
    assert f'data-search-url="{reverse("units:options")}?for=project"' not in page  # 1 unit: no need
    assert 'size="6"' not in page  # no Ctrl-click list box


@pytest.mark.browser
def test_an_operator_types_into_the_unit_select_and_picks_a_unit(transactional_db, cast, page, snap):
    from playwright.sync_api import expect

    from zhaoshang.browser import log_in
    from zhaoshang.conftest import PASSWORD

    for n in range(20):  # a county of many townships: the select is searchable
        create_unit(
            by=None, parent=cast.county, kind=UnitKind.TOWNSHIP, name=f"乡镇{n:02d}", code=f"9901010{n + 10}"
        )
    log_in(page, "admin", PASSWORD)
    page.goto("/projects/new/")
    page.locator(".ts-control", has=page.locator("#id_unit-ts-control")).click()
    page.keyboard.type("河口")
    dropdown = page.locator("#id_unit-ts-dropdown")
    expect(dropdown.locator(".option", has_text="河口乡")).to_have_count(1)
    expect(dropdown.locator(".option", has_text="乡镇01")).to_have_count(0)  # the typing filtered
    dropdown.locator(".option", has_text="河口乡").click()
    snap(page, "searchable-unit-select")
    assert page.locator("#id_unit").input_value() == str(cast.town_b.pk)
