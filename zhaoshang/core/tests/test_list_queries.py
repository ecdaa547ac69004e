"""Query-count pins for every list page of the registry and every API list operation: a list costs
the same number of queries with N records of each kind as with 3N, so an N+1 (a query per row)
cannot creep in.

The pages are taken from the refusal test's registry (every Scope "list"); each round of records
adds N of every kind the lists show (projects with their investors, funds, requests, inspections
with items, activities, users, units with targets, indicators, and dispatch rounds with submitted
reports), so a new list page is pinned as soon as it is declared there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.permissions import Role
from zhaoshang.core.tests.test_endpoint_permissions import PAGES
from zhaoshang.core.tests.test_paging import PAGED
from zhaoshang.units.choices import UnitKind

LIST_PAGES = [name for name, scope in PAGES.items() if scope.kind == "list"]
N = 2
# Two dispatch days (the 12th and 27th by default, opened 3 days before) per record: from the first
# round of records on, a project has missed enough rounds to count as stalled, so the pages show the
# same sections with N records as with 3N.
ROUND_DAYS = [dt.date(2025, month, day) for month in range(2, 12) for day in (9, 24)]


def grow(cast: Any, start: int, count: int) -> None:
    """``count`` more records of every kind the list pages show, in the county's first township
    (numbered from ``start``, so that names and codes stay unique)."""
    from zhaoshang.activities.services import create_activity
    from zhaoshang.catalogue.tests.factories import make_offer
    from zhaoshang.coordination import services as coordination
    from zhaoshang.core.tests.endpoints import assessment_records
    from zhaoshang.dispatch import services as dispatch
    from zhaoshang.dispatch.models import Entry, Round
    from zhaoshang.enterprises import services as enterprises
    from zhaoshang.inspections import services as inspections
    from zhaoshang.jobs.services import enqueue as enqueue_job
    from zhaoshang.ledger.funds import record_funds
    from zhaoshang.ledger.indicators import create_indicator
    from zhaoshang.ledger.models import Indicator
    from zhaoshang.parks import services as parks
    from zhaoshang.targets.services import set_targets
    from zhaoshang.units.services import create_unit

    today = dt.date.today()
    indicator = Indicator.objects.order_by("pk").first()
    assert indicator is not None
    for i in range(start, start + count):
        project = cast.project(cast.town_a, name=f"项目{i}")
        enqueue_job("dispatch.reminders", unit=cast.town_a, params={"today": today.isoformat()})
        investor = project.investors.get()
        investor.next_follow_up_on = today
        investor.save(update_fields=["next_follow_up_on"])
        record_funds(
            project, by=None, arrived_on=dt.date(2024, 5, 1), source="domestic", amount=Decimal(i + 1)
        )
        request = coordination.raise_request(
            kind="staff_problem",
            title=f"诉求{i}",
            description="x",
            unit=cast.town_a,
            by=None,
            project=project,
        )
        coordination.accept_request(request, by=None, owner_unit=cast.town_a)
        inspections.create_inspection(
            by=None,
            unit=cast.town_a,
            year=today.year,
            quarter=(today.month - 1) // 3 + 1,
            inspected_on=today,
            inspectors="督查组",
            findings=f"发现{i}",
            items=[inspections.ItemData(f"整改{i}", cast.town_a, today)],
        )
        create_activity(
            by=None,
            data={
                "kind": "inquiry",
                "unit": cast.town_a,
                "title": f"来电{i}",
                "starts_on": dt.date(2024, 5, 1),
            },
            investors=[investor],
            projects=[project],
        )
        make_offer(cast, cast.town_a, name=f"招商项目{i}")
        user = User.objects.create_user(username=f"user{i}", password="x", display_name=f"用户{i}")
        Membership.objects.create(user=user, unit=cast.town_a, role=Role.OPERATOR)
        unit = create_unit(
            by=None, parent=cast.county, kind=UnitKind.TOWNSHIP, name=f"新镇{i}", code=f"990101{100 + i}"
        )
        set_targets(None, unit, today.year, {indicator: Decimal(100)})
        park = create_unit(
            by=None, parent=cast.county, kind=UnitKind.PARK, name=f"新园区{i}", code=f"990101P{10 + i}"
        )
        parks.save_profile(park, by=None, data={"planned_mu": Decimal(300), "developed_mu": Decimal(100)})
        create_indicator(
            by=None, code=f"pin_{i}", name_zh=f"指标{i}", name_en=f"pin {i}", measure="count", kind="signed"
        )
        signed = cast.project(
            cast.town_a,
            name=f"签约项目{i}",
            stage="signed",
            signed_on=dt.date(2025, 1, 5),
            contracted_amount=Decimal(100),
        )
        assessment_records(cast.county)  # a scheme with a published ranking
        for day in ROUND_DAYS[2 * i : 2 * i + 2]:
            dispatch.open_rounds(day)
        assert Round.objects.filter(county=cast.county).count() == 2 * (i + 1)
        enterprise = enterprises.register_enterprise(
            by=None,
            data={"name": f"企业{i}", "unit": cast.town_a, "park": cast.park, "investor": investor},
            stewards=[user],
        )
        parks.record_idle_asset(
            by=None,
            data={
                "unit": cast.town_a,
                "kind": "land",
                "name": f"闲置地{i}",
                "area": Decimal(9),
                "owner": "村集体",
            },
        )
        enterprises.record_visit(
            enterprise, by=None, visited_on=today, visitors="包联干部", findings="正常", problems=f"用工难{i}"
        )
        enterprises.record_return(
            enterprise,
            by=None,
            year=2025,
            quarter=4,
            output=Decimal(9),
            sales=Decimal(9),
            tax=Decimal(1),
            jobs=i,
        )
        for entry in Entry.objects.filter(project=signed).select_related("round", "project"):
            report = dispatch.create_report(entry.round, entry.project, by=None)
            dispatch.update_report(report, by=None, data={"progress_text": "本期无进展"})
            dispatch.submit_report(report, by=None, today=entry.round.due_on)


def queries_of(client: Any, name: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(name))
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, (name, response.status_code)
    return len(context.captured_queries)


def test_the_rounds_fit_the_dispatch_days():
    assert len(ROUND_DAYS) >= 2 * 3 * N


@pytest.mark.parametrize("name", LIST_PAGES)
def test_a_list_page_costs_the_same_queries_for_more_rows(
    client: Any, cast: Any, settings: Any, tmp_path, name
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.admin)
    grow(cast, 0, N)
    few = queries_of(client, name)
    grow(cast, N, 2 * N)
    many = queries_of(client, name)
    assert many <= few, f"{name}: {few} queries with {N} records of each kind, {many} with {3 * N}"


@pytest.mark.parametrize("path", PAGED)
def test_an_api_list_costs_the_same_queries_for_more_rows(
    client: Any, cast: Any, settings: Any, tmp_path, path
):
    """The generic list operation (and the project list's own path) decorate their rows once."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.admin)
    counts = []
    for start, count in ((0, N), (N, 2 * N)):
        grow(cast, start, count)
        with CaptureQueriesContext(connection) as context:
            body = client.get(f"{path}?limit=200").json()
        assert body["count"] >= start + count, (path, body["count"])
        counts.append(len(context.captured_queries))
    assert counts[1] <= counts[0], (
        f"{path}: {counts[0]} queries with {N} records of each kind, {counts[1]} with {3 * N}"
    )
