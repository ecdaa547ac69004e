"""Progress reports: draft, submit (once), late, review (verify or return), and what reaches the
ledger and the dashboard; nobody reports on another unit's project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.dispatch import overview, services
from zhaoshang.dispatch.choices import ReportStatus
from zhaoshang.dispatch.models import Report
from zhaoshang.dispatch.tests.conftest import DUE, evidence, worded
from zhaoshang.ledger.choices import FundsStatus, Kind
from zhaoshang.ledger.models import FundsArrival
from zhaoshang.ledger.services import subtree_figures
from zhaoshang.notifications.models import Notification

D = dt.date


def filled(cast, opened, by=None, amount="120.5"):
    by = by or cast.operator_a
    report = services.create_report(opened["round"], opened["a"], by=by)
    services.update_report(
        report,
        by=by,
        data={
            "investment": Decimal(300),
            "factory_area": Decimal("1500"),
            "progress_percent": 40,
            "progress_text": "主体封顶",
            "problems": "用电增容\n道路未通",
        },
    )
    services.add_funds_line(
        report,
        by=by,
        source="domestic",
        amount=Decimal(amount),
        arrived_on=D(2026, 3, 5),
        evidence=evidence(),
    )
    return report


def county_figures(cast, kind):
    return subtree_figures(cast.county, 2026, [3], [kind]).get(kind, (Decimal(0), Decimal(0)))


def test_a_submitted_report_counts_as_reported_and_verified_it_counts(cast, opened):
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    assert report.status == "submitted" and not report.is_late and report.has_progress
    funds = FundsArrival.objects.get(project=opened["a"])
    assert (funds.status, funds.amount, funds.evidence.name != "") == (
        FundsStatus.REPORTED,
        Decimal("120.5"),
        True,
    )
    assert county_figures(cast, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal("120.5"))
    assert county_figures(cast, Kind.INVESTMENT) == (Decimal(0), Decimal(300))
    services.verify_report(report, by=cast.admin)
    assert county_figures(cast, Kind.FUNDS_DOMESTIC) == (Decimal("120.5"), Decimal(0))
    assert county_figures(cast, Kind.INVESTMENT) == (Decimal(300), Decimal(0))
    assert county_figures(cast, Kind.FACTORY_AREA) == (Decimal(1500), Decimal(0))
    call_command("rebuild_rollups", check=True)


def test_a_second_submission_is_refused(cast, opened):
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    with translation.override("en"):
        with pytest.raises(ValidationError, match="only after the bureau returns it"):
            services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 11))
        with pytest.raises(ValidationError, match="exists already"):
            services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    assert FundsArrival.objects.count() == 1 and Report.objects.count() == 1


def test_a_report_after_the_dispatch_day_is_late(cast, opened):
    report = services.submit_report(
        filled(cast, opened), by=cast.operator_a, today=DUE + dt.timedelta(days=1)
    )
    assert report.is_late
    on_time = worded(
        services.create_report(opened["round"], opened["b"], by=cast.operator_b), cast.operator_b
    )
    assert not services.submit_report(on_time, by=cast.operator_b, today=DUE).is_late


def test_a_returned_report_goes_back_with_its_reason_and_nothing_counts(cast, opened):
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    with pytest.raises(ValidationError):
        services.return_report(report, by=cast.admin, reason="  ")
    report = services.return_report(report, by=cast.admin, reason="进账单金额与填报不符")
    assert (report.status, report.return_reason) == ("returned", "进账单金额与填报不符")
    assert FundsArrival.objects.get().status == FundsStatus.RETURNED
    assert county_figures(cast, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal(0))
    assert county_figures(cast, Kind.INVESTMENT) == (Decimal(0), Decimal(0))
    note = Notification.objects.get(recipient=cast.operator_a)
    assert "进账单金额与填报不符" in note.body and note.link == report.get_absolute_url()
    # Corrected and submitted again: the funds are recorded anew, the returned record stays returned.
    line = report.funds_lines.get()
    services.remove_funds_line(line, by=cast.operator_a)
    services.add_funds_line(
        report,
        by=cast.operator_a,
        source="domestic",
        amount=Decimal(100),
        arrived_on=D(2026, 3, 5),
        evidence=evidence(),
    )
    services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 13))
    services.verify_report(report, by=cast.admin)
    assert county_figures(cast, Kind.FUNDS_DOMESTIC) == (Decimal(100), Decimal(0))
    call_command("rebuild_rollups", check=True)


def test_a_submitted_report_cannot_be_changed_before_it_is_returned(cast, opened):
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    with pytest.raises(ValidationError):
        services.update_report(report, by=cast.operator_a, data={"investment": Decimal(1)})
    with pytest.raises(ValidationError):
        services.add_funds_line(
            report,
            by=cast.operator_a,
            source="domestic",
            amount=Decimal(1),
            arrived_on=D(2026, 3, 5),
            evidence=evidence(),
        )


def test_funds_need_their_evidence(cast, opened):
    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    with pytest.raises(ValidationError) as error:
        services.add_funds_line(
            report,
            by=cast.operator_a,
            source="domestic",
            amount=Decimal(5),
            arrived_on=D(2026, 3, 5),
            evidence=None,
        )
    assert "evidence" in error.value.message_dict


def test_an_operator_cannot_report_on_a_project_outside_the_units_subtree(cast, opened):
    with pytest.raises(OutOfScope):
        services.create_report(opened["round"], opened["b"], by=cast.operator_a)
    with pytest.raises(OutOfScope):
        services.create_report(opened["round"], opened["a"], by=cast.stranger)
    report = services.create_report(opened["round"], opened["b"], by=cast.operator_b)
    for action in (services.submit_report, lambda r, by: services.update_report(r, by=by, data={})):
        with pytest.raises(OutOfScope):
            action(report, by=cast.operator_a)
    with pytest.raises(ValidationError):  # a project the round does not list
        services.create_report(opened["round"], opened["lead"], by=cast.operator_a)


def test_only_the_bureau_reviews(cast, opened):
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    for user in (cast.operator_a, cast.leader, cast.stranger):
        with pytest.raises(OutOfScope):
            services.verify_report(report, by=user)
    assert Report.objects.get().status == "submitted"


def test_the_overview_counts_due_submitted_verified_late_returned_and_missing(cast, opened):
    extra = worded(services.create_report(opened["round"], opened["b"], by=cast.operator_b), cast.operator_b)
    services.submit_report(extra, by=cast.operator_b, today=D(2026, 3, 14))
    services.return_report(extra, by=cast.admin, reason="补充照片")
    report = services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 13))
    services.verify_report(report, by=cast.admin)
    rows = {t.unit.pk: t for t in overview.tallies(cast.admin, opened["round"], D(2026, 3, 20))}
    a, b = rows[cast.town_a.pk], rows[cast.town_b.pk]
    assert (a.due, a.submitted, a.verified, a.late, a.returned, a.missing) == (1, 1, 1, 1, 0, 0)
    assert (b.due, b.submitted, b.verified, b.late, b.returned, b.missing) == (1, 0, 0, 0, 1, 1)
    # Before the cut-off, nothing is missing yet; a township operator sees only its own row.
    early = overview.tallies(cast.operator_b, opened["round"], D(2026, 3, 10))
    assert [(t.unit.pk, t.missing, t.pending) for t in early] == [(cast.town_b.pk, 0, 1)]


def test_a_project_without_progress_for_k_rounds_is_stalled(cast, opened):
    services.open_rounds(D(2026, 3, 23))  # 27 March
    services.open_rounds(D(2026, 4, 8))  # 12 April
    from zhaoshang.dispatch.models import Round

    for round_ in Round.objects.filter(county=cast.county).order_by("due_on")[1:]:
        # A's reports show nothing moving; B moves once.
        empty = worded(services.create_report(round_, opened["a"], by=cast.operator_a), cast.operator_a)
        services.submit_report(empty, by=cast.operator_a, today=round_.due_on)
    moved = services.create_report(opened["round"], opened["b"], by=cast.operator_b)
    services.update_report(moved, by=cast.operator_b, data={"progress_percent": 10})
    services.submit_report(moved, by=cast.operator_b, today=DUE)
    stalled = overview.stalled_projects(cast.admin, cast.county, D(2026, 4, 13))
    assert [(p.pk, k) for p, k in stalled] == [(opened["a"].pk, 3)]
    assert overview.stalled_projects(cast.operator_b, cast.county, D(2026, 4, 13)) == []
    assert overview.stalled_projects(cast.admin, cast.county, D(2026, 4, 12)) == []  # 12 April not closed
    from zhaoshang.overview.dashboard import dispatch_stalled

    assert [p.pk for p, _k in dispatch_stalled(cast.leader, cast.county, D(2026, 4, 13))] == [opened["a"].pk]
    assert dispatch_stalled(cast.stranger, cast.other_county, D(2026, 4, 13)) == []
    # A township's list is the part of its county's list in the township.
    assert [p.pk for p, _k in overview.stalled_projects(cast.admin, cast.town_a, D(2026, 4, 13))] == [
        opened["a"].pk
    ]
    assert overview.stalled_projects(cast.admin, cast.town_b, D(2026, 4, 13)) == []
    # Above the counties dispatch has no list (None: the dashboard says to open a county's).
    assert overview.stalled_projects(cast.admin, cast.city, D(2026, 4, 13)) is None


# --- pages ----------------------------------------------------------------------------------------


def test_an_operator_files_a_report_through_the_pages(client, cast, opened):
    client.force_login(cast.operator_a)
    entry = opened["round"].entries.get(project=opened["a"])
    response = client.post(reverse("dispatch:report_start", kwargs={"pk": entry.pk}))
    report = Report.objects.get()
    assert response["Location"] == report.get_absolute_url()
    client.post(
        reverse("dispatch:report_save", kwargs={"pk": report.pk}),
        {"investment": "50", "progress_percent": "20", "progress_text": "场地平整", "problems": ""},
    )
    client.post(
        reverse("dispatch:report_funds", kwargs={"pk": report.pk}),
        {"source": "domestic", "amount": "30", "arrived_on": "2026-03-05", "evidence": evidence()},
    )
    client.post(reverse("dispatch:report_submit", kwargs={"pk": report.pk}))
    report.refresh_from_db()
    assert (report.status, report.investment, report.funds_lines.get().amount) == (
        "submitted",
        Decimal(50),
        Decimal(30),
    )
    page = client.get(report.get_absolute_url()).content.decode()
    assert "场地平整" in page and 'data-testid="submit-report"' not in page
    client.post(reverse("dispatch:report_submit", kwargs={"pk": report.pk}), follow=True)
    assert FundsArrival.objects.count() == 1


@pytest.mark.parametrize("name", ["report", "report_save", "report_submit", "report_funds", "report_file"])
def test_a_sibling_townships_operator_is_refused_on_every_report_page(client, cast, opened, name):
    report = services.create_report(opened["round"], opened["b"], by=cast.operator_b)
    client.force_login(cast.operator_a)
    url = reverse(f"dispatch:{name}", kwargs={"pk": report.pk})
    if name == "report":  # the page is read with GET; every other view takes only POST
        assert client.get(url).status_code == 404
    else:  # a POST that reaches the view: refused for scope (404), not merely for the method (405)
        assert client.post(url, {"investment": "1", "progress_percent": "1"}).status_code == 404
    entry = opened["round"].entries.get(project=opened["b"])
    assert client.post(reverse("dispatch:report_start", kwargs={"pk": entry.pk})).status_code == 404
    assert Report.objects.get().status == "draft" and Report.objects.get().investment == 0


def test_the_review_queue_is_the_bureaus(client, cast, opened):
    services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    client.force_login(cast.admin)
    assert "城关镇新材料项目" in client.get(reverse("dispatch:queue")).content.decode()
    for user in (cast.operator_a, cast.leader):
        client.force_login(user)
        assert client.get(reverse("dispatch:queue")).status_code == 403
    client.force_login(cast.stranger)
    assert "城关镇新材料项目" not in client.get(reverse("dispatch:queue")).content.decode()


def test_the_calendar_page_saves_for_the_bureau_and_refuses_others(client, cast):
    url = reverse("dispatch:calendar", kwargs={"pk": cast.county.pk})
    client.force_login(cast.admin)
    response = client.post(
        url,
        {"days": "10，25", "open_days_before": "4", "stages": ["signed", "started"], "stalled_after": "2"},
    )
    assert response.status_code == 302
    calendar = services.calendar_for(cast.county)
    assert (calendar.days, calendar.open_days_before, calendar.stages, calendar.report_operating) == (
        [10, 25],
        4,
        ["signed", "started"],
        False,
    )
    client.force_login(cast.operator_a)
    assert client.get(url).status_code == 403
    client.force_login(cast.stranger)
    assert client.get(url).status_code == 404


def test_the_demo_has_reports_in_every_state_and_its_rollups_agree(db, settings, tmp_path):
    from zhaoshang.demo import demo

    settings.MEDIA_ROOT = tmp_path
    today = D(2026, 10, 24)  # the round of 27 October is open
    demo.load_demo(projects=60, today=today)
    states = set(Report.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "returned", "verified"}
    assert Report.objects.filter(is_late=True).exists()
    from zhaoshang.dispatch.models import Round

    closed = Round.objects.filter(due_on__lt=today)
    assert closed.count() >= 4
    from zhaoshang.dispatch.models import Entry

    filed = Report.objects.filter(round__in=closed, status__in=["submitted", "verified"]).count()
    assert Entry.objects.filter(round__in=closed).count() > filed  # some are missing
    call_command("rebuild_rollups", check=True)


def test_the_round_page_shows_each_units_tally_and_costs_a_fixed_number_of_queries(
    client, cast, opened, django_assert_max_num_queries
):
    services.submit_report(filled(cast, opened), by=cast.operator_a, today=D(2026, 3, 11))
    for i in range(5):
        from zhaoshang.dispatch.models import Entry

        more = cast.project(
            cast.town_b,
            name=f"河口乡补充项目{i}",
            stage="signed",
            signed_on=D(2026, 1, 5),
            contracted_amount=Decimal(10),
        )
        Entry.objects.create(round=opened["round"], project=more, unit=cast.town_b, stage="signed")
    client.force_login(cast.admin)
    url = reverse("dispatch:round", kwargs={"pk": opened["round"].pk})
    with django_assert_max_num_queries(30):
        page = client.get(url).content.decode()
    assert f'data-testid="tally-{cast.town_b.pk}"' in page and "河口乡补充项目4" in page
    client.force_login(cast.operator_b)
    page = client.get(url).content.decode()
    assert "城关镇新材料项目" not in page and f'data-testid="tally-{cast.town_a.pk}"' not in page


def test_each_problem_of_a_submitted_report_becomes_one_tracked_request(cast, opened):
    from zhaoshang.coordination.models import CoordinationRequest

    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    services.update_report(
        report, by=cast.operator_a, data={"problems": "用地指标未落实\n\n  电力增容待批  "}
    )
    assert not CoordinationRequest.objects.exists()  # a draft raises nothing
    services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 11))
    requests = CoordinationRequest.objects.order_by("pk")
    assert [(r.description, r.kind, r.status) for r in requests] == [
        ("用地指标未落实", "dispatch_problem", "submitted"),
        ("电力增容待批", "dispatch_problem", "submitted"),
    ]
    assert {(r.unit, r.project, r.raised_by, r.source) for r in requests} == {
        (cast.town_a, opened["a"], cast.operator_a, f"dispatch-report:{report.pk}")
    }
    # Returned, corrected with one new problem and submitted again: only the new one is raised.
    services.return_report(report, by=cast.admin, reason="补充说明")
    services.update_report(
        report, by=cast.operator_a, data={"problems": "用地指标未落实\n电力增容待批\n环评批复延迟"}
    )
    services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 12))
    assert list(CoordinationRequest.objects.order_by("pk").values_list("description", flat=True)) == [
        "用地指标未落实",
        "电力增容待批",
        "环评批复延迟",
    ]


def test_the_report_page_links_the_requests_its_problems_raised(client, cast, opened):
    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    services.update_report(report, by=cast.operator_a, data={"problems": "道路未通"})
    services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 11))
    client.force_login(cast.admin)
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'data-testid="report-requests"' in page and "道路未通" in page


def test_a_request_names_and_links_the_report_it_came_from_and_the_system_in_words(client, cast, opened):
    from zhaoshang.coordination import sources
    from zhaoshang.coordination.models import CoordinationRequest
    from zhaoshang.coordination.services import raise_request

    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    services.update_report(report, by=cast.operator_a, data={"problems": "道路未通"})
    services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 11))
    request = CoordinationRequest.objects.get(source=services.problem_source(report))
    by_job = raise_request(
        kind="staff_problem", title="系统提出", description="定时任务发现", unit=cast.town_a, by=None
    )
    client.force_login(cast.admin)
    page = client.get(request.get_absolute_url()).content.decode()
    assert f'<a href="{report.get_absolute_url()}">2026-03-12调度日的进展报告</a>' in page
    assert "dispatch-report:" not in page
    assert sources.short(request.source) == f"进展报告 #{report.pk}"  # lists and exports: no query
    system = client.get(by_job.get_absolute_url()).content.decode()
    assert by_job.raised_by_name == "system" and "system" not in system and "系统" in system
    with translation.override("en"):
        english = client.get(by_job.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "· system ·" in english


def test_the_review_queue_shows_the_oldest_dispatch_day_first_and_each_report_carries_its_day(cast, opened):
    from zhaoshang.dispatch.models import Round

    services.open_rounds(D(2026, 3, 24))
    later = Round.objects.filter(county=cast.county).exclude(pk=opened["round"].pk).get()
    assert later.due_on > opened["round"].due_on
    newer = services.create_report(later, opened["b"], by=cast.operator_b)
    services.update_report(newer, by=cast.operator_b, data={"investment": Decimal(5), "progress_percent": 5})
    services.submit_report(newer, by=cast.operator_b, today=later.due_on)
    older = filled(cast, opened)  # submitted after the newer round's report, for an older day
    services.submit_report(older, by=cast.operator_a, today=later.due_on + dt.timedelta(days=1))
    assert [r.due_on for r in (older, newer)] == [opened["round"].due_on, later.due_on]
    assert list(overview.review_queue(cast.admin)) == [older, newer]


@pytest.mark.parametrize(
    "said",
    [
        {"investment": Decimal(1)},
        {"progress_percent": 5},
        {"progress_text": "本期无进展，等待环评批复"},
        {"problems": "缺少用地指标"},
    ],
)
def test_an_empty_report_is_refused_and_any_figure_or_word_makes_it_a_report(cast, opened, said):
    # Pressing submit on an untouched draft filed 0 万元 / 0 % with a green "submitted".
    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    with translation.override("en"), pytest.raises(ValidationError, match="The report is empty"):
        services.submit_report(report, by=cast.operator_a, today=DUE)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not FundsArrival.objects.exists()
    services.update_report(report, by=cast.operator_a, data=said)
    assert services.submit_report(report, by=cast.operator_a, today=DUE).status == ReportStatus.SUBMITTED


def test_funds_alone_make_a_report(cast, opened):
    report = services.create_report(opened["round"], opened["a"], by=cast.operator_a)
    services.add_funds_line(
        report,
        by=cast.operator_a,
        source="domestic",
        amount=Decimal(5),
        arrived_on=D(2026, 3, 5),
        evidence=evidence(),
    )
    assert services.submit_report(report, by=cast.operator_a, today=DUE).status == ReportStatus.SUBMITTED


def test_a_report_with_several_funds_lines_syncs_its_project_once_per_write(cast, opened, monkeypatch):
    """Submitting records each funds line (each a sync of the project) and then the report (another);
    verifying decides each line and the report. ``ledger.synced_once`` makes each of them one sync,
    and the ledger ends where a sync per step would have left it."""
    from zhaoshang.ledger import services as ledger

    report = filled(cast, opened)
    services.add_funds_line(
        report,
        by=cast.operator_a,
        source="domestic",
        amount=Decimal("9.5"),
        arrived_on=D(2026, 3, 6),
        evidence=evidence(),
    )
    synced: list[int] = []
    real = ledger._sync
    monkeypatch.setattr(ledger, "_sync", lambda pk: synced.append(pk) or real(pk))
    report = services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 11))
    assert synced == [opened["a"].pk]
    assert county_figures(cast, Kind.FUNDS_DOMESTIC) == (Decimal(0), Decimal("130.0"))
    services.verify_report(report, by=cast.admin)
    assert synced == [opened["a"].pk] * 2
    assert county_figures(cast, Kind.FUNDS_DOMESTIC) == (Decimal("130.0"), Decimal(0))
    call_command("rebuild_rollups", check=True)


def test_a_write_that_fails_inside_synced_once_syncs_nothing(cast, opened, monkeypatch):
    from zhaoshang.ledger import services as ledger

    synced: list[int] = []
    monkeypatch.setattr(ledger, "_sync", lambda pk: synced.append(pk))
    with pytest.raises(RuntimeError), ledger.synced_once():
        assert ledger.sync(opened["a"]) == 0  # noted, not synced yet
        raise RuntimeError("the write fails")
    assert synced == []
    with ledger.synced_once():
        ledger.sync(opened["a"])
        with ledger.synced_once():  # a nested block joins the outer one
            ledger.sync(opened["a"])
        assert synced == []
    assert synced == [opened["a"].pk]


def test_submitting_and_verifying_a_report_cost_a_fixed_number_of_statements(
    cast, opened, django_assert_max_num_queries
):
    """The dispatch-day burst is these two writes (issue 25): 124 statements for a report with one
    funds line and two problems before the project was synced once per write and the audit chain's
    head read with its county (and one more since, the county's counting rules read by the sync);
    53 and 35 before the funds writes read their project once, with its unit, and stopped checking
    that the reporter exists; a new statement per write shows here."""
    report = filled(cast, opened)
    with django_assert_max_num_queries(49):
        report = services.submit_report(report, by=cast.operator_a, today=D(2026, 3, 11))
    with django_assert_max_num_queries(31):
        services.verify_report(report, by=cast.admin)
    assert county_figures(cast, Kind.FUNDS_DOMESTIC) == (Decimal("120.5"), Decimal(0))
