"""不予認定 and 不重複統計 (forms.md section 4.2): a project the bureau marks not counted keeps its
figures apart (kinds ``x_…``), shown and traced but summed by no indicator; a capital increase counts
its amount, never as a new project; only the bureau decides."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhaoshang.core.errors import ValidationError
from zhaoshang.ledger import funds as funds_service
from zhaoshang.ledger.counting import apart
from zhaoshang.ledger.drilldown import Period, records_behind
from zhaoshang.ledger.models import Indicator
from zhaoshang.ledger.services import mismatches, subtree_figures, totals_from_ledger
from zhaoshang.projects import services as projects
from zhaoshang.projects.choices import Exclusion

YEAR = 2024
KINDS = ["signed", "contracted_cny", "funds_domestic"]


@pytest.fixture
def project(cast):
    p = cast.project(
        name="滨江花园", stage="signed", signed_on=dt.date(YEAR, 3, 1), contracted_amount=Decimal(800)
    )
    funds_service.record_funds(
        p, by=None, arrived_on=dt.date(YEAR, 4, 1), source="domestic", amount=Decimal(120), verified=True
    )
    return p


def figures(cast, kinds=KINDS):
    sums = subtree_figures(cast.county, YEAR, range(1, 13), kinds)
    return {kind: sums.get(kind, (Decimal(0), Decimal(0)))[0] for kind in kinds}


@pytest.mark.parametrize("reason", Exclusion.values)
def test_a_project_not_counted_keeps_its_figures_apart_for_every_reason(cast, project, reason):
    assert figures(cast) == {"signed": 1, "contracted_cny": 800, "funds_domestic": 120}
    projects.update_project(project, by=cast.admin, data={"exclusion": reason, "exclusion_note": "见文件"})
    assert figures(cast) == {"signed": 0, "contracted_cny": 0, "funds_domestic": 0}
    assert figures(cast, [apart(k) for k in KINDS]) == {
        apart("signed"): 1,
        apart("contracted_cny"): 800,
        apart("funds_domestic"): 120,
    }
    assert mismatches(totals_from_ledger()) == []
    out = io.StringIO()
    call_command("rebuild_rollups", "--check", stdout=out)  # raises on any disagreement
    assert out.getvalue().startswith("OK")


def test_counting_it_again_brings_its_figures_back(cast, project):
    projects.update_project(project, by=cast.admin, data={"exclusion": Exclusion.REAL_ESTATE})
    projects.update_project(project, by=cast.admin, data={"exclusion": ""})
    assert figures(cast) == {"signed": 1, "contracted_cny": 800, "funds_domestic": 120}
    assert figures(cast, [apart(k) for k in KINDS]) == dict.fromkeys(map(apart, KINDS), 0)


def test_funds_arriving_later_for_a_project_not_counted_stay_apart(cast, project):
    projects.update_project(project, by=cast.admin, data={"exclusion": Exclusion.GOVERNMENT_FUNDED})
    funds_service.record_funds(
        project, by=None, arrived_on=dt.date(YEAR, 6, 1), source="domestic", amount=Decimal(30), verified=True
    )
    assert figures(cast)["funds_domestic"] == 0
    assert figures(cast, [apart("funds_domestic")])[apart("funds_domestic")] == 150


def test_a_capital_increase_counts_its_amount_but_not_as_a_new_project(cast):
    p = cast.project(name="增资扩产", stage="negotiating")
    projects.update_project(p, by=cast.admin, data={"capital_increase": True})
    projects.change_stage(p, "signed", by=cast.admin, on=dt.date(YEAR, 5, 1), contracted_amount=Decimal(300))
    projects.change_stage(p, "started", by=cast.admin, on=dt.date(YEAR, 6, 1))
    assert figures(cast, ["signed", "started", "contracted_cny"]) == {
        "signed": 0,
        "started": 0,
        "contracted_cny": 300,
    }


def test_a_township_operator_cannot_decide_whether_a_project_counts(cast, project):
    with pytest.raises(ValidationError) as refused:
        projects.update_project(project, by=cast.operator_a, data={"exclusion": Exclusion.SAME_CITY})
    assert "exclusion" in refused.value.message_dict
    projects.update_project(project, by=cast.admin, data={"exclusion": Exclusion.SAME_CITY})
    with pytest.raises(ValidationError):
        projects.update_project(project, by=cast.operator_a, data={"exclusion": ""})
    # Other changes by the operator keep the bureau's decision.
    projects.update_project(project, by=cast.operator_a, data={"remarks": "补充"})
    project.refresh_from_db()
    assert project.exclusion == Exclusion.SAME_CITY


def test_the_operators_form_shows_the_decision_without_changing_it(client, cast, project):
    projects.update_project(project, by=cast.admin, data={"exclusion": Exclusion.LATER_PHASE})
    client.force_login(cast.operator_a)
    form = client.get(reverse("projects:edit", args=[project.pk])).context["form"]
    assert form.fields["exclusion"].disabled and form.fields["capital_increase"].disabled
    client.force_login(cast.admin)
    assert (
        not client.get(reverse("projects:edit", args=[project.pk]))
        .context["form"]
        .fields["exclusion"]
        .disabled
    )


def test_a_project_not_counted_is_marked_on_its_page_and_in_the_records_kept_apart(client, cast, project):
    projects.update_project(project, by=cast.admin, data={"exclusion": Exclusion.REAL_ESTATE})
    client.force_login(cast.admin)
    assert 'data-testid="not-counted"' in client.get(project.get_absolute_url()).content.decode()
    funds = Indicator.objects.get(code="funds_domestic")
    counted = records_behind(funds, cast.county, Period.of(YEAR))
    kept_apart = records_behind(funds, cast.county, Period.of(YEAR), apart=True)
    assert (counted.verified, counted.count) == (0, 0)
    assert (kept_apart.verified, [line.project for line in kept_apart.lines]) == (120, [project])
    page = client.get(
        reverse("ledger:drilldown"), {"unit": cast.county.pk, "indicator": "funds_domestic", "year": YEAR}
    )
    assert 'data-testid="drilldown-apart"' in page.content.decode()
    page = client.get(
        reverse("ledger:drilldown"),
        {"unit": cast.county.pk, "indicator": "funds_domestic", "year": YEAR, "apart": 1},
    )
    assert page.context["result"].verified == 120 and 'data-testid="not-counted"' in page.content.decode()
