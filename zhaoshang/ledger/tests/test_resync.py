"""resync_ledger: projects recorded before a counting rule existed get its events, once."""

from __future__ import annotations

import datetime as dt
import io

from django.core.management import call_command

from zhaoshang.ledger.models import Event, Total
from zhaoshang.ledger.services import mismatches, rebuild_totals, totals_from_ledger


def test_a_project_recorded_before_the_counts_by_date_gets_them_once(cast):
    project = cast.project(first_contact_on=dt.date(2024, 2, 1))
    other = cast.project(name="邻县项目", unit=cast.other_town, first_contact_on=dt.date(2024, 3, 1))
    # as an older release left it: no lead events, the totals made from what there was
    Event.objects.filter(kind="leads").delete()
    rebuild_totals()
    assert not Total.objects.filter(kind="leads").exists()
    out = io.StringIO()
    call_command("resync_ledger", "--unit", cast.county.code, stdout=out)
    assert "synced 1 projects: 1 events appended" in out.getvalue()
    assert Event.objects.get(kind="leads").project_id == project.pk  # the other county's is not touched
    county = Total.objects.get(unit=cast.county, kind="leads", year=2024, month=Total.YEAR)
    assert county.verified == 1
    assert mismatches(totals_from_ledger()) == []
    out = io.StringIO()
    call_command("resync_ledger", stdout=out)
    from zhaoshang.projects.models import Project

    assert f"synced {Project.objects.count()} projects: 1 events appended" in out.getvalue()
    assert Event.objects.filter(kind="leads", project=other).count() == 1
    call_command("resync_ledger", stdout=(again := io.StringIO()))
    assert again.getvalue().strip().endswith("0 events appended")
