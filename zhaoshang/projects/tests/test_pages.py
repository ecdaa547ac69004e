"""The project pages: scoping on every page, forms, the stage action, export, and query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project


@pytest.fixture
def projects(cast):
    """One project in each township, one in the other county."""
    return {
        "a": cast.project(cast.town_a, name="城关镇食品项目"),
        "b": cast.project(cast.town_b, name="河口乡物流项目"),
        "other": cast.project(cast.other_town, name="邻县纺织项目"),
    }


def listed_names(response) -> set[str]:
    return {obj.name for obj, _cells in response.context["rows"]}


def exported_names(response) -> set[str]:
    ws = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    name_col = rows[0].index("Project name") if "Project name" in rows[0] else 1
    return {row[name_col] for row in rows[1:]}


def test_anonymous_visitors_are_sent_to_log_in(client, projects):
    for url in [
        reverse("projects:list"),
        reverse("projects:export"),
        reverse("projects:create"),
        reverse("projects:detail", args=[projects["a"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_an_operator_lists_and_exports_only_their_township(client, cast, projects):
    client.force_login(cast.operator_a)
    assert listed_names(client.get(reverse("projects:list"))) == {"城关镇食品项目"}
    assert exported_names(client.get(reverse("projects:export"))) == {"城关镇食品项目"}


def test_the_bureau_sees_the_whole_county_and_nothing_of_the_neighbour(client, cast, projects):
    client.force_login(cast.admin)
    assert listed_names(client.get(reverse("projects:list"))) == {"城关镇食品项目", "河口乡物流项目"}


def test_filtering_by_a_foreign_unit_does_not_widen_the_scope(client, cast, projects):
    client.force_login(cast.operator_a)
    response = client.get(reverse("projects:list"), {"unit": cast.town_b.pk})
    assert listed_names(response) == {"城关镇食品项目"}  # the foreign unit is not a valid choice


@pytest.mark.parametrize("name", ["detail", "edit"])
def test_another_townships_project_is_not_found(client, cast, projects, name):
    client.force_login(cast.operator_b)
    assert client.get(reverse(f"projects:{name}", args=[projects["a"].pk])).status_code == 404
    assert client.get(reverse(f"projects:{name}", args=[999999])).status_code == 404


def test_another_townships_project_cannot_be_moved_or_edited_by_post(client, cast, projects):
    client.force_login(cast.operator_b)
    pk = projects["a"].pk
    response = client.post(
        reverse("projects:stage", args=[pk]), {"to_stage": "negotiating", "on": "2024-05-01"}
    )
    assert response.status_code == 404
    response = client.post(reverse("projects:edit", args=[pk]), {"name": "劫持"})
    assert response.status_code == 404
    assert (
        Project.objects.get(pk=pk).stage == Stage.LEAD and Project.objects.get(pk=pk).name == "城关镇食品项目"
    )


def test_a_leader_reads_but_cannot_create_edit_or_move(client, cast, projects):
    client.force_login(cast.leader)
    pk = projects["a"].pk
    assert client.get(reverse("projects:detail", args=[pk])).status_code == 200
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.get(reverse("projects:edit", args=[pk])).status_code == 404
    assert (
        client.post(
            reverse("projects:stage", args=[pk]), {"to_stage": "negotiating", "on": "2024-05-01"}
        ).status_code
        == 404
    )
    assert Project.objects.get(pk=pk).stage == Stage.LEAD


def form_data(cast, **overrides):
    data = {
        "name": "年产5万吨饮料项目",
        "unit": cast.town_a.pk,
        "currency": "CNY",
        "total_investment": "12345.6789",
        "credits-TOTAL_FORMS": "3",
        "credits-INITIAL_FORMS": "0",
        "credits-MIN_NUM_FORMS": "0",
        "credits-MAX_NUM_FORMS": "20",
        "stewards-TOTAL_FORMS": "2",
        "stewards-INITIAL_FORMS": "0",
        "stewards-MIN_NUM_FORMS": "0",
        "stewards-MAX_NUM_FORMS": "20",
        "stewards-0-name": "王副镇长",
        "stewards-0-position": "副镇长",
        "new_investor_name": "温州瓯江实业有限公司",
        "new_investor_country": "中国",
        "new_investor_province": "浙江省",
        "new_investor_city": "温州市",
    }
    data.update(overrides)
    return data


def test_an_operator_creates_a_project_with_exact_amounts_and_a_new_investor(client, cast):
    client.force_login(cast.operator_a)
    response = client.post(reverse("projects:create"), form_data(cast))
    project = Project.objects.get(name="年产5万吨饮料项目")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert project.total_investment == Decimal("12345.6789")
    assert project.investors.get().origin == "浙江省温州市"
    assert list(project.stewards.values_list("name", flat=True)) == ["王副镇长"]
    assert project.stage_changes.get().to_stage == Stage.LEAD
    page = client.get(project.get_absolute_url())
    assert "12,345.6789" in page.content.decode()


def test_a_project_cannot_be_created_in_another_township(client, cast):
    client.force_login(cast.operator_a)
    response = client.post(reverse("projects:create"), form_data(cast, unit=cast.town_b.pk))
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Project.objects.exists()


def test_credit_shares_off_100_are_shown_on_the_form_and_nothing_is_saved(client, cast):
    client.force_login(cast.admin)
    data = form_data(
        cast,
        **{
            "credits-0-unit": cast.town_a.pk,
            "credits-0-share": "60",
            "credits-1-unit": cast.department.pk,
            "credits-1-share": "30",
        },
    )
    response = client.post(reverse("projects:create"), data)
    assert response.status_code == 400
    assert "100" in " ".join(response.context["credit_formset"].non_form_errors())
    assert not Project.objects.exists()


def test_invalid_amounts_are_refused_with_field_errors(client, cast):
    client.force_login(cast.operator_a)
    response = client.post(reverse("projects:create"), form_data(cast, total_investment="-5"))
    assert response.status_code == 400 and "total_investment" in response.context["form"].errors
    response = client.post(reverse("projects:create"), form_data(cast, total_investment="1.23456"))
    assert response.status_code == 400 and "total_investment" in response.context["form"].errors


def test_the_stage_action_moves_the_project_and_shows_refusals(client, cast, projects):
    client.force_login(cast.operator_a)
    project = projects["a"]
    url = reverse("projects:stage", args=[project.pk])
    client.post(url, {"to_stage": "negotiating", "on": "2024-05-01", "note": "首次洽谈"})
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    response = client.post(url, {"to_stage": "signed", "on": "2024-06-01"}, follow=True)
    assert Project.objects.get(pk=project.pk).stage == Stage.NEGOTIATING
    assert any("contracted" in str(m).lower() or "协议" in str(m) for m in response.context["messages"])
    response = client.post(url, {"to_stage": "operating", "on": "2024-06-01"}, follow=True)
    assert Project.objects.get(pk=project.pk).stage == Stage.NEGOTIATING
    client.post(url, {"to_stage": "signed", "on": "2024-06-01", "contracted_amount": "3000"})
    project.refresh_from_db()
    assert (project.stage, project.signed_on, project.contracted_amount) == (
        Stage.SIGNED,
        dt.date(2024, 6, 1),
        Decimal(3000),
    )
    timeline = client.get(project.get_absolute_url()).context["timeline"]
    assert [c.to_stage for c in timeline] == ["lead", "negotiating", "signed"]


def test_list_filters_sort_and_paginate(client, cast, settings):
    for i in range(7):
        cast.project(name=f"项目{i}", total_investment=Decimal(1000 + i))
    client.force_login(cast.admin)
    response = client.get(reverse("projects:list"), {"sort": "-total_investment"})
    assert [o.name for o, _ in response.context["rows"]][:2] == ["项目6", "项目5"]
    response = client.get(reverse("projects:list"), {"investment_min": "1003", "investment_max": "1004"})
    assert listed_names(response) == {"项目3", "项目4"}
    response = client.get(reverse("projects:list"), {"q": "项目2"})
    assert listed_names(response) == {"项目2"}
    response = client.get(reverse("projects:list"), {"origin": "温州"})
    assert len(listed_names(response)) == 7
    response = client.get(reverse("projects:list"), {"sort": "password; drop table"})
    assert response.status_code == 200 and response.context["sort"] == ""


def test_the_list_page_costs_the_same_number_of_queries_for_5_or_50_projects(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.admin)
    for i in range(5):
        cast.project(name=f"少{i}")
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("projects:list"))
    for i in range(45):
        cast.project(name=f"多{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("projects:list"))


def test_the_export_follows_the_filters(client, cast, projects):
    client.force_login(cast.admin)
    response = client.get(reverse("projects:export"), {"q": "物流"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert exported_names(response) == {"河口乡物流项目"}


def test_user_text_is_exported_as_text_not_as_a_formula(client, cast):
    cast.project(name='=HYPERLINK("http://evil","x")')
    client.force_login(cast.admin)
    response = client.get(reverse("projects:export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value and str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_an_operator_cannot_move_their_project_to_another_township(client, cast):
    """The scope is checked after the change too: an edit may not carry a record out of reach."""
    from zhaoshang.core.errors import OutOfScope
    from zhaoshang.projects import services

    project = cast.project(cast.town_a, name="本镇项目")
    with pytest.raises(OutOfScope):
        services.update_project(project, by=cast.operator_a, data={"unit": cast.town_b})
    client.force_login(cast.operator_a)
    response = client.post(
        reverse("projects:edit", args=[project.pk]), form_data(cast, unit=cast.town_b.pk, version="1")
    )
    assert response.status_code == 400
    assert Project.objects.get(pk=project.pk).unit == cast.town_a


# --- the page read as value records ---------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_list_page_shows_the_cells_the_model_instances_give(client, cast, language):
    """The page's rows are value records (projects.tables.project_records); each row's HTML must be
    what the model instance of the same project gives, links and badges included."""
    from django.utils import translation

    from zhaoshang.core.templatetags.zs import cells
    from zhaoshang.projects.tables import PREFETCH, PROJECT_TABLE, SELECT

    cast.project(
        cast.town_a, name="食品 <加工> & 包装", total_investment=Decimal("1234567.5"), park=cast.park
    )
    cast.project(cast.town_b, name="物流项目", total_investment=0, stage="negotiating")
    client.force_login(cast.admin)
    client.cookies["django_language"] = language
    response = client.get(reverse("projects:list"), {"sort": "name"}, headers={"accept-language": language})
    records = [obj for obj, _cells in response.context["rows"]]
    instances = Project.objects.select_related(*SELECT).prefetch_related(*PREFETCH).in_bulk()
    assert len(records) == 2
    with translation.override(language):
        for record in records:
            instance = instances[record.pk]
            expected = cells(instance, PROJECT_TABLE.row(instance))
            assert cells(record, PROJECT_TABLE.row(record)) == expected
            assert expected in response.content.decode()
    assert "食品 &lt;加工&gt; &amp; 包装</a>" in response.content.decode()
    assert 'class="badge stage-badge stage-negotiating"' in response.content.decode()


def test_the_value_records_of_the_page_keep_to_the_scope(client, cast, projects):
    client.force_login(cast.operator_b)
    for query in ({}, {"q": "城关镇食品项目"}, {"unit": cast.town_a.pk}):
        response = client.get(reverse("projects:list"), query)
        assert (
            "城关镇食品项目" not in response.content.decode().split("<tbody>")[1]
        )  # the search box echoes it
        assert listed_names(response) <= {"河口乡物流项目"}
    client.force_login(cast.stranger)
    assert listed_names(client.get(reverse("projects:list"))) == {"邻县纺织项目"}
