"""``manage.py load_demo``: the demo county is complete, valid, reproducible and never overwrites data.

These tests build the demo themselves instead of using the ``cast`` fixture: the demo is a cast of
its own (示例省 / 示例市 / 示例县 with the same codes) and refuses a database that has units.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import translation

from zhaoshang.accounts.models import User
from zhaoshang.demo import demo
from zhaoshang.investors.models import Investor
from zhaoshang.projects.choices import Currency, Stage
from zhaoshang.projects.models import Approval, CreditShare, Project, StageChange, Steward
from zhaoshang.projects.services import check_project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit
from zhaoshang.units.services import create_unit

PROJECT_DATES = (
    "first_contact_on",
    "intent_on",
    "signed_on",
    "planned_start_on",
    "started_on",
    "completed_on",
    "operating_on",
    "dropped_on",
)
PIPELINE_DATES = ("first_contact_on", "intent_on", "signed_on", "started_on", "completed_on", "operating_on")


def load(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of everything the seed decides (dates aside, so that midnight cannot flip it)."""
    rows: list[object] = list(
        Unit.objects.order_by("code").values_list("code", "name", "kind", "parent__code")
    )
    rows += list(
        Investor.objects.order_by("name").values_list("name", "kind", "origin_country", "unit__code")
    )
    rows += list(
        Project.objects.order_by("code").values_list(
            "code", "name", "stage", "total_investment", "currency", "contracted_amount", "unit__code"
        )
    )
    rows += list(
        CreditShare.objects.order_by("project__code", "unit__code").values_list(
            "project__code", "unit__code", "share"
        )
    )
    rows += list(
        Steward.objects.order_by("project__code", "name").values_list("project__code", "name", "phone")
    )
    return hashlib.sha256(repr(rows).encode()).hexdigest()


SECOND_WAVE = ("assessment", "summaries", "ingest", "catalogue", "enterprises", "parks")


def wipe() -> None:
    """Empty the tables the demo fills, children before parents (units protect their children). The
    ledger is append-only for the application; a test may empty it with raw deletes of the tables."""
    from zhaoshang.coordination.models import CoordinationRequest
    from zhaoshang.dispatch.models import Calendar, Entry, FundsLine, Report, ReportFile, Round
    from zhaoshang.inspections.models import Inspection
    from zhaoshang.ledger.models import Event, FundsArrival, ManualEntry, Total
    from zhaoshang.targets.models import Target

    Target.objects.all().delete()
    CoordinationRequest.objects.all().delete()
    Inspection.objects.all().delete()
    for model in (FundsLine, ReportFile, Report, Entry, Round, Calendar):
        model._base_manager.all()._raw_delete(model._base_manager.db)
    for model in (Event, Total, FundsArrival, ManualEntry):
        model._base_manager.all()._raw_delete(model._base_manager.db)
    from django.apps import apps

    from zhaoshang.activities.models import Activity
    from zhaoshang.projects.models import ProjectCodeSequence

    # The apps of the second wave stand on projects, activities and units: their rows go first, by
    # raw deletes (a published ranking refuses a delete), each app's models in the reverse of their
    # order of definition (later models point at earlier ones; foreign keys are checked at commit).
    for label in SECOND_WAVE:
        for model in reversed(list(apps.get_app_config(label).get_models(include_auto_created=True))):
            model._base_manager.all()._raw_delete(model._base_manager.db)
    Activity.objects.all().delete()
    Project.objects.all().delete()
    ProjectCodeSequence.objects.all().delete()  # the codes' running numbers start again too
    Investor.objects.all().delete()
    User.objects.all().delete()
    for depth in sorted(set(Unit.objects.values_list("depth", flat=True)), reverse=True):
        Unit.objects.filter(depth=depth).delete()


def credit_totals() -> dict[int, Decimal]:
    """The sum of the credit shares of each project."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for project_id, share in CreditShare.objects.values_list("project_id", "share"):
        totals[project_id] += share
    return totals


def dates_in_the_database() -> list[dt.date]:
    found = [d for row in Project.objects.values_list(*PROJECT_DATES) for d in row if d is not None]
    found += list(Approval.objects.exclude(done_on=None).values_list("done_on", flat=True))
    found += list(StageChange.objects.values_list("changed_on", flat=True))
    return found


@pytest.mark.django_db
def test_it_builds_the_promised_county_at_the_default_size(today):
    output = load()

    kinds = defaultdict(int, {k: Unit.objects.filter(kind=k).count() for k in UnitKind.values})
    assert kinds[UnitKind.TOWNSHIP] >= 12
    assert (kinds[UnitKind.DEPARTMENT], kinds[UnitKind.RESIDENT_OFFICE], kinds[UnitKind.PARK]) == (8, 3, 2)
    for town in Unit.objects.filter(kind=UnitKind.TOWNSHIP):
        assert 2 <= town.children.count() <= 3
    assert Project.objects.count() == demo.DEFAULT_PROJECTS >= 300
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Investor.objects.count() == demo.INVESTOR_COUNT
    usd = Project.objects.filter(currency=Currency.USD)
    assert usd.exists()
    assert not usd.filter(investors__origin_country="中国").exists()
    overseas_only = Project.objects.exclude(investors__origin_country="中国")
    assert not overseas_only.filter(currency=Currency.CNY).exists()  # 境外 money is counted in USD
    shared = Project.objects.filter(credits__share__lt=100).distinct().count()
    assert 0.05 * Project.objects.count() < shared < 0.3 * Project.objects.count()
    totals = credit_totals()
    assert len(totals) == Project.objects.count()
    assert set(totals.values()) == {Decimal(100)}
    assert Approval.objects.filter(done=True).exists()
    assert "admin / Zhaoshang-2026" in " ".join(output.split())
    assert "示例县" in output
    assert all(d <= today for d in dates_in_the_database())


@pytest.mark.django_db
def test_every_project_obeys_the_ledger_rules():
    load("--projects", "40")

    totals = credit_totals()
    assert set(totals.values()) == {Decimal(100)}
    assert len(totals) == Project.objects.count()
    for project in Project.objects.select_related("unit", "park"):
        check_project(project)  # the services' own rules: stage dates and amounts, sector, park
        known = [getattr(project, f) for f in PIPELINE_DATES if getattr(project, f) is not None]
        assert known == sorted(known), project.code
        if project.currency == Currency.CNY:
            assert Decimal(500) <= project.total_investment <= Decimal(50000)
        else:
            assert Decimal(80) <= project.total_investment <= Decimal(3000)
        if project.land_mu is not None:
            assert Decimal(5) <= project.land_mu <= Decimal(500)
            assert 10 <= project.jobs <= 800
        assert 1 <= project.stewards.count() <= 2
        assert project.investors.count() == 1


@pytest.mark.django_db
def test_no_date_is_in_the_future_even_early_in_january(today):
    early = min(dt.date(today.year, 1, 2), today)

    demo.load_demo(projects=40, today=early)

    assert Project.objects.filter(first_contact_on__year=today.year).exists()  # the cap had work to do
    assert max(dates_in_the_database()) <= early


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_county_and_another_seed_does_not():
    load("--projects", "24", "--seed", "7")
    first = digest()
    wipe()
    load("--projects", "24", "--seed", "7")
    again = digest()
    wipe()
    load("--projects", "24", "--seed", "8")

    assert again == first
    assert digest() != first


@pytest.mark.django_db
def test_if_empty_leaves_a_loaded_database_untouched():
    load("--projects", "16")
    before = (digest(), User.objects.count(), StageChange.objects.count(), Approval.objects.count())

    output = load("--if-empty")

    lines = output.strip().splitlines()
    assert len(lines) == 1 + 1 + 4  # not loaded; how to log in; the four demo accounts
    assert "admin" in lines[2] and "Zhaoshang-2026" in lines[2]
    assert (digest(), User.objects.count(), StageChange.objects.count(), Approval.objects.count()) == before


@pytest.mark.django_db
def test_without_if_empty_it_refuses_a_database_that_has_units():
    create_unit(by=None, parent=None, kind=UnitKind.PROVINCE, name="真实省", code="420000")

    with translation.override("en"), pytest.raises(CommandError, match="already has units"):
        load()

    assert not Project.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_fewer_projects_than_stages():
    with pytest.raises(CommandError):
        load("--projects", "3")
    assert not Unit.objects.exists()


@pytest.mark.django_db
def test_the_demo_accounts_log_in(client):
    load("--projects", "8")

    for account in demo.ACCOUNTS:
        assert client.login(username=account.username, password=account.password), account.username
        client.logout()


@pytest.mark.django_db
def test_a_township_operator_sees_only_the_projects_of_its_township():
    load("--projects", "48")
    town_a = Unit.objects.get(code="990101001")
    operator = User.objects.get(username="town_a")

    visible = Project.objects.visible_to(operator)

    ours = Q(unit__path__startswith=town_a.path) | Q(credits__unit__path__startswith=town_a.path)
    assert visible.exists()
    assert set(visible.values_list("pk", flat=True)) == set(
        Project.objects.filter(ours).values_list("pk", flat=True)
    )
    assert visible.count() < Project.objects.count()
    assert not visible.filter(unit__code="990101002").exclude(credits__unit=town_a).exists()


@pytest.mark.django_db
def test_the_demo_has_funds_both_verified_and_reported_and_its_rollups_agree():
    from zhaoshang.ledger.models import Event, FundsArrival
    from zhaoshang.ledger.services import mismatches, return_mismatches, totals_from_ledger

    load("--projects", "48")
    statuses = set(FundsArrival.objects.values_list("status", flat=True))
    assert {"verified", "reported"} <= statuses
    assert mismatches(totals_from_ledger()) == []
    # the key enterprises' verified returns are in the ledger, as their rule implies
    assert Event.objects.filter(kind="ent_output", source__startswith="return:").exists()
    assert return_mismatches() == []
