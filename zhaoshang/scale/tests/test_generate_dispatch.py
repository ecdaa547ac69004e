"""generate_scale's dispatch and activities: rounds list the projects owing a report by the rule the
application uses, reports come in a realistic mix of states, and what they and the activities count
for is exactly what the application's counting code says (and what the bench's raw GROUP BY says)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from zhaoshang.activities.choices import ActivityKind, Step
from zhaoshang.activities.models import Activity, InquiryStep
from zhaoshang.dispatch import calendar as dates
from zhaoshang.dispatch.choices import DEFAULT_DAYS, FILED, ReportStatus
from zhaoshang.dispatch.models import Calendar, Entry, FundsLine, Report, Round
from zhaoshang.dispatch.services import moved, owes_report
from zhaoshang.ledger import services as ledger
from zhaoshang.ledger.choices import FundsStatus, Kind
from zhaoshang.ledger.models import Event, FundsArrival
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project, StageChange
from zhaoshang.scale.generate import NATION_CODE, generate
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

PROJECTS = 400


@pytest.fixture
def generated(db: Any) -> dict[str, Any]:
    return generate(PROJECTS, seed=3, provinces=2)


def test_each_county_has_the_default_calendar_and_the_rounds_of_the_year_so_far(
    generated: dict[str, Any],
) -> None:
    today = timezone.localdate()
    counties = Unit.objects.filter(kind=UnitKind.COUNTY)
    assert Calendar.objects.count() == counties.count()
    assert all(c.days == DEFAULT_DAYS for c in Calendar.objects.all())
    due = [d for m in range(1, 13) for d in dates.dispatch_dates(today.year, m, DEFAULT_DAYS)]
    expected = [d for d in due if d - dt.timedelta(days=5) <= today]
    for county in counties[:5]:
        rounds = list(Round.objects.filter(county=county).order_by("due_on"))
        assert [r.due_on for r in rounds] == expected
        for r in rounds:
            assert r.period_start == dates.previous_dispatch_day(r.due_on, DEFAULT_DAYS) + dt.timedelta(
                days=1
            )
            assert r.opens_on == r.due_on - dt.timedelta(days=5)


def test_the_entries_are_the_projects_owing_a_report_by_the_stage_they_had_then(
    generated: dict[str, Any],
) -> None:
    busiest = Entry.objects.values("round__county").annotate(n=Count("pk")).order_by("-n", "round__county")
    county = Unit.objects.get(pk=busiest.first()["round__county"])
    calendar = Calendar.objects.get(county=county)
    rounds = list(Round.objects.filter(county=county).order_by("due_on"))
    low, high = county.subtree_range
    want = set()
    for project in Project.objects.filter(unit__path__gte=low, unit__path__lt=high):
        history = list(
            StageChange.objects.filter(project=project).order_by("pk").values_list("to_stage", "changed_on")
        )
        earlier: dict[int, list[str]] = {}
        for r in rounds:
            then = [stage for stage, on in history if on <= r.opens_on]
            if not then:
                continue
            listed = SimpleNamespace(pk=project.pk, stage=then[-1], operating_on=project.operating_on)
            if owes_report(listed, calendar, earlier, r.period_start):
                earlier.setdefault(project.pk, []).append(then[-1])
                want.add((r.pk, project.pk, then[-1], project.unit_id))
    have = set(
        Entry.objects.filter(round__county=county).values_list("round_id", "project_id", "stage", "unit_id")
    )
    assert len(want) > 20
    assert have == want
    stages = Counter(stage for _r, _p, stage, _u in have)
    assert set(stages) <= {*calendar.stages, Stage.OPERATING}
    operating = Counter(p for _r, p, stage, _u in have if stage == Stage.OPERATING)
    assert all(n == 1 for n in operating.values())  # once, the round after it began


def test_reports_come_in_a_realistic_mix_of_states(generated: dict[str, Any]) -> None:
    reports = Report.objects.select_related("round")
    entries = set(Entry.objects.values_list("round_id", "project_id"))
    assert reports.count() > 3 * PROJECTS  # up to 24 a year per active project
    assert all((r.round_id, r.project_id) in entries for r in reports)
    states = Counter(reports.values_list("status", flat=True))
    assert states[ReportStatus.VERIFIED] > 0.7 * sum(states.values())
    assert min(states[s] for s in ReportStatus.values) > 0
    late = 0
    for report in reports:
        filed = report.status != ReportStatus.DRAFT
        assert (report.submitted_on is not None) == filed
        assert report.is_late == bool(filed and report.submitted_on > report.round.due_on)
        assert (report.decided_at is not None) == (
            report.status in (ReportStatus.VERIFIED, ReportStatus.RETURNED)
        )
        assert bool(report.return_reason) == (report.status == ReportStatus.RETURNED)
        assert 0 <= report.progress_percent <= 100
        late += report.is_late
    assert 0 < late < 0.15 * reports.count()
    assert reports.filter(investment__gt=0).exists() and reports.filter(factory_area__gt=0).exists()
    assert not reports.filter(submitted_on__gt=timezone.localdate()).exists()
    assert (
        reports.filter(has_progress=True).exists()
        and reports.filter(status__in=FILED, has_progress=False).exists()
    )


def test_funds_lines_are_recorded_as_funds_arrived_as_submission_and_review_record_them(
    generated: dict[str, Any],
) -> None:
    status_of = {
        ReportStatus.SUBMITTED: FundsStatus.REPORTED,
        ReportStatus.VERIFIED: FundsStatus.VERIFIED,
        ReportStatus.RETURNED: FundsStatus.RETURNED,
    }
    lines = FundsLine.objects.select_related("report__round", "funds")
    assert lines.count() > 20
    seen = Counter()
    for line in lines:
        report = line.report
        assert report.round.period_start <= line.arrived_on <= report.round.due_on
        if report.status == ReportStatus.DRAFT:
            assert line.funds is None
            continue
        funds = line.funds
        assert funds.status == status_of[report.status]
        assert funds.project_id == report.project_id
        assert (funds.source, funds.amount, funds.arrived_on) == (line.source, line.amount, line.arrived_on)
        assert funds.currency == ("USD" if line.source == "foreign" else "CNY")
        assert (funds.verified_at is not None) == (funds.status == FundsStatus.VERIFIED)
        assert funds.note.endswith("进展报告")
        seen[funds.status] += 1
    assert seen[FundsStatus.VERIFIED] > 0 and seen[FundsStatus.REPORTED] > 0


def test_what_reports_and_activities_count_for_is_what_the_application_counts(
    generated: dict[str, Any],
) -> None:
    """A recount by the application's services: each project's ledger (reports included) is what
    ``implied`` says, syncing appends nothing, activities are what ``implied_by_activity`` says, and
    the totals are the ledger's (``rebuild_rollups --check``)."""
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {Kind.INVESTMENT, Kind.FACTORY_AREA, Kind.VISITORS, Kind.TRIPS} <= kinds
    reporting = Project.objects.filter(progress_reports__status__in=FILED, progress_reports__investment__gt=0)
    sample = list(reporting.distinct().order_by("pk")[::7])
    assert len(sample) > 10
    for project in sample:
        assert ledger.implied(project) == ledger.recorded(project)
        assert ledger.sync(project) == 0
    assert ledger.activity_mismatches() == []
    assert ledger.mismatches(ledger.totals_from_ledger()) == []


def test_activities_about_three_per_ten_projects_of_every_kind(generated: dict[str, Any]) -> None:
    today = timezone.localdate()
    activities = Activity.objects.all()
    assert abs(activities.count() - 0.3 * PROJECTS) <= 2
    kinds = Counter(activities.values_list("kind", flat=True))
    assert {ActivityKind.VISIT, ActivityKind.TRIP, ActivityKind.INQUIRY, ActivityKind.FAIR} <= set(kinds)
    assert not activities.filter(kind=ActivityKind.VISIT, people__isnull=True).exists()
    assert not activities.filter(starts_on__gt=today).exists()
    assert Activity.projects.through.objects.count() > 0.3 * activities.count()
    assert not InquiryStep.objects.exclude(activity__kind=ActivityKind.INQUIRY).exists()
    order = [Step.RESPONSE, Step.ASSESSMENT, Step.FEEDBACK]
    for inquiry in activities.filter(kind=ActivityKind.INQUIRY).prefetch_related("steps"):
        steps = sorted(inquiry.steps.all(), key=lambda s: order.index(s.step))
        assert [s.step for s in steps] == order[: len(steps)]  # no step without the one before
        assert [s.done_on for s in steps] == sorted(s.done_on for s in steps)
        assert all(inquiry.starts_on <= s.done_on <= today for s in steps)
    assert InquiryStep.objects.exists()


def _digest() -> list[Any]:
    return [
        list(Entry.objects.order_by("round_id", "project_id").values_list("round_id", "project_id", "stage")),
        list(
            Report.objects.order_by("pk").values_list(
                "round_id",
                "project_id",
                "status",
                "investment",
                "factory_area",
                "progress_percent",
                "submitted_on",
            )
        ),
        list(FundsLine.objects.order_by("pk").values_list("report_id", "source", "amount", "arrived_on")),
        list(Activity.objects.order_by("pk").values_list("kind", "unit_id", "title", "starts_on", "people")),
        list(InquiryStep.objects.order_by("pk").values_list("activity_id", "step", "done_on")),
    ]


def test_the_same_seed_generates_the_same_reports_and_activities(db: Any) -> None:
    digests = []
    for seed in (9, 9, 10):
        with transaction.atomic():
            generate(150, seed=seed, provinces=1)
            digests.append(_digest())
            transaction.set_rollback(True)
    assert digests[0] == digests[1]
    assert digests[0][1] and digests[0][3]
    assert digests[0] != digests[2]


def test_moved_is_money_figures_or_progress_beyond_the_last_filed_report() -> None:
    assert not moved(Decimal(0), None, False, 30, 30)
    assert moved(Decimal(0), None, False, 31, 30)
    assert moved(Decimal(0), None, False, 1, None)
    assert moved(Decimal("0.0001"), None, False, 0, 50)
    assert moved(Decimal(0), Decimal(10), False, 0, 50)
    assert moved(Decimal(0), None, True, 0, 50)


def test_the_bench_raw_group_by_restates_report_and_activity_figures(
    generated: dict[str, Any], tmp_path: Path
) -> None:
    """The bench's reference covers the new kinds: equal to the roll-up, and different as soon as a
    report or activity changes behind the ledger's back."""
    if connection.vendor != "postgresql":
        pytest.skip("the raw GROUP BY of the benchmark is PostgreSQL and DuckDB SQL")
    from zhaoshang.scale.bench import DuckRaw, postgres_raw, rollup

    year = timezone.localdate().year
    nation = Unit.objects.get(code=NATION_CODE)
    figures = rollup(nation, year)
    for kind in (Kind.INVESTMENT, Kind.FACTORY_AREA, Kind.VISITORS, Kind.TRIPS):
        assert figures[kind] != (0, 0), kind
    assert postgres_raw(nation, year) == figures
    assert DuckRaw(tmp_path)(nation, year) == figures

    this_year = {"round__due_on__year": year, "status": ReportStatus.VERIFIED}
    report = Report.objects.filter(investment__gt=0, factory_area__gt=0, **this_year).first()
    Report.objects.filter(pk=report.pk).update(
        investment=F("investment") + 1, factory_area=F("factory_area") + 1
    )
    raw = postgres_raw(nation, year)
    assert raw[Kind.INVESTMENT][0] == figures[Kind.INVESTMENT][0] + 1
    assert raw[Kind.FACTORY_AREA][0] == figures[Kind.FACTORY_AREA][0] + 1
    visit = Activity.objects.filter(kind=ActivityKind.VISIT, starts_on__year=year).first()
    Activity.objects.filter(pk=visit.pk).update(people=F("people") + 2)
    trip = Activity.objects.filter(kind=ActivityKind.TRIP, starts_on__year=year).first()
    Activity.objects.filter(pk=trip.pk).update(kind=ActivityKind.INQUIRY)
    raw = postgres_raw(nation, year)
    assert raw[Kind.VISITORS][0] == figures[Kind.VISITORS][0] + 2
    assert raw[Kind.TRIPS][0] == figures[Kind.TRIPS][0] - 1
    assert FundsArrival.objects.filter(report_line__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
def test_the_burst_submits_and_verifies_reports_and_leaves_the_totals_right() -> None:
    """The bench's burst through the dispatch services (on PostgreSQL from two processes): every
    report ends verified with its funds, no error, and the totals of the touched units (and, on
    PostgreSQL, the nation against the raw GROUP BY) agree with the ledger."""
    from zhaoshang.scale.bench import (
        BURST_FUNDS,
        BURST_INVESTMENT,
        bench_user,
        bench_verifier,
        burst,
        burst_scopes,
        ready_reports,
        totals_agree,
    )

    generate(300, seed=4, provinces=1)
    year = timezone.localdate().year
    user = bench_user()
    _scope, counties, _per_county = burst_scopes(100)[0]
    county = counties[0]
    verifier = bench_verifier(counties)
    n = 8
    before = ledger.subtree_figures(county, year)
    reports = ready_reports(Entry.objects.filter(round__county=county), n, user, verifier)
    assert len(reports) == n
    postgres = connection.vendor == "postgresql"
    # on PostgreSQL in forked writer processes, as the bench runs it (the test database of SQLite
    # may live in memory, which a forked process does not share): first one report for three
    # processes (fewer reports than writers), then the others from two
    if postgres:
        results = [burst(user, verifier, reports[:1], 4, 3), burst(user, verifier, reports[1:], 4, 2)]
    else:
        results = [burst(user, verifier, reports, threads=1)]
    for result in results:
        assert result["errors"] == [] and result["deadlocks"] == 0 and result["writes_per_s"] > 0
    done = Report.objects.filter(pk__in=reports)
    assert set(done.values_list("status", flat=True)) == {ReportStatus.VERIFIED}
    assert set(done.values_list("submitted_by", flat=True)) == {user.pk}
    assert set(done.values_list("decided_by", flat=True)) == {verifier.pk}
    funds = FundsArrival.objects.filter(report_line__report__in=reports, amount=BURST_FUNDS)
    assert funds.count() == n and set(funds.values_list("status", flat=True)) == {FundsStatus.VERIFIED}
    after = ledger.subtree_figures(county, year)
    zero = (Decimal(0), Decimal(0))
    gained = {
        k: after.get(k, zero)[0] - before.get(k, zero)[0] for k in (Kind.INVESTMENT, Kind.FUNDS_DOMESTIC)
    }
    assert gained[Kind.INVESTMENT] == n * BURST_INVESTMENT
    stated = FundsArrival.objects.filter(
        report_line__report__in=reports, source="domestic", arrived_on__year=year, status=FundsStatus.VERIFIED
    )
    assert gained[Kind.FUNDS_DOMESTIC] == sum(stated.values_list("amount", flat=True)) >= n * BURST_FUNDS
    touched = set(Project.objects.filter(progress_reports__in=reports).values_list("unit_id", flat=True))
    assert totals_agree(touched | {county.pk})
    assert ledger.mismatches(ledger.totals_from_ledger()) == []
    if postgres:
        from zhaoshang.scale.bench import postgres_raw, rollup

        nation = Unit.objects.get(code=NATION_CODE)
        assert rollup(nation, year) == postgres_raw(nation, year)


def test_generated_rows_satisfy_every_foreign_key(generated: dict[str, Any]) -> None:
    """On PostgreSQL as a superuser the generator writes without the foreign key triggers and checks
    the keys itself; either way, every key of every table it wrote names a row."""
    from django.apps import apps

    from zhaoshang.scale.generate import foreign_key_problems

    tables = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    written = [tables[t] for t in generated["rows"]]
    assert {Entry, Report, FundsLine, Activity, InquiryStep} <= set(written)
    assert foreign_key_problems(written) == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('is_superuser')")
            superuser = cursor.fetchone()[0] == "on"
        assert generated["foreign_keys"] == (
            "checked by the generator" if superuser else "checked by the database"
        )


def test_the_foreign_key_check_finds_a_row_naming_no_row(db: Any) -> None:
    from zhaoshang.scale.generate import foreign_key_problems

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:  # the key is checked at commit, which a test never reaches
        cursor.execute(
            f"INSERT INTO {quote(InquiryStep._meta.db_table)} "
            "(activity_id, step, done_on, done_by_name, note, recorded_at) "
            "VALUES (987654, 'response', '2026-01-05', '', '', '2026-01-05 10:00:00+00')"
        )
    assert foreign_key_problems([InquiryStep]) == [
        "activities_inquirystep.activity_id: 1 rows name no activities_activity row"
    ]
    InquiryStep.objects.filter(activity_id=987654).delete()
    assert foreign_key_problems([InquiryStep]) == []


def test_the_bench_opens_every_other_list_as_the_user_of_each_level(generated: dict[str, Any]) -> None:
    """One line per list page, each with a figure for every level; every request must answer 200
    (``get_latency`` asserts it), so a list that breaks at scale or for one level stops the bench."""
    from zhaoshang.scale.bench import OTHER_LISTS, levels, other_list_lines

    at_levels = levels()
    lines = other_list_lines(at_levels, reps=1)
    assert [line.what.split(" page ")[0] for line in lines] == [name for name, _path in OTHER_LISTS]
    for line in lines:
        assert [part.split()[0] for part in line.figure.removesuffix(" ms").split(" / ")] == [
            level for level, _unit in at_levels
        ]
