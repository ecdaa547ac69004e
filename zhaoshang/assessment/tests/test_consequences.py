"""通報批評, 問責, 通報表揚 and the rectification items raised from a criticism."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import docx
import pytest

from zhaoshang.assessment import consequences, services
from zhaoshang.assessment.models import Ranking
from zhaoshang.assessment.tests.conftest import YEAR, put, target
from zhaoshang.inspections.models import RectificationItem
from zhaoshang.units.services import create_unit

DEADLINE = dt.date(2026, 4, 30)


@pytest.fixture
def group(cast, scheme):
    target(cast.town_a, "funds_domestic", 1000)
    target(cast.town_b, "funds_domestic", 1000)
    put(cast.town_a, "funds_domestic", 2, 900)
    put(cast.town_b, "funds_domestic", 2, 300)
    return scheme.groups.get()


def text_of(document: docx.document.Document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_criticism_notice_names_the_bottom_units_with_scores_and_ranks(cast, group):
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    content = consequences.criticism_docx(ranking, deadline=DEADLINE, on=dt.date(2026, 4, 10))
    document = docx.Document(io.BytesIO(content))
    text = text_of(document)
    assert "关于2026年第一季度乡镇招商引资工作考核排名情况的通报" in text
    assert "河口乡（第2名，15.00分）" in text and "予以通报批评" in text
    assert "2026年4月30日前" in text
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows == [
        ["名次", "单位", "得分", "等次"],
        ["1", "城关镇", "45.00", "三等"],
        ["2", "河口乡", "15.00", "三等"],
    ]


def test_no_one_is_criticised_in_a_group_smaller_than_the_least(cast, group):
    group.least_units = 3
    group.save()
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert consequences.criticised(ranking) == []
    text = text_of(
        docx.Document(io.BytesIO(consequences.criticism_docx(ranking, deadline=DEADLINE, on=DEADLINE)))
    )
    assert "不作通报批评" in text


def test_the_bottom_three_of_a_larger_group_and_the_tie_at_the_cut(cast, group):
    group.bottom_n, group.least_units = 2, 4
    group.save()
    for n, amount in enumerate((100, 100, 500)):
        town = create_unit(by=None, parent=cast.county, kind="township", name=f"新镇{n}", code=f"99010101{n}")
        target(town, "funds_domestic", 1000)
        put(town, "funds_domestic", 1, amount)
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    names = [s.unit.name for s in consequences.criticised(ranking)]
    assert sorted(names) == ["新镇0", "新镇1"]  # 5 each, sharing the last place
    assert [s.unit.name for s in consequences.commended(ranking)] == ["城关镇"]


def test_two_consecutive_criticisms_put_a_unit_on_the_accountability_list(cast, group):
    from zhaoshang.assessment.models import Ranking

    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert consequences.accountability(Ranking.objects.all()) == []
    put(cast.town_a, "funds_domestic", 5, 200)
    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=6)
    (flagged,) = consequences.accountability(Ranking.objects.all())
    assert flagged.unit == cast.town_b
    assert [(h[0], h[1], h[3]) for h in flagged.history] == [
        ("2026年第一季度", 2, True),
        ("2026年第二季度", 2, True),
    ]


def test_a_gap_between_criticisms_is_not_consecutive(cast, group):
    from zhaoshang.assessment.models import Ranking

    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    put(cast.town_a, "funds_domestic", 8, 200)
    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=9)
    assert consequences.accountability(Ranking.objects.all()) == []


def test_the_commendation_names_the_top_units(cast, group):
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    text = text_of(docx.Document(io.BytesIO(consequences.commendation_docx(ranking, on=DEADLINE))))
    assert "城关镇（第1名，45.00分）" in text and "予以通报表扬" in text


def test_a_criticism_raises_one_rectification_item_per_unit(cast, group):
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert (
        consequences.raise_rectifications(ranking, by=cast.admin, deadline=DEADLINE, on=dt.date(2026, 4, 10))
        == 1
    )
    assert (
        consequences.raise_rectifications(ranking, by=cast.admin, deadline=DEADLINE, on=dt.date(2026, 4, 10))
        == 0
    )
    (item,) = RectificationItem.objects.all()
    assert (item.owner_unit, item.deadline) == (cast.town_b, DEADLINE)
    assert RectificationItem.objects.visible_to(cast.operator_b).count() == 1


def test_the_notices_download_and_the_bureau_raises_items_from_the_page(client, cast, group):
    from django.urls import reverse

    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    client.force_login(cast.leader)
    response = client.get(reverse("assessment:criticism", args=[ranking.pk]), {"deadline": "2026-05-15"})
    assert "2026年5月15日前" in text_of(docx.Document(io.BytesIO(response.content)))
    assert client.get(reverse("assessment:commendation", args=[ranking.pk])).status_code == 200
    assert client.post(reverse("assessment:rectify", args=[ranking.pk])).status_code == 403
    client.force_login(cast.operator_b)
    assert client.get(reverse("assessment:criticism", args=[ranking.pk])).status_code == 404
    client.force_login(cast.admin)
    client.post(reverse("assessment:rectify", args=[ranking.pk]), {"deadline": "2026-12-31"})
    assert RectificationItem.objects.get().deadline == dt.date(2026, 12, 31)
    put(cast.town_a, "funds_domestic", 5, 200)  # the second quarter is not all tied: 河口乡 last again
    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=6)
    client.force_login(cast.leader)
    page = client.get(reverse("assessment:accountability")).content.decode()
    assert "河口乡" in page and "2026年第二季度" in page


def test_the_demo_county_has_a_scheme_and_a_published_first_quarter(db, today):
    from zhaoshang.assessment.models import PersonTarget, Ranking, Score
    from zhaoshang.conftest import ensure_predefined_indicators
    from zhaoshang.demo.demo import MIN_PROJECTS, load_demo

    ensure_predefined_indicators()
    load_demo(projects=MIN_PROJECTS, today=today)
    rankings = list(Ranking.objects.select_related("group"))
    assert {r.group.name for r in rankings} == {"乡镇（街道）", "县直部门", "园区", "招商人员"}
    assert all((r.period, r.month, r.year) == ("quarter", 3, today.year) for r in rankings)
    towns = next(r for r in rankings if r.group.name == "乡镇（街道）")
    assert towns.scores.count() >= 6 and len(consequences.criticised(towns)) >= 3
    assert [(s.unit, s.total, s.rank) for s in services.recompute(towns)] == [
        (s.unit_id, s.total, s.rank)
        for s in Score.objects.filter(ranking=towns).order_by("rank", "unit__path")
    ]
    # the townships' staff (人人頭上有指標), each with a personal target
    staff = next(r for r in rankings if r.group.subjects == "persons")
    lines = list(staff.scores.select_related("unit"))
    assert lines and all(s.person_id and s.unit.kind == "township" for s in lines)
    assert PersonTarget.objects.filter(item__group=staff.group).count() == len(lines)
    assert sorted((s.unit, s.total, s.rank) for s in services.recompute(staff)) == sorted(
        (s.person_id, s.total, s.rank) for s in lines
    )


def test_the_red_and_black_lists_set_completion_against_progress_in_time(client, cast, group):
    from django.urls import reverse

    put(cast.town_a, "funds_domestic", 5, 100)  # town A: 1000 of 1000 by June; town B: 300
    red, black, progress = consequences.red_black(group, 6, dt.date(2026, 12, 31))
    assert progress == D("49.6")
    assert [(s.unit, s.completion) for s in red] == [(cast.town_a, D("100.0"))]
    assert [(s.unit, s.completion) for s in black] == [(cast.town_b, D("30.0"))]
    client.force_login(cast.leader)
    page = client.get(reverse("assessment:red_black"), {"month": 6}).content.decode()
    assert "城关镇" in page and "河口乡" in page


# --- the tie rules (issue 20): never more than N named; a group all tied names nobody -------------


def places(*ranks):
    from types import SimpleNamespace

    return [
        SimpleNamespace(rank=r, unit_id=i, unit=SimpleNamespace(path=f"{i:03d}")) for i, r in enumerate(ranks)
    ]


@pytest.mark.parametrize(
    ("ranks", "n", "bottom", "named", "left_out"),
    [
        ((1, 2, 3, 4, 5), 3, True, [4, 3, 2], []),
        ((1, 2, 3, 3, 5), 3, True, [4, 2, 3], []),  # the tie fits whole in the three
        ((1, 2, 2, 4, 5), 3, True, [4, 3], [1, 2]),  # 2nd place shared across the cut: neither
        ((1, 2, 2, 2, 2), 3, True, [], [1, 2, 3, 4]),  # four share the last place: none of them
        ((1, 1, 3, 4, 5), 1, False, [], [0, 1]),  # two share the first place, one to commend
        ((1, 1, 3, 4, 5), 2, False, [0, 1], []),
        ((1, 1, 1, 1), 3, True, [], []),  # all tie: nobody
        ((1, 1, 1, 1), 1, False, [], []),
        ((1, 2), 0, True, [], []),
    ],
)
def test_the_tie_rule_at_the_cut(ranks, n, bottom, named, left_out):
    found = consequences.cut(places(*ranks), n, bottom=bottom)
    assert [s.unit_id for s in found.named] == named
    assert [s.unit_id for s in found.left_out] == left_out
    assert len(found.named) <= n
    assert found.all_tie == (len(set(ranks)) == 1)


def test_a_group_all_tied_has_no_one_criticised_or_commended(cast, scheme):
    group = scheme.groups.get()  # two townships, no figures: both 0 points, the same place
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert {s.rank for s in ranking.scores.all()} == {1}
    assert consequences.criticised(ranking) == [] and consequences.commended(ranking) == []
    criticism = text_of(
        docx.Document(io.BytesIO(consequences.criticism_docx(ranking, deadline=DEADLINE, on=DEADLINE)))
    )
    assert "各单位得分并列，不作通报批评" in criticism and "予以通报批评" not in criticism
    praise = text_of(docx.Document(io.BytesIO(consequences.commendation_docx(ranking, on=DEADLINE))))
    assert "不作通报表扬" in praise and "予以通报表扬" not in praise
    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=6)
    assert consequences.accountability(Ranking.objects.all()) == []  # twice all tied: no one


def test_a_tie_across_the_cut_is_named_as_left_out_in_the_notice(cast, group):
    group.bottom_n, group.least_units = 2, 4
    group.save()
    for n, amount in enumerate((100, 100)):  # 5 points each, below 河口乡's 15: the last place shared
        town = create_unit(by=None, parent=cast.county, kind="township", name=f"新镇{n}", code=f"99010101{n}")
        target(town, "funds_domestic", 1000)
        put(town, "funds_domestic", 1, amount)
    town = create_unit(by=None, parent=cast.county, kind="township", name="新镇9", code="990101019")
    target(town, "funds_domestic", 1000)  # 新镇9 also 5 points: three share the last place
    put(town, "funds_domestic", 1, 100)
    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert consequences.criticised(ranking) == []
    assert sorted(s.unit.name for s in consequences.criticism(ranking).left_out) == [
        "新镇0",
        "新镇1",
        "新镇9",
    ]
    text = text_of(
        docx.Document(io.BytesIO(consequences.criticism_docx(ranking, deadline=DEADLINE, on=DEADLINE)))
    )
    assert "新镇0、新镇1、新镇9得分并列第3名" in text and "予以通报批评" not in text
    assert consequences.raise_rectifications(ranking, by=cast.admin, deadline=DEADLINE, on=DEADLINE) == 0


# --- the red and black lists published (issue 20) and shown in the monthly bulletin (issue 21) ----


def test_the_red_and_black_lists_are_frozen_with_the_ranking_and_published_as_a_notice(client, cast, group):
    from django.urls import reverse

    ranking = services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=6)
    put(cast.town_b, "funds_domestic", 4, 5000)  # after publishing: the notice keeps the lists as published
    found = consequences.published_red_black(ranking)
    assert found.frozen and found.progress == D("49.6")
    assert [(s.unit, s.completion, s.gap) for s in found.red] == [(cast.town_a, D("90.0"), D("40.4"))]
    assert [(s.unit, s.completion, s.gap) for s in found.black] == [(cast.town_b, D("30.0"), D("-19.6"))]
    client.force_login(cast.leader)
    response = client.get(reverse("assessment:red_black_notice", args=[ranking.pk]))
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert "关于2026年第二季度乡镇招商引资工作红黑榜的通报" in text_of(document)
    assert "49.6%" in text_of(document)
    red, black = ([[c.text for c in row.cells] for row in t.rows] for t in document.tables)
    assert red[1:] == [["1", "城关镇", "90.0", "+40.4"]]
    assert black[1:] == [["1", "河口乡", "30.0", "-19.6"]]
    for user in (cast.stranger, cast.operator_b):  # another county's bureau; a township
        client.force_login(user)
        assert client.get(reverse("assessment:red_black_notice", args=[ranking.pk])).status_code == 404


def test_the_monthly_bulletin_lists_the_red_and_black_lists_of_the_month(cast, group):
    from zhaoshang.summaries import bulletin_files
    from zhaoshang.summaries.bulletin import bulletin_of

    services.publish(group, by=cast.admin, year=YEAR, period="quarter", month=6)
    today = dt.date(2026, 12, 31)
    assert bulletin_of(cast.admin, cast.county, YEAR, 5, today).red_black == []  # no ranking of May
    assert bulletin_of(cast.stranger, cast.county, YEAR, 6, today).red_black == []
    bulletin = bulletin_of(cast.admin, cast.county, YEAR, 6, today)
    (found,) = bulletin.red_black
    assert [s.unit for s in found.red] == [cast.town_a] and [s.unit for s in found.black] == [cast.town_b]
    text = text_of(docx.Document(io.BytesIO(bulletin_files.bulletin_document(bulletin))))
    assert "红黑榜" in text
    assert "红榜：城关镇（超序时进度40.4个百分点）。" in text
    assert "黑榜：河口乡（欠序时进度19.6个百分点）。" in text
