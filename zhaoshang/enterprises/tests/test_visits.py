"""Service visits (走访): a visit's problems become a request of the coordination flow; the list of
enterprises not visited this quarter; the reminder before the quarter ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import override

from zhaoshang.accounts.models import Membership, User
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.permissions import Role
from zhaoshang.enterprises import services
from zhaoshang.enterprises.jobs import remind_unvisited
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.tests.helpers import enterprise
from zhaoshang.notifications.models import Notification


@pytest.fixture(autouse=True)
def english():
    with override("en"):
        yield


@pytest.fixture
def steward(cast):
    user = User.objects.create_user(username="baolian", password="x", display_name="包联干部")
    Membership.objects.create(user=user, unit=cast.town_a, role=Role.STEWARD)
    return user


def test_a_stewards_visit_with_a_problem_raises_a_request_of_the_enterprises_unit(cast, steward):
    made = services.register_enterprise(
        by=None, data={"name": "温州鞋业", "unit": cast.town_a}, stewards=[steward]
    )
    today = dt.date.today()
    visit = services.record_visit(
        made,
        by=steward,
        visited_on=today,
        visitors="包联干部",
        findings="生产正常",
        problems="招工难，需人社局协调",
    )
    request = CoordinationRequest.objects.get()
    assert visit.request == request and request.unit == cast.town_a and request.status == "submitted"
    assert request.description == "招工难，需人社局协调" and request.source == f"enterprise-visit:{visit.pk}"
    quiet = services.record_visit(made, by=steward, visited_on=today, visitors="包联干部", findings="正常")
    assert quiet.request is None and CoordinationRequest.objects.count() == 1


def test_the_other_townships_operator_and_the_leader_may_not_record_visits(cast):
    made = enterprise(cast, 1)
    for user in (cast.operator_b, cast.leader):
        with pytest.raises(PermissionDenied):
            services.record_visit(made, by=user, visited_on=dt.date.today(), visitors="x", findings="x")


def test_the_list_of_enterprises_not_visited_this_quarter(client, cast):
    visited, forgotten = enterprise(cast, 101), enterprise(cast, 102)
    today = dt.date.today()
    first, _last = services.quarter_bounds(*services.current_quarter(today))
    services.record_visit(visited, by=None, visited_on=today, visitors="x", findings="x")
    services.record_visit(
        forgotten, by=None, visited_on=first - dt.timedelta(days=1), visitors="x", findings="x"
    )
    assert list(services.unvisited(Enterprise.objects.all(), today)) == [forgotten]
    client.force_login(cast.admin)
    page = client.get(reverse("enterprises:list"), {"unvisited": "true"}).content.decode()
    assert "外来企业102" in page and "外来企业101" not in page


@pytest.mark.parametrize(
    ("day", "quarter_end"),
    [(dt.date(2026, 3, 16), dt.date(2026, 3, 31)), (dt.date(2025, 12, 16), dt.date(2025, 12, 31))],
)
def test_stewards_of_unvisited_enterprises_are_reminded_once_in_the_last_15_days(
    cast, steward, day, quarter_end
):
    made = services.register_enterprise(
        by=None, data={"name": "温州鞋业", "unit": cast.town_a}, stewards=[steward]
    )
    assert services.quarter_bounds(*services.current_quarter(day))[1] == quarter_end
    assert remind_unvisited(day - dt.timedelta(days=1)) == 0  # 16 days before: not yet
    assert remind_unvisited(day) == 1
    assert remind_unvisited(day + dt.timedelta(days=1)) == 0  # once a quarter
    note = Notification.objects.get(recipient=steward)
    assert "温州鞋业" in note.title and note.link == reverse("enterprises:detail", args=[made.pk])


def test_a_visited_enterprise_is_not_reminded_and_the_job_runs_from_the_queue(cast, steward):
    from zhaoshang.jobs.services import enqueue
    from zhaoshang.jobs.testing import run_queued

    made = services.register_enterprise(
        by=None, data={"name": "温州鞋业", "unit": cast.town_a}, stewards=[steward]
    )
    services.record_visit(made, by=None, visited_on=dt.date(2026, 3, 2), visitors="x", findings="x")
    enqueue("enterprises.visit_reminders", unit=cast.county, params={"today": "2026-03-20"})
    run_queued()
    assert not Notification.objects.filter(recipient=steward).exists()


def test_the_visit_form_on_the_enterprise_page(client, cast, steward):
    made = services.register_enterprise(
        by=None, data={"name": "温州鞋业", "unit": cast.town_a}, stewards=[steward]
    )
    client.force_login(steward)
    page = client.get(reverse("enterprises:detail", args=[made.pk]))
    html = page.content.decode()
    assert html.count('data-testid="visit-form"') == 1 and html.count('data-testid="visits"') == 1
    title = html[html.index("<title>") : html.index("</title>")]
    assert "温州鞋业" in title and "<table" not in title  # the page's title is the name alone
    data = {
        "visited_on": dt.date.today().isoformat(),
        "visitors": "包联干部",
        "findings": "正常",
        "problems": "缺电",
    }
    assert client.post(reverse("enterprises:visit_add", args=[made.pk]), data).status_code == 302
    assert made.visits.get().request is not None


def test_the_reminder_window_is_the_setting(cast, steward, settings):
    """VISIT_REMIND_DAYS (from the environment) moves the first day of the reminders."""
    settings.VISIT_REMIND_DAYS = 5
    services.register_enterprise(by=None, data={"name": "温州鞋业", "unit": cast.town_a}, stewards=[steward])
    assert remind_unvisited(dt.date(2026, 3, 25)) == 0  # 6 days before the quarter's end
    assert remind_unvisited(dt.date(2026, 3, 26)) == 1
