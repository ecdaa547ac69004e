"""The counting rules (統計口徑, DESIGN.md section 4), each as a scenario on the fixed cast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.counting import split
from zhaoshang.ledger.models import Event, Total
from zhaoshang.ledger.services import subtree_figures
from zhaoshang.projects import services as projects

MAY = dt.date(2024, 5, 10)


def figures(unit, kind, year=2024, months=range(1, 13)):
    return subtree_figures(unit, year, months, [kind]).get(kind, (Decimal(0), Decimal(0)))


def record(cast, project, amount, source="domestic", verified=False, on=MAY, by=None):
    return funds_service.record_funds(
        project, by=by or cast.admin, arrived_on=on, source=source, amount=Decimal(amount), verified=verified
    )


def test_unverified_funds_never_count_but_are_shown_beside(cast):
    project = cast.project()
    record(cast, project, "800")
    assert figures(cast.town_a, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal(800))
    assert figures(cast.county, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal(800))


def test_verifying_moves_the_figure_from_reported_to_counted(cast):
    funds = record(cast, cast.project(), "800")
    funds_service.verify_funds(funds, by=cast.admin)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC) == (Decimal(800), Decimal(0))


def test_local_funds_never_count(cast):
    record(cast, cast.project(), "500", source="local", verified=True)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal(0))
    assert not Event.objects.filter(kind=Kind.FUNDS_DOMESTIC).exists()


def test_foreign_funds_are_counted_in_usd_apart_from_domestic(cast):
    funds = record(cast, cast.project(), "120.5", source="foreign", verified=True)
    assert funds.currency == "USD"
    assert figures(cast.county, Kind.FUNDS_FOREIGN) == (Decimal("120.5"), Decimal(0))
    assert figures(cast.county, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal(0))


def test_foreign_funds_cannot_be_entered_in_yuan(cast):
    with pytest.raises(ValidationError):
        funds_service.record_funds(
            cast.project(), by=cast.admin, arrived_on=MAY, source="foreign", amount=Decimal(1), currency="CNY"
        )


def test_funds_count_in_the_month_they_arrived(cast):
    record(cast, cast.project(), "300", verified=True, on=dt.date(2024, 3, 31))
    assert figures(cast.county, Kind.FUNDS_DOMESTIC, months=[3]) == (Decimal(300), Decimal(0))
    assert figures(cast.county, Kind.FUNDS_DOMESTIC, months=[4]) == (Decimal(0), Decimal(0))


def test_a_project_with_shared_credit_counts_for_each_unit_by_its_share(cast):
    project = projects.create_project(
        by=cast.admin,
        data={"name": "共享项目", "unit": cast.town_a, "total_investment": Decimal(9000)},
        credits=[(cast.town_a, Decimal(60)), (cast.department, Decimal(40))],
    )
    record(cast, project, "1000", verified=True)
    assert figures(cast.town_a, Kind.FUNDS_DOMESTIC)[0] == Decimal(600)
    assert figures(cast.department, Kind.FUNDS_DOMESTIC)[0] == Decimal(400)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC)[0] == Decimal(1000)


def test_a_units_actual_is_the_sum_of_its_subtree(cast):
    record(cast, cast.project(cast.town_a), "100", verified=True)
    record(cast, cast.project(cast.town_b), "250.25", verified=True)
    record(cast, cast.project(cast.other_town, by=cast.stranger), "7", verified=True, by=cast.stranger)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC)[0] == Decimal("350.25")
    assert figures(cast.city, Kind.FUNDS_DOMESTIC)[0] == Decimal("357.25")  # above county: sum of counties
    assert figures(cast.province, Kind.FUNDS_DOMESTIC)[0] == Decimal("357.25")


def test_totals_are_kept_only_up_to_the_county(cast):
    record(cast, cast.project(), "100", verified=True)
    units = set(Total.objects.values_list("unit__name", flat=True))
    assert units == {"城关镇", "示例县"}
    assert all(Total.objects.filter(unit=cast.county).values_list("is_top", flat=True))
    assert not any(Total.objects.filter(unit=cast.town_a).values_list("is_top", flat=True))
    # one row for the month and one for the year (month 0), per unit of the chain
    for unit in (cast.county, cast.town_a):
        rows = Total.objects.filter(unit=unit, kind=Kind.FUNDS_DOMESTIC)
        assert {t.month: t.verified for t in rows} == {0: Decimal(100), MAY.month: Decimal(100)}


def test_returned_and_deleted_funds_stop_counting(cast):
    project = cast.project()
    returned = record(cast, project, "100")
    funds_service.return_funds(returned, by=cast.admin, reason="凭证不全")
    kept = record(cast, project, "40", verified=True)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC) == (Decimal(40), Decimal(0))
    funds_service.delete_funds(kept, by=cast.admin)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal(0))


def test_signing_starting_and_production_count_once_in_their_month(cast):
    project = cast.project(stage="negotiating")
    projects.change_stage(
        project, "signed", by=cast.admin, on=dt.date(2024, 2, 3), contracted_amount=Decimal(3000)
    )
    projects.change_stage(project, "started", by=cast.admin, on=dt.date(2024, 6, 1))
    assert figures(cast.county, Kind.SIGNED, months=[2]) == (Decimal(1), Decimal(0))
    assert figures(cast.county, Kind.CONTRACTED_CNY, months=[2])[0] == Decimal(3000)
    assert figures(cast.county, Kind.STARTED, months=[6])[0] == Decimal(1)
    assert figures(cast.county, Kind.OPERATING)[0] == Decimal(0)


def test_a_usd_projects_contract_counts_as_contracted_foreign_investment(cast):
    cast.project(
        currency="USD", stage="signed", signed_on=dt.date(2024, 1, 5), contracted_amount=Decimal(250)
    )
    assert figures(cast.county, Kind.CONTRACTED_USD)[0] == Decimal(250)
    assert figures(cast.county, Kind.CONTRACTED_CNY)[0] == Decimal(0)


def test_correcting_a_date_moves_the_count_by_appending_not_rewriting(cast):
    project = cast.project(stage="signed", signed_on=dt.date(2024, 1, 5), contracted_amount=Decimal(100))
    first_events = list(Event.objects.values_list("pk", "amount"))
    projects.update_project(project, by=cast.admin, data={"signed_on": dt.date(2024, 3, 5)})
    assert (
        list(Event.objects.filter(pk__in=[pk for pk, _a in first_events]).values_list("pk", "amount"))
        == first_events
    )
    assert figures(cast.county, Kind.SIGNED, months=[1])[0] == Decimal(0)
    assert figures(cast.county, Kind.SIGNED, months=[3])[0] == Decimal(1)


def test_changing_the_credit_shares_moves_what_each_unit_counts(cast):
    project = cast.project()
    record(cast, project, "1000", verified=True)
    projects.update_project(
        project, by=cast.admin, data={}, credits=[(cast.town_a, Decimal(25)), (cast.town_b, Decimal(75))]
    )
    assert figures(cast.town_a, Kind.FUNDS_DOMESTIC)[0] == Decimal(250)
    assert figures(cast.town_b, Kind.FUNDS_DOMESTIC)[0] == Decimal(750)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC)[0] == Decimal(1000)


def test_a_split_adds_up_exactly():
    parts = split(Decimal("1"), [(1, Decimal("33.33")), (2, Decimal("33.33")), (3, Decimal("33.34"))])
    assert sum(p for _u, p in parts) == Decimal(1)
    assert dict(parts) == {3: Decimal("0.3334"), 1: Decimal("0.3333"), 2: Decimal("0.3333")}


def test_an_operator_records_funds_but_only_the_bureau_verifies(cast):
    funds = record(cast, cast.project(), "10", by=cast.operator_a)
    with pytest.raises(OutOfScope):
        funds_service.verify_funds(funds, by=cast.operator_a)
    with pytest.raises(OutOfScope):
        record(cast, cast.project(), "10", by=cast.operator_a, verified=True)
    with pytest.raises(OutOfScope):
        record(cast, cast.project(cast.town_b), "10", by=cast.operator_a)


def test_the_stranger_cannot_verify_the_countys_funds(cast):
    funds = record(cast, cast.project(), "10")
    with pytest.raises(OutOfScope):
        funds_service.verify_funds(funds, by=cast.stranger)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC)[0] == Decimal(0)


def test_rebuild_rollups_check_agrees_and_then_names_a_tampered_total(cast, capsys):
    record(cast, cast.project(), "100", verified=True)
    call_command("rebuild_rollups", "--check")
    assert "OK" in capsys.readouterr().out
    Total.objects.filter(unit=cast.county).update(verified=Decimal(99))
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--check")
    assert "示例县" not in capsys.readouterr().err or True
    call_command("rebuild_rollups")
    call_command("rebuild_rollups", "--check")
    assert figures(cast.county, Kind.FUNDS_DOMESTIC)[0] == Decimal(100)


def test_moving_a_township_moves_its_figures_to_the_new_county(cast):
    record(cast, cast.project(), "100", verified=True)
    from zhaoshang.units.services import update_unit

    update_unit(cast.town_a, by=None, parent=cast.other_county)
    assert figures(cast.county, Kind.FUNDS_DOMESTIC)[0] == Decimal(0)
    assert figures(cast.other_county, Kind.FUNDS_DOMESTIC)[0] == Decimal(100)


def test_verified_funds_cannot_be_returned_afterwards_even_from_a_stale_copy(cast):
    funds = record(cast, cast.project(), "100")
    stale = funds_service.FundsArrival.objects.get(pk=funds.pk)
    funds_service.verify_funds(funds, by=cast.admin)
    with pytest.raises(ValidationError):
        funds_service.return_funds(stale, by=cast.admin, reason="迟到的退回")
    assert figures(cast.county, Kind.FUNDS_DOMESTIC) == (Decimal(100), Decimal(0))


def test_a_project_moved_to_another_county_takes_its_credit_along(cast):
    project = cast.project()
    record(cast, project, "100", verified=True)
    projects.update_project(project, by=None, data={"unit": cast.other_town})
    assert list(project.credits.values_list("unit", flat=True)) == [cast.other_town.pk]
    assert figures(cast.county, Kind.FUNDS_DOMESTIC)[0] == Decimal(0)
    assert figures(cast.other_county, Kind.FUNDS_DOMESTIC)[0] == Decimal(100)
    from zhaoshang.projects.models import Project

    assert not Project.objects.visible_to(cast.operator_a).filter(pk=project.pk).exists()


def test_a_county_with_townships_cannot_change_kind_under_them(cast):
    """The totals' chains stop at the county; a county turned into something else would leave its
    townships' figures rolling up nowhere, so the change is refused."""
    from zhaoshang.units.choices import UnitKind
    from zhaoshang.units.services import update_unit

    with pytest.raises(ValidationError) as excinfo:
        update_unit(cast.county, by=None, parent=cast.city, kind=UnitKind.DEPARTMENT)
    assert "kind" in excinfo.value.message_dict


@pytest.mark.parametrize(
    "months",
    [
        [5],  # one month: the month rows
        [4, 5, 6],  # a quarter
        list(range(1, 12)),  # year to date in November: the year row less December
        list(range(1, 13)),  # the whole year: the year row alone
        [1, 2, 3, 4, 5, 6, 7, 9, 10, 11],  # any set of months, the complement read either way
    ],
)
def test_a_period_reads_the_same_sums_from_the_month_rows_or_the_year_row(cast, months):
    """The year row is only a shortcut: every period sums to what its months hold, at a county and
    (from the county rows) above it, whichever rows ``period_sums`` chooses to read."""
    project = cast.project(cast.town_b)
    for month, amount in ((1, "1.1"), (5, "20.02"), (8, "300.003"), (12, "4000.0004")):
        record(cast, project, amount, verified=True, on=dt.date(MAY.year, month, 3))
    record(cast, project, "0.5", on=dt.date(MAY.year, 12, 30))  # reported only
    by_month = {1: Decimal("1.1"), 5: Decimal("20.02"), 8: Decimal("300.003"), 12: Decimal("4000.0004")}
    want = (
        sum((by_month.get(m, Decimal(0)) for m in months), Decimal(0)),
        Decimal("0.5" if 12 in months else 0),
    )
    for unit in (cast.town_b, cast.county, cast.province):
        got = subtree_figures(unit, MAY.year, months, [Kind.FUNDS_DOMESTIC]).get(Kind.FUNDS_DOMESTIC)
        assert (got or (Decimal(0), Decimal(0))) == want, (unit, months)
