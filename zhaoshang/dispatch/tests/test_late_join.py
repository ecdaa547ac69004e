"""A project that reaches a reporting stage after a round opened joins the round from its page: its
entry is marked late-joined and its report is not counted late (issue 18)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.dispatch import services
from zhaoshang.dispatch.models import Entry, Report, Round
from zhaoshang.dispatch.tests.conftest import DUE, signed, worded
from zhaoshang.projects import services as project_services

D = dt.date


def test_a_project_signed_after_the_round_opened_joins_it_and_is_not_late(cast, opened):
    late = signed(cast, cast.town_a, "开轮后签约项目", signed_on=D(2026, 3, 10))
    round_ = opened["round"]
    assert not Entry.objects.filter(round=round_, project=late).exists()  # the list was frozen
    owed = services.reports_owed(late, D(2026, 3, 10))
    assert [(o.round, o.entry, o.report) for o in owed] == [(round_, None, None)]

    report = services.start_report(round_, late, by=cast.operator_a, today=D(2026, 3, 10))
    entry = Entry.objects.get(round=round_, project=late)
    assert (entry.late_joined, entry.unit, entry.stage) == (True, cast.town_a, "signed")
    assert (report.round, report.project, report.status) == (round_, late, "draft")
    # the projects listed when the round opened are not late-joined
    assert not Entry.objects.get(round=round_, project=opened["a"]).late_joined

    report = services.submit_report(
        worded(report, cast.operator_a), by=cast.operator_a, today=DUE + dt.timedelta(2)
    )
    assert report.status == "submitted" and not report.is_late
    # a listed project's report after the dispatch day stays late
    listed = services.create_report(round_, opened["a"], by=cast.operator_a)
    listed = services.submit_report(
        worded(listed, cast.operator_a), by=cast.operator_a, today=DUE + dt.timedelta(2)
    )
    assert listed.is_late
    # pressing the button again opens the same report; the round's list grew by one
    assert services.start_report(round_, late, by=cast.operator_a) == report
    assert round_.entries.count() == 3


def test_a_project_moved_to_a_reporting_stage_after_opening_may_join(cast, opened):
    project = opened["lead"]
    assert services.reports_owed(project, D(2026, 3, 10)) == []
    # the refusal names the project and the stages that report (签约 is one of them)
    with pytest.raises(ValidationError, match=r"线索项目.*签约"):
        services.join_round(opened["round"], project, by=cast.operator_a, today=D(2026, 3, 10))
    for stage in ("negotiating", "intent", "signed"):
        extra = {"contracted_amount": Decimal(100)} if stage == "signed" else {}
        project = project_services.change_stage(
            project, stage, by=cast.operator_a, on=D(2026, 3, 10), **extra
        )
    entry = services.join_round(opened["round"], project, by=cast.operator_a, today=D(2026, 3, 10))
    assert entry.late_joined and entry.stage == "signed"


def test_a_lead_stage_project_cannot_join(cast, opened):
    with pytest.raises(ValidationError, match="线索项目"):
        services.start_report(opened["round"], opened["lead"], by=cast.operator_a, today=D(2026, 3, 10))
    assert not Entry.objects.filter(project=opened["lead"]).exists() and not Report.objects.exists()


def test_a_project_of_another_unit_cannot_be_joined(cast, opened):
    other = signed(cast, cast.town_b, "河口乡新签项目", signed_on=D(2026, 3, 10))
    with pytest.raises(OutOfScope):
        services.start_report(opened["round"], other, by=cast.operator_a, today=D(2026, 3, 10))
    with pytest.raises(OutOfScope):
        services.join_round(opened["round"], other, by=cast.operator_a, today=D(2026, 3, 10))
    # nor a project of another county, even by its own bureau: the round is its county's
    foreign = signed(cast, cast.other_town, "邻县项目", signed_on=D(2026, 3, 10))
    with pytest.raises(ValidationError, match="邻县项目"):
        services.join_round(opened["round"], foreign, by=cast.stranger, today=D(2026, 3, 10))
    assert not Entry.objects.filter(project__in=[other, foreign]).exists()


def test_a_round_is_joined_only_while_it_is_open(cast, opened):
    late = signed(cast, cast.town_a, "过期项目", signed_on=D(2026, 3, 10))
    with pytest.raises(ValidationError, match="2026-03-12") as refused:
        services.join_round(opened["round"], late, by=cast.operator_a, today=DUE + dt.timedelta(1))
    assert late.name not in refused.value.messages[0]  # not the "owes no report" refusal: the round is closed
    assert services.reports_owed(late, DUE + dt.timedelta(1)) == []


# --- the project page ----------------------------------------------------------------------------


def _open_round_today(cast, today):
    return Round.objects.create(
        county=cast.county,
        due_on=today + dt.timedelta(days=3),
        opens_on=today - dt.timedelta(days=2),
        period_start=today - dt.timedelta(days=12),
    )


def test_the_project_page_files_a_late_joining_report(client, cast, media, today):
    round_ = _open_round_today(cast, today)
    late = signed(cast, cast.town_a, "页面加入项目", signed_on=today)
    client.force_login(cast.operator_a)
    page = client.get(late.get_absolute_url()).content.decode()
    assert 'data-testid="may-join"' in page and f'data-testid="file-{round_.pk}"' in page
    response = client.post(reverse("dispatch:project_report", kwargs={"pk": late.pk}), {"round": round_.pk})
    report = Report.objects.get(project=late)
    assert response["Location"] == report.get_absolute_url()
    assert Entry.objects.get(round=round_, project=late).late_joined
    page = client.get(late.get_absolute_url()).content.decode()
    assert 'data-testid="late-joined"' in page and "may-join" not in page
    # the leader reads the page without a button
    client.force_login(cast.leader)
    page = client.get(late.get_absolute_url()).content.decode()
    assert 'data-testid="reports-owed"' in page and f'data-testid="file-{round_.pk}"' not in page


def test_the_project_page_refuses_another_units_operator_and_a_lead(client, cast, media, today):
    round_ = _open_round_today(cast, today)
    other = signed(cast, cast.town_b, "河口乡页面项目", signed_on=today)
    lead = cast.project(cast.town_a, name="页面线索项目")
    client.force_login(cast.operator_a)
    url = reverse("dispatch:project_report", kwargs={"pk": other.pk})
    assert client.post(url, {"round": round_.pk}).status_code == 404
    response = client.post(reverse("dispatch:project_report", kwargs={"pk": lead.pk}), {"round": round_.pk})
    assert response.status_code == 302 and response["Location"] == lead.get_absolute_url()
    shown = [str(m) for m in response.wsgi_request._messages]
    assert len(shown) == 1 and lead.name in shown[0]  # the refusal names the project
    assert 'data-testid="reports-owed"' not in client.get(lead.get_absolute_url()).content.decode()
    assert not Entry.objects.exists() and not Report.objects.exists()
