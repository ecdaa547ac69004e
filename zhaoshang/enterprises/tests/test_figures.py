"""The reference report's figures of landed enterprises come out of ``figures.totals``, and the same
figures out of the ledger: the dashboard's cards and the drill-down."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from zhaoshang.enterprises import services
from zhaoshang.enterprises.figures import totals, yi
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.helpers import enterprise, reference_county
from zhaoshang.ledger.drilldown import all_lines
from zhaoshang.ledger.services import subtree_figures

LAST_YEAR = dt.date.today().year - 1


def test_22_registered_and_15_key_enterprises_make_331_million_2483_tax_and_1063_jobs(cast):
    reference_county(cast, LAST_YEAR)
    county = Enterprise.objects.visible_to(cast.admin)
    figures = totals(county, LAST_YEAR, key_only=True)
    assert (figures.enterprises, figures.key_enterprises, figures.reporting) == (22, 15, 15)
    assert f"{yi(figures.output)}亿元" == "3.31亿元"
    assert figures.tax == Decimal(2483)
    assert figures.jobs == 1063


def test_a_reported_but_unverified_return_is_summed_apart(cast):
    reference_county(cast, LAST_YEAR)
    late = enterprise(cast, 99, key=True)
    services.record_return(
        late,
        by=cast.operator_a,
        year=LAST_YEAR,
        quarter=4,
        output=Decimal(500),
        sales=0,
        tax=Decimal(7),
        jobs=9,
    )
    county = Enterprise.objects.visible_to(cast.admin)
    assert totals(county, LAST_YEAR, key_only=True).tax == Decimal(2483)
    reported = totals(county, LAST_YEAR, key_only=True, status="reported")
    assert (reported.tax, reported.jobs, reported.output) == (Decimal(7), 9, Decimal(500))


def test_a_township_sees_the_figures_of_its_own_enterprises_only(cast):
    reference_county(cast, LAST_YEAR)
    own = totals(Enterprise.objects.visible_to(cast.operator_a), LAST_YEAR, key_only=True)
    # Township A holds the odd-numbered ones: 7 of the 15 key enterprises (all of the smaller kind).
    assert (own.enterprises, own.key_enterprises, own.jobs, own.tax) == (11, 7, 7 * 70, Decimal(7 * 165))
    assert totals(Enterprise.objects.visible_to(cast.stranger), LAST_YEAR).enterprises == 0


def test_the_first_three_quarters_count_up_to_the_third(cast):
    reference_county(cast, LAST_YEAR)
    county = Enterprise.objects.visible_to(cast.admin)
    three = totals(county, LAST_YEAR, up_to_quarter=3, key_only=True)
    assert three.tax == Decimal(2483) * 3 / 4
    assert three.jobs == 1063 - 15 * 5  # the third quarter's headcount


# --- the same figures through the ledger (counting.return_figures) -----------------------------


def ledger_row(response, code):
    return next(r for r in response.context["rows"] if r.indicator.code == code)


def test_the_key_figures_come_out_of_the_dashboard_and_the_drill_down(client, cast):
    reference_county(cast, LAST_YEAR)
    client.force_login(cast.leader)
    response = client.get(reverse("core:home"), {"unit": cast.county.pk, "year": LAST_YEAR})
    assert response.status_code == 200
    output = ledger_row(response, "key_enterprise_output").actual
    assert f"{yi(output)}亿元" == "3.31亿元"
    assert ledger_row(response, "key_enterprise_tax").actual == Decimal(2483)
    assert ledger_row(response, "key_enterprise_jobs").actual == Decimal(1063)
    url = reverse("ledger:drilldown")
    for code, figure, lines in (
        ("key_enterprise_output", Decimal(33100), 60),  # 15 key enterprises, four returns each
        ("key_enterprise_tax", Decimal(2483), 60),
        ("key_enterprise_jobs", Decimal(1063), 60),  # each return's change of headcount
    ):
        page = client.get(url, {"unit": cast.county.pk, "indicator": code, "year": LAST_YEAR})
        result = page.context["result"]
        assert (result.verified, result.count) == (figure, lines)
        assert (
            sum(line.verified for line in all_lines(result.indicator, cast.county, result.period)) == figure
        )
        assert "外来企业1" in page.content.decode()


def test_the_ledger_holds_figures_totals_at_every_month(cast):
    reference_county(cast, LAST_YEAR)
    county = Enterprise.objects.visible_to(cast.admin)
    kinds = {"output": "ent_output", "sales": "ent_sales", "tax": "ent_tax", "jobs": "ent_jobs"}
    for month in range(1, 13):
        figures = subtree_figures(cast.county, LAST_YEAR, range(1, month + 1), kinds.values())
        if month < 3:
            assert figures == {}
            continue
        expected = totals(county, LAST_YEAR, up_to_quarter=month // 3, key_only=True)
        for name, kind in kinds.items():
            assert figures[kind][0] == Decimal(getattr(expected, name)), (month, name)
