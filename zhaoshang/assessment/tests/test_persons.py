"""人人頭上有指標 (issue 20): a group that ranks persons on what the records credit to them (projects
introduced, projects stewarded that reached a milestone, enterprise visits), against personal
targets, with the unit groups' formulas and tie rule; published and frozen through the same path;
each person's points name the records behind them; scoped by the unit the person works at."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhaoshang.accounts.models import Membership, Role, User
from zhaoshang.assessment import persons, scoring, services
from zhaoshang.assessment.models import Frozen, Group, Item, PersonTarget, Score
from zhaoshang.assessment.tests.conftest import YEAR
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.enterprises import services as enterprises
from zhaoshang.enterprises.tests.helpers import enterprise
from zhaoshang.projects import services as projects
from zhaoshang.projects.models import Steward

AS_OF = dt.date(2026, 12, 1)


def person(username, name, unit, role=Role.OPERATOR):
    user = User.objects.create_user(username=username, password="x", display_name=name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def introduced(cast, unit, name, by_whom, on, kind="person"):
    return cast.project(
        unit,
        name=name,
        stage="signed",
        signed_on=on,
        contracted_amount=D(3000),
        introducer_type=kind,
        introducer_name=by_whom,
    )


@pytest.fixture
def staff(cast, scheme, settings, tmp_path):
    """The townships' promotion staff: 张三 (town A), the two operators, and two namesakes 李四 (one
    in each township); the county's own admin and the next county's are no township's staff."""
    settings.MEDIA_ROOT = tmp_path
    zhang = person("zhang", "招商员张三", cast.town_a)
    li_a, li_b = person("li_a", "李四", cast.town_a), person("li_b", "李四", cast.town_b)
    person("gone", "离职人员", cast.town_a).__class__.objects.filter(username="gone").update(is_active=False)
    group = Group.objects.create(
        scheme=scheme,
        name="招商员",
        subjects="persons",
        unit_kinds=["township"],
        tie_item="visits",
        sort_order=5,
    )
    items = {
        code: services.save_item(
            Item(
                group=group,
                code=code,
                name=name,
                max_points=points,
                source=code,
                formula=formula,
                params=params,
            ),
            by=cast.admin,
        )
        for code, name, points, formula, params in (
            ("introduced", "引进项目", 40, "ratio", {"weight": "40"}),
            ("stewarded", "保姆服务项目", 20, "per_item", {"each": "5", "cap": "20"}),
            ("visits", "走访企业", 10, "per_item", {"each": "2", "cap": "10"}),
        )
    }
    services.set_person_target(items["introduced"], zhang, D(2), by=cast.admin)
    services.set_person_target(items["introduced"], cast.operator_a, D(1), by=cast.admin)
    # introduced: 张三 in February (a project of town B: the person is credited wherever it lands),
    # 城关镇填报员 in March as the unit's own work; not counted: April, an agent, the next county,
    # the namesakes' 李四, a name nobody holds
    introduced(cast, cast.town_b, "张三引进项目", "招商员张三", dt.date(2026, 2, 10))
    introduced(cast, cast.town_a, "自主招商项目", "城关镇填报员", dt.date(2026, 3, 2), kind="own")
    introduced(cast, cast.town_a, "四月项目", "招商员张三", dt.date(2026, 4, 2))
    introduced(cast, cast.town_a, "中介项目", "招商员张三", dt.date(2026, 2, 3), kind="agent")
    introduced(cast, cast.other_town, "邻县项目", "招商员张三", dt.date(2026, 2, 3))
    introduced(cast, cast.town_a, "李四项目", "李四", dt.date(2026, 2, 3))
    introduced(cast, cast.town_a, "王五项目", "王五", dt.date(2026, 2, 3))
    # stewarded: 张三's project signed in January and started in March counts once; a steward record
    # without an account bearing 河口乡填报员's name counts for them; a project of last year does not
    kept = cast.project(
        cast.town_a,
        name="保姆项目",
        stage="signed",
        signed_on=dt.date(2026, 1, 20),
        contracted_amount=D(5000),
    )
    Steward.objects.create(project=kept, name="张三", user=zhang)
    projects.change_stage(kept, "started", by=cast.admin, on=dt.date(2026, 3, 3))
    named = cast.project(
        cast.town_b,
        name="河口乡保姆项目",
        stage="signed",
        signed_on=dt.date(2026, 2, 20),
        contracted_amount=D(5000),
    )
    Steward.objects.create(project=named, name="河口乡填报员")
    old = cast.project(
        cast.town_a, name="旧项目", stage="signed", signed_on=dt.date(2025, 6, 1), contracted_amount=D(5000)
    )
    Steward.objects.create(project=old, name="张三", user=zhang)
    # visits: 河口乡填报员 twice in the quarter and once in April, 城关镇填报员 once
    b, a = enterprise(cast, 1, cast.town_b), enterprise(cast, 2, cast.town_a)
    for who, firm, on in (
        (cast.operator_b, b, dt.date(2026, 1, 12)),
        (cast.operator_b, b, dt.date(2026, 3, 30)),
        (cast.operator_b, b, dt.date(2026, 4, 1)),
        (cast.operator_a, a, dt.date(2026, 2, 14)),
    ):
        enterprises.record_visit(firm, by=who, visited_on=on, visitors=str(who), findings="生产正常")
    return group, {"zhang": zhang, "li_a": li_a, "li_b": li_b, "items": items}


def test_the_persons_are_the_active_staff_of_the_groups_units(cast, staff):
    group, who = staff
    found = persons.members(group)
    assert [(p.user, p.home) for p in found] == [
        (cast.operator_a.pk, cast.town_a.pk),  # by unit, then by name
        (who["zhang"].pk, cast.town_a.pk),
        (who["li_a"].pk, cast.town_a.pk),
        (who["li_b"].pk, cast.town_b.pk),
        (cast.operator_b.pk, cast.town_b.pk),
    ]


def test_the_counts_are_read_in_a_few_queries_and_equal_a_recomputation(
    cast, staff, django_assert_num_queries
):
    group, who = staff
    people = persons.members(group)
    with django_assert_num_queries(3):  # one per source, whatever the number of persons
        found = persons.counts(cast.county, people, YEAR, [1, 2, 3], AS_OF)
    assert found == {
        who["zhang"].pk: {"introduced": 1, "stewarded": 1},
        cast.operator_a.pk: {"introduced": 1, "visits": 1},
        cast.operator_b.pk: {"stewarded": 1, "visits": 2},
        who["li_a"].pk: {},
        who["li_b"].pk: {},
    }
    for months, as_of in (
        ([1, 2, 3], AS_OF),
        ([4], AS_OF),
        ([1, 2, 3], dt.date(2026, 3, 2)),
        (list(range(1, 13)), AS_OF),
    ):
        assert persons.counts(cast.county, people, YEAR, months, as_of) == persons.counts_from_records(
            cast.county, people, YEAR, months, as_of
        ), (months, as_of)
    assert persons.counts(cast.county, people, YEAR, [4], AS_OF)[who["zhang"].pk] == {"introduced": 1}
    records = persons.records(cast.county, people, YEAR, [1, 2, 3], AS_OF)
    assert len(records[("visits", cast.operator_b.pk)]) == 2
    assert records[("stewarded", who["zhang"].pk)] == [
        Steward.objects.get(user=who["zhang"], project__name="保姆项目").project_id
    ]


def test_persons_are_scored_with_their_targets_the_formulas_and_the_tie_rule(cast, staff):
    group, who = staff
    found = scoring.draft(group, YEAR, "quarter", 3, as_of=AS_OF)
    table = [(s.unit, s.total, s.rank) for s in found]
    assert table == [
        (cast.operator_a.pk, D("42.00"), 1),  # 1 of 1 introduced: 40; a visit: 2
        (who["zhang"].pk, D("25.00"), 2),  # 1 of 2 introduced: 20; a stewarded project: 5
        (cast.operator_b.pk, D("9.00"), 3),  # no target: 0; a stewarded project: 5; two visits: 4
        (who["li_a"].pk, D("0.00"), 4),  # the namesakes share the place (equal totals and visits)
        (who["li_b"].pk, D("0.00"), 4),
    ]
    zhang = next(s for s in found if s.unit == who["zhang"].pk)
    line = next(line for line in zhang.lines if line.item.code == "introduced")
    assert (line.given.figure, line.given.target, line.given.completion) == (1, D(2), D("50.0"))
    slow = scoring.draft(group, YEAR, "quarter", 3, as_of=AS_OF, from_records=True)
    assert [(s.unit, s.total, s.rank) for s in slow] == table


def test_a_published_ranking_of_persons_is_frozen_and_its_correction_names_the_persons(client, cast, staff):
    group, who = staff
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    line = ranking.scores.get(person=who["zhang"])
    assert line.unit == cast.town_a and line.rank == 2 and line.total == D("25.00")
    assert "red_black" not in ranking.snapshot  # the red and black lists are of units
    assert sorted((s.unit, s.total, s.rank) for s in services.recompute(ranking)) == sorted(
        (s.person_id, s.total, s.rank) for s in ranking.scores.all()
    )
    with pytest.raises(Frozen):
        line.save()
    with pytest.raises(Frozen):
        Score.objects.filter(pk=line.pk).update(total=100)
    with pytest.raises(ValidationError):  # the scheme is used: its rules stay as they were
        services.set_person_target(who["items"]["introduced"], who["zhang"], D(1), by=cast.admin)
    # a third visit of 城关镇填报员 turns up: the correction says whose total changed
    enterprises.record_visit(
        enterprise(cast, 3, cast.town_a),
        by=cast.operator_a,
        visited_on=dt.date(2026, 3, 9),
        visitors="x",
        findings="正常",
    )
    fixed = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3, reason="补录走访")
    assert fixed.changes == [
        {"unit": cast.operator_a.pk, "total": ["42.00", "44.00"], "rank": [1, 1], "grade": ["", ""]}
    ]
    client.force_login(cast.admin)
    page = client.get(reverse("assessment:ranking"), {"ranking": fixed.pk}).content.decode()
    changes = page.split('data-testid="changes"')[1].split("</ul>")[0]
    assert "城关镇填报员" in changes and "44.00" in changes and "招商员张三" not in changes
    assert page.count('data-testid="person-link"') == 5


def test_a_persons_page_names_the_records_behind_the_points_to_the_persons_units_only(client, cast, staff):
    group, who = staff
    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    url = reverse("assessment:person", args=[who["zhang"].pk])
    client.force_login(cast.admin)
    page = client.get(url).content.decode()
    assert "张三引进项目" in page and "保姆项目" in page and "旧项目" not in page and "四月项目" not in page
    client.force_login(cast.operator_a)  # the same township sees its own staff
    assert client.get(url).status_code == 200
    b_page = client.get(reverse("assessment:person", args=[cast.operator_b.pk]))
    assert b_page.status_code == 404  # another township's staff
    client.force_login(cast.operator_b)
    page = client.get(reverse("assessment:person", args=[cast.operator_b.pk])).content.decode()
    assert "外来企业1" in page and page.count('data-testid="behind"') == 2  # the visits, the project
    client.force_login(cast.stranger)  # the next county
    assert client.get(url).status_code == 404
    assert client.get(reverse("assessment:ranking")).content.decode().count('data-testid="person-link"') == 0


def test_the_scoring_table_of_persons_exports_with_each_persons_unit(client, cast, staff):
    group, _ = staff
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    client.force_login(cast.admin)
    response = client.get(reverse("assessment:export"), {"ranking": ranking.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[1]) == 3 + 3 + 2  # rank, person, unit; the three items; total, grade
    body = [row for row in rows if isinstance(row[0], int)]
    assert [(r[0], r[1], r[2], r[-2]) for r in body] == [
        (1, "城关镇填报员", "城关镇", 42),
        (2, "招商员张三", "城关镇", 25),
        (3, "河口乡填报员", "河口乡", 9),
        (4, "李四", "城关镇", 0),
        (4, "李四", "河口乡", 0),
    ]


def test_a_group_of_persons_takes_only_personal_counts_and_targets_are_the_bureaus(cast, staff, scheme):
    group, who = staff
    with pytest.raises(ValidationError):
        services.save_item(
            Item(
                group=group,
                code="funds2",
                name="资金",
                max_points=5,
                source="manual",
                formula="manual",
                params={"max": "5"},
            ),
            by=cast.admin,
        )
    units = scheme.groups.get(subjects="units")
    with pytest.raises(ValidationError):
        services.save_item(
            Item(
                group=units,
                code="v",
                name="走访",
                max_points=5,
                source="visits",
                formula="per_item",
                params={"each": "1", "cap": "5"},
            ),
            by=cast.admin,
        )
    with pytest.raises(OutOfScope):
        services.set_person_target(who["items"]["introduced"], who["zhang"], D(5), by=cast.operator_a)
    with pytest.raises(ValidationError):
        services.set_person_target(who["items"]["introduced"], who["zhang"], D(0), by=cast.admin)
    copy = services.copy_scheme(scheme, by=cast.admin)  # a new version keeps the group and its targets
    kept = copy.groups.get(subjects="persons")
    assert dict(PersonTarget.objects.filter(item__group=kept).values_list("person", "value")) == {
        who["zhang"].pk: D(2),
        cast.operator_a.pk: D(1),
    }
    services.set_person_target(who["items"]["introduced"], who["zhang"], None, by=cast.admin)
    assert not PersonTarget.objects.filter(item__group=group, person=who["zhang"]).exists()


def test_the_scheme_page_previews_the_persons(client, cast, staff, scheme):
    client.force_login(cast.admin)
    page = client.get(reverse("assessment:scheme", args=[scheme.pk]), {"month": 3}).content.decode()
    preview = page.split('data-testid="preview"')[2]  # the units' group first, then the persons'
    assert "招商员张三" in preview and "城关镇填报员" in preview


def test_the_api_names_the_persons_of_a_published_ranking_to_their_units(client, cast, staff):
    group, who = staff
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    client.force_login(cast.admin)
    body = client.get(f"/api/assessment/rankings/{ranking.pk}").json()
    assert {(s["person_id"], s["person_name"], s["unit_id"]) for s in body["scores"]} >= {
        (who["zhang"].pk, "招商员张三", cast.town_a.pk),
        (cast.operator_b.pk, "河口乡填报员", cast.town_b.pk),
    }
    schemes = client.get("/api/assessment/schemes").json()["items"]
    assert {g["subjects"] for s in schemes for g in s["groups"]} == {"units", "persons"}
    # the county's ranking is read at the county and above (a township reads its people's points
    # on their pages); the next county never
    client.force_login(cast.operator_b)
    assert client.get(f"/api/assessment/rankings/{ranking.pk}").status_code == 404
    client.force_login(cast.stranger)
    assert client.get(f"/api/assessment/rankings/{ranking.pk}").status_code == 404
