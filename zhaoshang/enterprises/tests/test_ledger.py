"""Quarterly returns reach the ledger (``ledger.counting.return_figures``): only a key enterprise's
verified returns, in the quarter's last month; jobs as the change of headcount within the year;
events never changed, corrections appended; resync and the check of the roll-ups know them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhaoshang.enterprises import services
from zhaoshang.enterprises.figures import totals
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.helpers import enterprise
from zhaoshang.ledger.drilldown import Period, records_behind
from zhaoshang.ledger.models import Event, Indicator, Total
from zhaoshang.ledger.services import rebuild_totals, return_mismatches, subtree_figures

YEAR = dt.date.today().year - 1
KINDS = ("ent_output", "ent_sales", "ent_tax", "ent_jobs")


def report(e, quarter, jobs, *, output="100", verified=True, year=YEAR):
    record, _outcome = services.record_return(
        e,
        by=None,
        year=year,
        quarter=quarter,
        output=Decimal(output),
        sales=Decimal(output) / 2,
        tax=Decimal(output) / 10,
        jobs=jobs,
        verified=verified,
    )
    return record


def figure(cast, kind, month, year=YEAR):
    return subtree_figures(cast.county, year, range(1, month + 1), [kind]).get(kind, (Decimal(0),))[0]


def test_a_verified_return_counts_in_the_quarters_last_month_for_the_enterprises_unit(cast):
    e = enterprise(cast, 1, key=True)
    report(e, 2, 40, output="120.5")
    events = {ev.kind: ev for ev in Event.objects.filter(kind__in=KINDS)}
    assert {(ev.unit_id, ev.year, ev.month, ev.verified) for ev in events.values()} == {
        (cast.town_a.pk, YEAR, 6, True)
    }
    assert (events["ent_output"].amount, events["ent_tax"].amount, events["ent_jobs"].amount) == (
        Decimal("120.5"),
        Decimal("12.05"),
        Decimal(40),
    )
    assert events["ent_output"].project_id is None and events["ent_output"].source.startswith("return:")
    county = Total.objects.get(unit=cast.county, kind="ent_output", year=YEAR, month=6)
    assert county.verified == Decimal("120.5")


def test_a_reported_or_returned_return_and_a_non_key_enterprise_count_nothing(cast):
    e = enterprise(cast, 1, key=True)
    pending = report(e, 1, 10, verified=False)
    services.return_return(pending, by=None, reason="数据有误")
    report(e, 2, 12, verified=False)
    report(enterprise(cast, 2, key=False), 1, 30)
    assert not Event.objects.filter(kind__in=KINDS).exists()


def test_jobs_count_the_change_so_that_a_sum_is_the_latest_headcount_even_when_verified_late(cast):
    e = enterprise(cast, 1, key=True)
    report(e, 1, 50)
    late = report(e, 2, 60, verified=False)
    report(e, 3, 80)
    assert [figure(cast, "ent_jobs", m) for m in (3, 6, 9, 12)] == [50, 50, 80, 80]
    recorded = list(Event.objects.order_by("pk").values_list("pk", "amount"))
    services.verify_return(late, by=None)
    # the earlier events stay as they were: the third quarter's change 30 becomes 20 by a further event
    assert (
        list(Event.objects.filter(pk__in=[pk for pk, _a in recorded]).values_list("pk", "amount")) == recorded
    )
    assert [figure(cast, "ent_jobs", m) for m in (3, 6, 9, 12)] == [50, 60, 80, 80]
    # a new year starts from its own first headcount
    report(e, 1, 75, year=YEAR + 1)
    assert figure(cast, "ent_jobs", 3, year=YEAR + 1) == 75
    county = Enterprise.objects.filter(pk=e.pk)
    for quarter in (1, 2, 3, 4):
        assert (
            figure(cast, "ent_jobs", 3 * quarter)
            == totals(county, YEAR, up_to_quarter=quarter, key_only=True).jobs
        )


def test_the_key_flag_brings_the_returns_in_and_takes_them_back(cast):
    e = enterprise(cast, 1, key=False)
    report(e, 1, 10)
    report(e, 4, 14)
    assert figure(cast, "ent_output", 12) == 0
    services.update_enterprise(e, by=None, data={"key": True})
    assert (figure(cast, "ent_output", 12), figure(cast, "ent_jobs", 12)) == (Decimal(200), Decimal(14))
    services.update_enterprise(e, by=None, data={"key": False})
    assert (figure(cast, "ent_output", 12), figure(cast, "ent_jobs", 12)) == (0, 0)
    output = Indicator.objects.get(code="key_enterprise_output")
    assert records_behind(output, cast.county, Period.of(YEAR)).count == 0  # added up to nothing
    assert Event.objects.filter(kind="ent_output").count() == 4  # two in, two taken back


def test_a_line_names_only_the_returns_the_user_may_open(cast):
    report(enterprise(cast, 1, key=True), 1, 10)
    report(enterprise(cast, 2, unit=cast.town_b, key=True), 1, 20)
    jobs = Indicator.objects.get(code="key_enterprise_jobs")
    result = records_behind(jobs, cast.county, Period.of(YEAR), user=cast.operator_a)
    assert result.verified == 30
    by_amount = {line.verified: line for line in result.lines}
    own = Enterprise.objects.get(name="外来企业1")
    assert "外来企业1" in by_amount[10].label and by_amount[10].url == own.get_absolute_url()
    assert by_amount[10].on == dt.date(YEAR, 3, 31)
    assert "外来企业2" not in by_amount[20].label and by_amount[20].url == ""


def test_resync_brings_old_returns_in_once_and_the_check_sees_them(cast):
    e = enterprise(cast, 1, key=True)
    report(e, 1, 10)
    report(e, 2, 16)
    # as a release before the returns reached the ledger left it
    Event.objects.filter(kind__in=KINDS).delete()
    rebuild_totals()
    assert len(return_mismatches()) == 2
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--check", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("resync_ledger", stdout=out)
    assert "synced the returns of 1 enterprises: 8 events appended" in out.getvalue()
    call_command("resync_ledger", stdout=(again := io.StringIO()))
    assert again.getvalue().strip().endswith("0 events appended")
    assert "synced the returns of 1 enterprises: 0 events appended" in again.getvalue()
    call_command("rebuild_rollups", "--check", stdout=(check := io.StringIO()))
    assert check.getvalue().startswith("OK")
    assert figure(cast, "ent_jobs", 12) == 16
