"""The 畝均 classes on their boundaries: ties at a class edge, an enterprise without land, zero tax,
missing energy figures, and configured shares and benchmarks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.enterprises import services
from zhaoshang.enterprises.evaluation import Scheme, evaluate
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.helpers import enterprise

YEAR = dt.date.today().year - 1


def landed(cast, n, land, tax, sales=None, energy=None):
    made = enterprise(cast, n, land_mu=None if land is None else Decimal(land))
    services.record_return(
        made,
        by=None,
        year=YEAR,
        quarter=1,
        output=Decimal(sales if sales is not None else tax * 10),
        sales=Decimal(sales if sales is not None else tax * 10),
        tax=Decimal(tax),
        jobs=10,
        energy=None if energy is None else Decimal(energy),
        verified=True,
    )
    return made


# Benchmarks no one reaches, so that the scores follow the tax exactly; 10 % in class D.
UNCAPPED = Scheme(benchmark_tax_mu=Decimal(100), benchmark_sales_mu=Decimal(1000), share_d=Decimal(10))


def grades(results):
    return {r.name: r.grade for r in results}


def test_twenty_enterprises_fall_4_a_10_b_5_c_1_d_by_default(cast):
    for n in range(20):
        landed(cast, n, 10, tax=n + 1)
    # Benchmarks high enough that no one reaches the cap (a capped top would tie, and ties go up).
    scheme = Scheme(benchmark_tax_mu=Decimal(10), benchmark_sales_mu=Decimal(100))
    results = evaluate(Enterprise.objects.all(), YEAR, scheme)
    counts = {g: sum(1 for r in results if r.grade == g) for g in "ABCD"}
    assert counts == {"A": 4, "B": 10, "C": 5, "D": 1}
    assert results[0].name == "外来企业19" and results[0].rank == 1 and results[-1].grade == "D"


def test_a_tie_at_the_edge_of_class_a_lifts_both_into_a(cast):
    # 10 enterprises, 20 % A = 2 places; the 2nd and 3rd share one score.
    for n, tax in enumerate([50, 40, 40, 30, 20, 20, 10, 10, 5, 1]):
        landed(cast, n, 10, tax=tax)
    results = evaluate(Enterprise.objects.all(), YEAR, UNCAPPED)
    by_name = {r.name: r for r in results}
    assert by_name["外来企业1"].grade == by_name["外来企业2"].grade == "A"
    assert (by_name["外来企业1"].rank, by_name["外来企业2"].rank, by_name["外来企业3"].rank) == (2, 2, 4)
    assert by_name["外来企业3"].grade == "B"
    assert by_name["外来企业9"].grade == "D"


def test_a_tie_at_the_bottom_edge_keeps_both_out_of_d(cast):
    for n, tax in enumerate([50, 40, 30, 20, 10, 9, 8, 7, 1, 1]):
        landed(cast, n, 10, tax=tax)
    results = evaluate(Enterprise.objects.all(), YEAR, UNCAPPED)
    assert grades(results)["外来企业8"] == grades(results)["外来企业9"] == "C"
    assert "D" not in grades(results).values()


def test_an_enterprise_without_land_is_not_evaluated_and_says_why(cast):
    landed(cast, 1, 10, tax=5)
    landed(cast, 2, None, tax=500)
    landed(cast, 3, 0, tax=500)
    results = evaluate(Enterprise.objects.all(), YEAR)
    unrated = [r for r in results if not r.grade]
    assert [r.name for r in unrated] == ["外来企业2", "外来企业3"] and all(r.reason for r in unrated)
    assert [r.name for r in results if r.grade] == ["外来企业1"]


def test_zero_tax_scores_zero_on_tax_but_keeps_its_sales_points(cast):
    landed(cast, 1, 10, tax=0, sales=100)
    landed(cast, 2, 10, tax=10, sales=100)
    scheme = Scheme(benchmark_tax_mu=Decimal(1), benchmark_sales_mu=Decimal(10))
    by_name = {r.name: r for r in evaluate(Enterprise.objects.all(), YEAR, scheme)}
    zero = by_name["外来企业1"]
    tax_line = next(line for line in zero.lines if line.key == "tax_mu")
    assert tax_line.value == 0 and tax_line.points == 0
    # Without energy figures the 20 % of tax/energy is shared 45:35 over the other two.
    sales_line = next(line for line in zero.lines if line.key == "sales_mu")
    assert sales_line.weight == Decimal(35) + Decimal(20) * 35 / 80
    assert zero.score == Decimal("43.75") and by_name["外来企业2"].score == Decimal("100.00")
    # Two enterprises: 20 % of 2 rounds to no A, 50 % to one B, 5 % to no D.
    assert (by_name["外来企业2"].grade, zero.grade) == ("B", "C")


def test_points_are_capped_and_energy_counts_where_reported(cast):
    landed(cast, 1, 10, tax=100, sales=1000, energy=50)
    scheme = Scheme(
        benchmark_tax_mu=Decimal(1), benchmark_sales_mu=Decimal(1000), benchmark_tax_energy=Decimal(1)
    )
    (result,) = evaluate(Enterprise.objects.all(), YEAR, scheme)
    points = {line.key: line.points for line in result.lines}
    assert points == {"tax_mu": Decimal("67.50"), "sales_mu": Decimal("3.50"), "tax_energy": Decimal("30.00")}


@pytest.mark.parametrize(
    ("scheme", "field"),
    [
        (Scheme(weight_tax_mu=Decimal(50)), "weight_tax_mu"),
        (Scheme(share_a=Decimal(60), share_b=Decimal(40), share_d=Decimal(5)), "share_a"),
        (Scheme(benchmark_tax_mu=Decimal(0)), "benchmark_tax_mu"),
    ],
)
def test_a_scheme_that_does_not_add_up_is_refused(scheme, field):
    assert field in scheme.problems()


def test_the_page_shows_the_county_classes_to_a_township_only_for_its_own(client, cast):
    from django.urls import reverse

    from zhaoshang.enterprises.tests.helpers import enterprise as make

    for n, unit in enumerate([cast.town_a, cast.town_b, cast.town_b]):
        made = make(cast, n, unit=unit, land_mu=Decimal(10))
        services.record_return(
            made,
            by=None,
            year=YEAR,
            quarter=1,
            output=Decimal(1),
            sales=Decimal(1),
            tax=Decimal(n),
            jobs=1,
            verified=True,
        )
    client.force_login(cast.operator_a)
    page = client.get(reverse("enterprises:evaluation"), {"year": YEAR}).content.decode()
    assert "外来企业0" in page and "外来企业1" not in page and 'data-testid="scheme-form"' not in page
    assert client.post(reverse("enterprises:evaluation") + f"?year={YEAR}", {}).status_code == 403
    client.force_login(cast.admin)
    data = {
        "weight_tax_mu": "50",
        "weight_sales_mu": "50",
        "weight_tax_energy": "0",
        "share_a": "34",
        "share_b": "33",
        "share_d": "33",
        "benchmark_tax_mu": "",
        "benchmark_sales_mu": "",
        "benchmark_tax_energy": "",
    }
    assert client.post(reverse("enterprises:evaluation") + f"?year={YEAR}", data).status_code == 302
    from zhaoshang.enterprises.evaluation import scheme_for

    assert scheme_for(cast.county, YEAR).share_d == Decimal(33)
    data["weight_tax_mu"] = "60"
    assert client.post(reverse("enterprises:evaluation") + f"?year={YEAR}", data).status_code == 400
    export = client.get(reverse("enterprises:evaluation_export"), {"year": YEAR})
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_a_township_sees_the_countys_benchmark_labelled_as_the_countys(client, cast):
    """The evaluation is the county's (issue 23: "per county and year"): a township's enterprise is
    measured against the county's average, not its own township's, and the page says whose benchmark
    it is. Town A alone would average 10/mu; the county averages (100 + 300) / (10 + 10) = 20/mu."""
    from django.urls import reverse
    from django.utils.translation import override

    from zhaoshang.enterprises.evaluation import evaluation

    for n, (unit, tax) in enumerate([(cast.town_a, 100), (cast.town_b, 300)]):
        made = enterprise(cast, n, unit=unit, land_mu=Decimal(10))
        services.record_return(
            made,
            by=None,
            year=YEAR,
            quarter=1,
            output=Decimal(tax),
            sales=Decimal(tax),
            tax=Decimal(tax),
            jobs=1,
            verified=True,
        )
    _results, benchmarks = evaluation(Enterprise.objects.all(), YEAR)
    assert {b.key: b.value for b in benchmarks}["tax_mu"] == Decimal(20)
    assert not any(b.set_by_scheme for b in benchmarks)

    with override("en"):
        client.force_login(cast.operator_a)
        page = client.get(reverse("enterprises:evaluation"), {"year": YEAR}).content.decode()
        client.force_login(cast.admin)
        county_page = client.get(reverse("enterprises:evaluation"), {"year": YEAR}).content.decode()
    assert "外来企业1" not in page  # the other township's enterprise is not listed …
    benchmarks = page.split('data-testid="benchmarks"', 1)[1].split('data-testid="evaluation"', 1)[0]
    benchmark = benchmarks.split('data-testid="benchmark-tax_mu"', 1)[1].split('data-testid="benchmark-', 1)[
        0
    ]
    assert 'data-source="county-average"' in benchmark and "20.0000" in benchmark  # … but its figure counts
    assert f"{cast.county.name}" in benchmarks and str(YEAR) in benchmarks
    assert 'data-testid="county-note"' in page
    assert 'data-testid="county-note"' not in county_page  # the county's own reader needs no note
    # One truth: town A's enterprise has the same score on both pages: half of each benchmark, the
    # energy weight shared out (56.25 × 0.5 = 28.13, 43.75 × 0.5 = 21.88), 50.01 points.
    row = page.split('data-testid="evaluation"', 1)[1]
    assert "50.01</strong>" in row and "50.01</strong>" in county_page.split('data-testid="evaluation"', 1)[1]
