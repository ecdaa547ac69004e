"""The demo county's parks and landed enterprises."""

from __future__ import annotations

import datetime as dt

import pytest

from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.demo.demo import load_demo
from zhaoshang.enterprises import services
from zhaoshang.enterprises.figures import totals
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn, Visit
from zhaoshang.parks.models import IdleAsset, InfrastructureItem, ParkProfile

TODAY = dt.date(2026, 5, 20)


@pytest.mark.django_db
def test_the_demo_county_has_parks_forty_enterprises_two_years_of_returns_visits_and_idle_assets():
    load_demo(today=TODAY)
    assert Enterprise.objects.count() == 40
    assert Enterprise.objects.filter(project__isnull=False).exists()  # registered from projects
    assert 10 <= Enterprise.objects.filter(key=True).count() <= 20
    assert QuarterlyReturn.objects.filter(status="verified").count() == 40 * 7
    assert QuarterlyReturn.objects.filter(status="reported", year=2026, quarter=1).count() == 40
    assert totals(Enterprise.objects.all(), 2025, key_only=True).output > 0
    assert (
        Visit.objects.count() == 30
        and CoordinationRequest.objects.filter(source__startswith="enterprise-visit:").exists()
    )
    assert services.unvisited(Enterprise.objects.all(), TODAY).count() == 10
    assert ParkProfile.objects.count() >= 1 and InfrastructureItem.objects.exists()
    assert IdleAsset.objects.count() >= 4
    # On the map: every enterprise, park and project of the demo county has its place.
    from zhaoshang.projects.models import Project

    assert not Enterprise.objects.filter(longitude__isnull=True).exists()
    assert not ParkProfile.objects.filter(longitude__isnull=True).exists()
    assert not Project.objects.filter(longitude__isnull=True).exists()
