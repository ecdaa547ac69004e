"""The start page says first what is due (issue 18): reports to file by round with the days left,
returned reports with the reason, requests assigned to the user's unit awaiting its answer, and
rectification items to put right; then the figures, with fractional counts explained and 序时进度
shown once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhaoshang.coordination import services as coordination
from zhaoshang.dispatch import services as dispatch
from zhaoshang.dispatch.models import Entry, Round
from zhaoshang.inspections import services as inspections
from zhaoshang.overview.due import ReportsDue
from zhaoshang.projects import services as project_services

HOME = reverse("core:home")


def signed(cast: Any, unit: Any, name: str, **extra: Any) -> Any:
    return cast.project(
        unit,
        name=name,
        stage="signed",
        signed_on=dt.date(2026, 1, 5),
        contracted_amount=Decimal(100),
        **extra,
    )


def listed(cast: Any, today: dt.date, days: int, *projects: Any) -> Round:
    """A round of the county due ``days`` from today (negative: overdue), listing ``projects``."""
    due = today + dt.timedelta(days=days)
    round_ = Round.objects.create(
        county=cast.county,
        due_on=due,
        opens_on=due - dt.timedelta(days=5),
        period_start=due - dt.timedelta(days=15),
    )
    for project in projects:
        Entry.objects.create(round=round_, project=project, unit=project.unit, stage=project.stage)
    return round_


def home(client: Any, user: Any) -> Any:
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_operator_sees_the_reports_due_by_round_with_the_days_left(client, cast, today):
    a1, a2 = signed(cast, cast.town_a, "城关镇甲项目"), signed(cast, cast.town_a, "城关镇乙项目")
    b = signed(cast, cast.town_b, "河口乡项目")
    current = listed(cast, today, 5, a1, a2, b)
    overdue = listed(cast, today, -10, a1, b)
    listed(cast, today, -60, a1)  # beyond the to-report list's window: not shown
    response = home(client, cast.operator_a)
    due = response.context["due"]
    assert due.reports == [ReportsDue(current.due_on, 2, 5), ReportsDue(overdue.due_on, 1, -10)]
    page = response.content.decode()
    assert page.index('data-testid="due"') < page.index('data-testid="indicator-cards"')  # first
    assert page.count('data-testid="due-round"') == 2 and f"{current.due_on:%Y-%m-%d}" in page
    # a report filed leaves the count
    report = dispatch.create_report(current, a1, by=cast.operator_a)
    dispatch.update_report(report, by=cast.operator_a, data={"progress_text": "本期无进展"})
    dispatch.submit_report(report, by=cast.operator_a, today=today)
    assert home(client, cast.operator_a).context["due"].reports[0] == ReportsDue(current.due_on, 1, 5)
    # the other township's operator sees only its own
    assert home(client, cast.operator_b).context["due"].reports == [
        ReportsDue(current.due_on, 1, 5),
        ReportsDue(overdue.due_on, 1, -10),
    ]


def test_a_returned_report_shows_with_its_reason(client, cast, today, media):
    project = signed(cast, cast.town_a, "退回项目")
    round_ = listed(cast, today, 3, project)
    report = dispatch.create_report(round_, project, by=cast.operator_a)
    dispatch.update_report(report, by=cast.operator_a, data={"investment": Decimal(5)})
    dispatch.submit_report(report, by=cast.operator_a, today=today)
    dispatch.return_report(report, by=cast.admin, reason="投资额与台账不符")
    response = home(client, cast.operator_a)
    assert response.context["due"].returned_count == 1
    page = response.content.decode()
    assert 'data-testid="due-returned"' in page and "投资额与台账不符" in page
    assert report.get_absolute_url() in page
    assert home(client, cast.operator_b).context["due"].returned_count == 0


def test_requests_and_rectification_items_of_the_unit_are_due(client, cast, today):
    request = coordination.raise_request(
        kind="staff_problem", title="用电增容", description="x", unit=cast.town_a, by=None
    )
    coordination.accept_request(request, by=None, owner_unit=cast.town_a, deadline=today + dt.timedelta(3))
    waiting = coordination.raise_request(
        kind="staff_problem", title="未受理", description="x", unit=cast.town_a, by=None
    )
    inspections.create_inspection(
        by=None,
        unit=cast.town_a,
        year=today.year,
        quarter=(today.month - 1) // 3 + 1,
        inspected_on=today,
        inspectors="督查组",
        findings="台账不全",
        items=[inspections.ItemData("补齐项目台账", cast.town_a, today + dt.timedelta(7))],
    )
    due = home(client, cast.operator_a).context["due"]
    assert [r.title for r in due.requests] == [
        "用电增容"
    ] and due.requests_count == 1  # not the unaccepted one
    assert [i.description for i in due.items] == ["补齐项目台账"]
    assert waiting.pk not in {r.pk for r in due.requests}
    other = home(client, cast.operator_b).context["due"]
    assert (other.requests_count, other.items_count) == (0, 0)


def test_a_leader_without_anything_to_do_sees_the_figures_only(client, cast, today):
    listed(cast, today, 5, signed(cast, cast.town_a, "领导项目"))
    response = home(client, cast.leader)
    assert not response.context.get("due") and 'data-testid="due"' not in response.content.decode()
    assert 'data-testid="indicator-cards"' in response.content.decode()


def test_a_fractional_count_is_explained_and_time_progress_is_shown_once(client, cast, today):
    project_services.create_project(
        by=None,
        data={
            "name": "分成项目",
            "unit": cast.town_a,
            "total_investment": Decimal(5000),
            "signed_on": today.replace(month=1, day=2),
            "contracted_amount": Decimal(100),
        },
        stage="signed",
        credits=[(cast.town_a, Decimal(70)), (cast.town_b, Decimal(30))],
    )
    client.force_login(cast.operator_a)
    response = client.get(HOME, {"unit": cast.town_a.pk})
    signed_row = next(r for r in response.context["rows"] if r.indicator.code == "projects_signed")
    assert signed_row.actual == Decimal("0.7")
    assert response.context["shared_counts"] == {"projects_signed"}
    page = response.content.decode()
    assert page.count('data-testid="shared-mark"') == 1 and 'data-testid="shared-note"' in page
    # 序时进度 once, as the reference, not on each of the cards
    reference = f"{response.context['reference_progress']}%"
    assert page.count(reference) == 1
    # the county counts the whole project: no fraction, no mark
    client.force_login(cast.admin)
    county = client.get(HOME, {"unit": cast.county.pk})
    assert (
        county.context["shared_counts"] == set()
        and 'data-testid="shared-mark"' not in county.content.decode()
    )


def grow(cast: Any, today: dt.date, start: int, count: int) -> None:
    """``count`` more of every kind the due list shows, for town A."""
    for i in range(start, start + count):
        project = signed(cast, cast.town_a, f"增长项目{i}")
        listed(cast, today, i + 1, project)
        listed(cast, today, -(i + 1), project)
        round_ = listed(cast, today, 30 + i, project)
        report = dispatch.create_report(round_, project, by=cast.operator_a)
        dispatch.update_report(report, by=cast.operator_a, data={"progress_text": "无"})
        dispatch.submit_report(report, by=cast.operator_a, today=today)
        dispatch.return_report(report, by=cast.admin, reason=f"退回{i}")
        request = coordination.raise_request(
            kind="staff_problem", title=f"诉求{i}", description="x", unit=cast.town_a, by=None
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


def test_the_due_list_costs_the_same_queries_for_more_records(client, cast, today, media):
    client.force_login(cast.operator_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(HOME).status_code == 200
        return len(context.captured_queries)

    # three past rounds from the start, so that the stalled-projects panel (which reads projects once
    # a county has K closed rounds) shows the same sections with few records as with many
    grow(cast, today, 0, 3)
    few = queries()
    grow(cast, today, 3, 6)
    due = client.get(HOME).context["due"]
    assert (len(due.reports), due.returned_count, due.requests_count, due.items_count) == (27, 9, 9, 9)
    assert queries() <= few
