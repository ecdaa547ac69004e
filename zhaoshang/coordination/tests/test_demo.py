"""The demo holds requests in every state and two quarters of inspections, all consistent."""

from __future__ import annotations

import pytest

from zhaoshang.coordination.choices import RequestStatus
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.deadlines import Light
from zhaoshang.demo import demo
from zhaoshang.inspections.models import Inspection, RectificationItem


@pytest.mark.django_db
def test_the_demo_has_requests_in_every_state_and_two_quarters_of_inspections(today):
    from zhaoshang.conftest import ensure_predefined_indicators

    ensure_predefined_indicators()
    demo.load_demo(projects=80, today=today)
    requests = list(CoordinationRequest.objects.all())
    assert len(requests) >= 12
    assert {r.status for r in requests} == set(RequestStatus.values)
    assert {r.light(today) for r in requests} >= {Light.RED, Light.DONE, None}
    for r in requests:
        assert r.raised_on <= today and (r.deadline is None or r.accepted_on <= r.deadline)
        assert r.activities.exists()
    assert CoordinationRequest.objects.filter(status="closed", rating__isnull=True).count() == 0
    assert len(set(Inspection.objects.values_list("year", "quarter"))) == 2
    assert set(RectificationItem.objects.values_list("status", flat=True)) == {
        "open",
        "rectified",
        "verified",
    }
