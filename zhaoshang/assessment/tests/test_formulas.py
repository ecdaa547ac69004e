"""Each formula type of the real schemes (forms.md §4), with its cap and floor, the tie rule and the
grade jumps: pure functions, no database."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from zhaoshang.assessment import formulas
from zhaoshang.assessment.formulas import Input, ParamError


def test_ratio_scores_completion_times_the_weight():
    # 省域外签约项目投资额 ≤50 = actual/target × 50
    got = formulas.ratio({"weight": "50"}, Input(completion=D("83.4")))
    assert got.points == D("41.70") and not got.capped


def test_ratio_is_capped_at_the_weight():
    got = formulas.ratio({"weight": "50"}, Input(completion=D("140")))
    assert (got.points, got.raw, got.capped) == (D("50.00"), D("70.00"), True)


def test_ratio_below_its_floor_scores_nothing():
    got = formulas.ratio({"weight": "50", "floor": "60"}, Input(completion=D("59.9")))
    assert got.points == 0 and got.floored
    assert formulas.ratio({"weight": "50", "floor": "60"}, Input(completion=D("60"))).points == D("30.00")


def test_ratio_without_a_target_scores_nothing():
    assert formulas.ratio({"weight": "50"}, Input(figure=D(5))).points == 0


def test_tiers_give_the_highest_band_reached():
    bands = {"bands": [["100", "100"], ["80", "75"], ["50", "50"]]}
    assert formulas.tiers(bands, Input(completion=D("100"))).points == 100
    assert formulas.tiers(bands, Input(completion=D("99.9"))).points == 75
    assert formulas.tiers(bands, Input(completion=D("50"))).points == 50
    assert formulas.tiers(bands, Input(completion=D("49.9"))).points == 0


def test_points_per_item_are_capped():
    # 每个亿元以上项目 +3, at most +9
    params = {"each": "3", "cap": "9"}
    assert formulas.per_item(params, Input(figure=D(2))).points == 6
    got = formulas.per_item(params, Input(figure=D(5)))
    assert (got.points, got.raw, got.capped) == (D(9), D(15), True)


def test_points_per_whole_step_over_a_threshold():
    # 周口: +0.1 per 1亿元 (10000万元) over the target of 50000万元
    params = {"each": "0.1", "cap": "5", "over": "50000", "per": "10000"}
    assert formulas.per_item(params, Input(figure=D("79999"))).points == D("0.20")


def test_bonus_over_target_is_scaled_by_the_target_size():
    # 漯河: per percentage point over target, 0.6 / 0.3 / 0.2 / 0.1 by task size
    params = {"per_point": "1", "cap": "10", "scales": [["100000", "0.6"], ["50000", "0.3"], ["0", "0.1"]]}
    big = formulas.bonus_over(params, Input(target=D(200000), completion=D("110")))
    small = formulas.bonus_over(params, Input(target=D(1000), completion=D("110")))
    assert (big.points, small.points) == (D("6.00"), D("1.00"))
    assert formulas.bonus_over(params, Input(target=D(1000), completion=D("100"))).points == 0
    capped = formulas.bonus_over(params, Input(target=D(200000), completion=D("150")))
    assert (capped.points, capped.capped) == (D(10), True)


def test_deductions_stop_at_their_floor():
    # 每缺报一次月报 −1, at most −12
    params = {"each": "1", "floor": "12"}
    assert formulas.deduction(params, Input(figure=D(3))).points == -3
    got = formulas.deduction(params, Input(figure=D(14)))
    assert (got.points, got.raw, got.floored) == (D(-12), D(-14), True)
    # 每个超时限未开工项目 −0.1
    assert formulas.deduction({"each": "0.1", "floor": "5"}, Input(figure=D(3))).points == D("-0.30")


def test_points_by_rank_then_a_step_down_to_the_least():
    params = {"points": ["60", "57", "54"], "step": "3", "least": "45"}
    assert [formulas.by_rank(params, Input(rank=r)).points for r in (1, 2, 3, 4, 5, 9)] == [
        60,
        57,
        54,
        51,
        48,
        45,
    ]


def test_ranks_on_a_figure_share_places_when_equal():
    assert formulas.ranks_on({"a": D(5), "b": D(9), "c": D(5), "d": None}) == {"b": 1, "a": 2, "c": 2, "d": 4}


def test_manual_points_stay_within_the_item():
    params = {"max": "5"}
    assert formulas.manual(params, Input(manual=D("4.5"))).points == D("4.50")
    assert formulas.manual(params, Input(manual=D(8))).capped
    assert formulas.manual(params, Input()).points == 0


def test_the_tie_rule_orders_equal_totals_by_the_main_figure_then_shares():
    ranks = formulas.rank_totals(
        [("a", D(80), D(90)), ("b", D(80), D(95)), ("c", D(85), None), ("d", D(80), D(90))]
    )
    assert ranks == {"c": 1, "b": 2, "a": 3, "d": 3}


def test_grades_and_a_grade_jump():
    grades = [("一等", D(90)), ("二等", D(80)), ("三等", D(0))]
    assert formulas.grade_of(D(85), grades) == 1
    assert formulas.jump(1, 1, grades) == 0  # 直接晋档
    assert formulas.jump(0, 1, grades) == 0  # never above the best
    assert formulas.jump(2, 5, grades) == 0


def test_bad_parameters_are_refused():
    with pytest.raises(ParamError):
        formulas.check("ratio", {})
    with pytest.raises(ParamError):
        formulas.check("tiers", {"bands": [["x", "1"]]})
    formulas.check("deduction", {"each": "1", "floor": "12"})
