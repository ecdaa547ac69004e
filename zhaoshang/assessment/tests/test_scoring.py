"""Scores from the ledger's roll-ups and the targets, publishing, and corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhaoshang.assessment import scoring, services
from zhaoshang.assessment.models import Frozen, GradeJump, Ranking, Score
from zhaoshang.assessment.tests.conftest import YEAR, put, target
from zhaoshang.audit.models import Entry
from zhaoshang.audit.services import verify
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.ledger.models import Indicator


@pytest.fixture
def figures(cast, scheme):
    target(cast.town_a, "funds_domestic", 1000)
    target(cast.town_b, "funds_domestic", 1000)
    target(cast.town_a, "projects_signed", 4)
    target(cast.town_b, "projects_signed", 4)
    put(cast.town_a, "funds_domestic", 2, 1200)  # 120 %
    put(cast.town_a, "funds_domestic", 3, 50, verified=False)  # reported only: never counts
    put(cast.town_b, "funds_domestic", 1, 600)  # 60 %
    for month in (1, 2, 3):
        put(cast.town_a, "signed", month, 1)  # 3 of 4: 75 %
    put(cast.town_b, "signed", 3, 4)  # 100 %
    put(cast.town_a, "funds_domestic", 4, 999)  # April: outside the first quarter
    return scheme.groups.get()


def test_scores_come_from_the_ledger_and_explain_themselves(cast, figures):
    a, b = scoring.draft(figures, YEAR, "quarter", 3)
    assert (a.unit, b.unit) == (cast.town_a.pk, cast.town_b.pk)
    funds = a.lines[0]
    assert (funds.given.figure, funds.given.target, funds.given.completion) == (D(1200), D(1000), D("120.0"))
    assert funds.result.points == 50 and funds.result.capped and funds.result.raw == 60
    assert a.lines[1].result.points == D("15.00")  # 75 %: the 50 % band
    assert a.lines[2].result.points == D("10.00")  # 20 points over × 0.5
    assert a.total == D("75.00") and a.rank == 1 and a.grade == "二等"
    assert b.lines[0].result.points == 30 and b.lines[1].result.points == 30
    assert b.total == D("60.00") and b.rank == 2 and b.grade == "三等"


def test_manual_points_and_counted_deductions_carry_their_reason(cast, figures):
    returns, leaders = figures.items.get(code="returns"), figures.items.get(code="leaders")
    services.enter_manual(
        returns, cast.town_a, by=cast.admin, period="quarter", month=3, value=D(2), reason="1、2月月报缺报"
    )
    services.enter_manual(
        leaders, cast.town_b, by=cast.admin, period="quarter", month=3, value=D(9), reason="县领导评分"
    )
    a, b = scoring.draft(figures, YEAR, "quarter", 3)
    assert {s.unit: s.total for s in (a, b)} == {cast.town_a.pk: D("73.00"), cast.town_b.pk: D("69.00")}
    line = next(line for line in a.lines if line.item.code == "returns")
    assert line.result.points == -2 and line.reason == "1、2月月报缺报"
    assert Entry.objects.filter(object_type="assessment.manualentry").count() == 2


def test_manual_points_need_a_reason_and_the_bureau(cast, figures):
    leaders = figures.items.get(code="leaders")
    with pytest.raises(ValidationError):
        services.enter_manual(
            leaders, cast.town_a, by=cast.admin, period="quarter", month=3, value=D(5), reason=" "
        )
    with pytest.raises(OutOfScope):
        services.enter_manual(
            leaders, cast.town_a, by=cast.operator_a, period="quarter", month=3, value=D(10), reason="自己打"
        )
    with pytest.raises(OutOfScope):
        services.enter_manual(
            leaders, cast.town_a, by=cast.stranger, period="quarter", month=3, value=D(1), reason="x"
        )
    with pytest.raises(ValidationError):
        services.enter_manual(
            leaders, cast.park, by=cast.admin, period="quarter", month=3, value=D(1), reason="园区"
        )


def test_a_grade_jump_lifts_a_unit_whatever_its_total(cast, figures):
    GradeJump.objects.create(
        group=figures,
        name="签约项目达4个直接晋档",
        indicator=Indicator.objects.get(code="projects_signed"),
        threshold=4,
    )
    b = next(s for s in scoring.draft(figures, YEAR, "quarter", 3) if s.unit == cast.town_b.pk)
    assert b.grade == "二等" and b.jumped == ["签约项目达4个直接晋档"]


def test_equal_totals_are_ranked_by_the_main_figure(cast, figures):
    put(cast.town_b, "funds_domestic", 2, 1600)  # now 220 %: both capped at 50, bonus 10
    put(cast.town_a, "signed", 3, 1)  # both 100 %
    a, b = scoring.draft(figures, YEAR, "quarter", 3)
    assert a.total == b.total == D(90)
    assert (a.unit, a.rank, b.rank) == (cast.town_b.pk, 1, 2)  # 220 % before 120 %


def test_a_published_ranking_cannot_change(cast, figures):
    ranking = services.publish(figures, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert [(s.unit_id, s.total, s.rank) for s in ranking.scores.all()] == [
        (cast.town_a.pk, D("75.00"), 1),
        (cast.town_b.pk, D("60.00"), 2),
    ]
    put(cast.town_b, "funds_domestic", 2, 5000)  # later figures do not reach a published ranking
    ranking.refresh_from_db()
    assert [s.total for s in ranking.scores.all()] == [D("75.00"), D("60.00")]
    with pytest.raises(Frozen):
        ranking.save()
    with pytest.raises(Frozen):
        Score.objects.filter(ranking=ranking).update(total=100)
    with pytest.raises(Frozen):
        score = ranking.scores.first()
        score.total = D(100)
        score.save()
    with pytest.raises(Frozen):
        ranking.delete()
    assert services.digest_of(ranking.snapshot) == ranking.digest
    assert [(s.unit, s.total, s.rank) for s in services.recompute(ranking)] == [
        (s.unit_id, s.total, s.rank) for s in ranking.scores.all()
    ]
    entry = Entry.objects.get(object_type="assessment.ranking")
    assert entry.after["digest"] == ranking.digest and not list(verify())


def test_a_correction_is_a_new_version_that_says_what_changed(cast, figures):
    first = services.publish(figures, by=cast.admin, year=YEAR, period="quarter", month=3)
    put(cast.town_b, "funds_domestic", 3, 1000)  # a late verification: 160 %
    with pytest.raises(ValidationError):
        services.publish(figures, by=cast.admin, year=YEAR, period="quarter", month=3)
    second = services.publish(
        figures, by=cast.admin, year=YEAR, period="quarter", month=3, reason="河口乡3月到位资金补核"
    )
    assert (second.version, second.replaces) == (2, first)
    assert second.changes == [
        {"unit": cast.town_b.pk, "total": ["60.00", "90.00"], "rank": [2, 1], "grade": ["三等", "一等"]},
        {"unit": cast.town_a.pk, "total": ["75.00", "75.00"], "rank": [1, 2], "grade": ["二等", "二等"]},
    ]
    assert [s.total for s in first.scores.all()] == [D("75.00"), D("60.00")]
    assert Ranking.objects.count() == 2 and services.latest(figures, YEAR, "quarter", 3) == second


def test_only_the_bureau_publishes(cast, figures):
    for user in (cast.leader, cast.operator_a, cast.stranger):
        with pytest.raises(OutOfScope):
            services.publish(figures, by=user, year=YEAR, period="quarter", month=3)


def test_a_scheme_used_by_a_ranking_changes_only_as_a_new_version(cast, figures, scheme):
    services.publish(figures, by=cast.admin, year=YEAR, period="quarter", month=3)
    item = figures.items.get(code="funds")
    item.params = {"weight": "60"}
    with pytest.raises(ValidationError):
        services.save_item(item, by=cast.admin)
    copy = services.copy_scheme(scheme, by=cast.admin)
    assert (copy.version, copy.based_on) == (2, scheme)
    assert list(copy.groups.get().items.values_list("code", flat=True)) == [
        "funds",
        "signed",
        "bonus",
        "returns",
        "leaders",
    ]
    next_year = services.copy_scheme(scheme, by=cast.admin, year=YEAR + 1)
    assert (next_year.year, next_year.version, next_year.name) == (YEAR + 1, 1, "2027年招商引资考核办法")


def test_the_bench_line_scores_a_county_both_ways_and_leaves_nothing_behind(cast, figures):
    import io

    from django.core.management import call_command

    from zhaoshang.accounts.models import User
    from zhaoshang.assessment.models import Ranking, Scheme

    before = Scheme.objects.count(), Ranking.objects.count(), User.objects.count()
    out = io.StringIO()
    call_command("bench_assessment", "--reps", "2", stdout=out)
    text = out.getvalue()
    assert "2 townships of 1 counties" in text and "equal" in text
    # the ranking page timed for each level there is, the quarter published for the purpose
    for level in ("county user", "township user", "the county's draft"):
        assert f"ranking page, {'published quarter, ' if 'user' in level else ''}{level}" in text
    assert (Scheme.objects.count(), Ranking.objects.count(), User.objects.count()) == before


def test_a_self_evaluation_is_shown_beside_the_review_and_only_the_review_counts(cast, figures):
    leaders = figures.items.get(code="leaders")
    services.self_evaluate(
        leaders,
        cast.town_a,
        by=cast.operator_a,
        period="quarter",
        month=3,
        value=D(10),
        note="招商信息报送32条",
    )
    a = next(s for s in scoring.draft(figures, YEAR, "quarter", 3) if s.unit == cast.town_a.pk)
    line = next(line for line in a.lines if line.item.code == "leaders")
    assert (line.claimed, line.result.points) == (D(10), 0)
    services.enter_manual(
        leaders, cast.town_a, by=cast.admin, period="quarter", month=3, value=D(8), reason="信息质量一般"
    )
    ranking = services.publish(figures, by=cast.admin, year=YEAR, period="quarter", month=3)
    point = next(p for p in ranking.scores.get(unit=cast.town_a).points if p["code"] == "leaders")
    assert (point["claimed"], point["points"], point["reason"]) == ("10.00", "8.00", "信息质量一般")


def test_only_the_units_own_people_self_evaluate(cast, figures):
    leaders = figures.items.get(code="leaders")
    for user in (cast.admin, cast.operator_b, cast.leader):
        with pytest.raises(OutOfScope):
            services.self_evaluate(
                leaders, cast.town_a, by=user, period="quarter", month=3, value=D(10), note="x"
            )
    with pytest.raises(ValidationError):
        services.self_evaluate(
            figures.items.get(code="funds"),
            cast.town_a,
            by=cast.operator_a,
            period="quarter",
            month=3,
            value=D(1),
            note="x",
        )


def test_an_item_on_an_indicator_of_several_kinds_counts_every_kind(cast, figures):
    """市外资金 sums 市外省内 and 国内省外 (``Indicator.kinds``): an item on it scores on both, in the
    draft, a grade jump, the red/black list and a published ranking's recomputation."""
    from zhaoshang.assessment import consequences

    outside_city = Indicator.objects.get(code="funds_outside_city")
    assert outside_city.kinds == ["funds_outcity", "funds_outprovince"]
    item = figures.items.get(code="funds")
    item.indicator = outside_city
    item.save()
    target(cast.town_a, "funds_outside_city", 1000)
    target(cast.town_b, "funds_outside_city", 1000)
    put(cast.town_a, "funds_outcity", 1, 300)
    put(cast.town_a, "funds_outprovince", 2, 500)  # 800: 80 %, not 30 %
    put(cast.town_b, "funds_outprovince", 1, 900)  # 90 %, not 0 %
    a, b = (
        next(s for s in scoring.draft(figures, YEAR, "quarter", 3) if s.unit == unit.pk)
        for unit in (cast.town_a, cast.town_b)
    )
    assert (a.lines[0].given.figure, a.lines[0].given.completion) == (D(800), D("80.0"))
    assert (b.lines[0].given.figure, b.lines[0].given.completion) == (D(900), D("90.0"))
    GradeJump.objects.create(
        group=figures, name="市外资金达850万元晋档", indicator=outside_city, threshold=850
    )
    b = next(s for s in scoring.draft(figures, YEAR, "quarter", 3) if s.unit == cast.town_b.pk)
    assert b.jumped == ["市外资金达850万元晋档"]
    red, black, _progress = consequences.red_black(figures, 3, dt.date(YEAR, 12, 31))
    assert {s.unit.pk: s.completion for s in red + black} == {
        cast.town_a.pk: D("80.0"),
        cast.town_b.pk: D("90.0"),
    }
    ranking = services.publish(figures, by=cast.admin, year=YEAR, period="quarter", month=3)
    assert [(s.unit, s.total) for s in services.recompute(ranking)] == [
        (s.unit_id, s.total) for s in ranking.scores.all()
    ]
    # a snapshot published before the kinds were kept reads its item's first kind, as it did
    snap = ranking.snapshot["definition"]
    for old in snap["items"] + snap["jumps"]:
        old.pop("kinds")
    old_a = next(s for s in services.recompute(ranking) if s.unit == cast.town_a.pk)
    assert old_a.lines[0].given.figure == D(300)
