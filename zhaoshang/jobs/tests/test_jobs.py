"""Jobs: queued in the caller's transaction, run by the worker with their progress, failed with
their error and retried, scheduled once a day, seen only in the unit's subtree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.errors import ValidationError
from zhaoshang.core.permissions import Role
from zhaoshang.jobs import services
from zhaoshang.jobs.models import Heartbeat, Job, JobStatus
from zhaoshang.jobs.registry import job
from zhaoshang.jobs.testing import run_queued

ATTEMPTS: list[int] = []


@job("tests.count", label="数一数")
def count_to(run: Job, upto: int, fail_first: bool = False) -> str:
    ATTEMPTS.append(run.pk)
    if fail_first and run.attempts == 1:
        raise RuntimeError("第一次失败")
    for i in range(1, upto + 1):
        services.progress(run, i, upto, f"第{i}项")
    run.output.save("结果.txt", ContentFile("完成".encode()))
    return f"数到{upto}"


@pytest.fixture(autouse=True)
def no_schedule(settings: Any) -> None:
    settings.JOBS_SCHEDULE = {}
    ATTEMPTS.clear()


def test_a_job_runs_on_the_worker_with_its_progress_and_output(cast):
    queued = services.enqueue("tests.count", unit=cast.town_a, by=cast.operator_a, params={"upto": 3})
    assert queued.status == JobStatus.QUEUED and queued.task_id
    assert ATTEMPTS == []  # nothing runs inside the caller
    run_queued()
    queued.refresh_from_db()
    assert (queued.status, queued.done, queued.total, queued.message) == (JobStatus.SUCCEEDED, 3, 3, "数到3")
    assert queued.attempts == 1 and queued.started_at <= queued.finished_at
    assert queued.output.read().decode() == "完成"


def test_a_job_queued_in_a_rolled_back_transaction_never_runs(cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enqueue("tests.count", unit=cast.town_a, params={"upto": 1})
        raise RuntimeError("rolled back")
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()
    run_queued()
    assert ATTEMPTS == []


def test_an_unknown_kind_is_refused(cast):
    with pytest.raises(LookupError):
        services.enqueue("tests.nothing")


def test_a_failed_job_keeps_its_error_and_a_retry_runs_it_again(cast):
    queued = services.enqueue("tests.count", unit=cast.town_a, params={"upto": 2, "fail_first": True})
    run_queued()
    queued.refresh_from_db()
    assert queued.status == JobStatus.FAILED and queued.message == "第一次失败"
    assert "RuntimeError" in queued.error and queued.finished_at
    with pytest.raises(PermissionDenied):
        services.retry(queued, by=cast.operator_b)  # another township
    services.retry(queued, by=cast.operator_a)
    with pytest.raises(ValidationError):
        services.retry(queued, by=cast.operator_a)  # queued already
    run_queued()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.error, queued.done) == (JobStatus.SUCCEEDED, 2, "", 2)
    assert len(ATTEMPTS) == 2


def test_a_stale_task_of_a_job_already_run_does_nothing(cast):
    queued = services.enqueue("tests.count", unit=cast.town_a, params={"upto": 1})
    run_queued()
    assert services.execute(queued.pk) == "skipped" and len(ATTEMPTS) == 1


def running(unit: Any, since: dt.datetime) -> Job:
    """A job its worker claimed at ``since`` and then stopped giving signs (killed mid-job)."""
    job_ = services.enqueue("tests.count", unit=unit, params={"upto": 1})
    Job.objects.filter(pk=job_.pk).update(status=JobStatus.RUNNING, started_at=since, progressed_at=since)
    return job_


def test_a_job_whose_worker_died_is_failed_by_the_scheduler_and_can_be_retried(cast, settings):
    settings.JOBS_STALE_MINUTES = 60
    now = timezone.now()
    dead = running(cast.town_a, now - dt.timedelta(minutes=61))
    alive = running(cast.town_a, now - dt.timedelta(minutes=59))
    services.tick(now)
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and "60" in dead.message and dead.finished_at == now
    assert alive.status == JobStatus.RUNNING
    services.retry(dead, by=cast.operator_a)
    run_queued()
    dead.refresh_from_db()
    assert dead.status == JobStatus.SUCCEEDED


def test_progress_is_a_sign_of_life_and_zero_never_sweeps(cast, settings):
    settings.JOBS_STALE_MINUTES = 60
    long_ago = timezone.now() - dt.timedelta(hours=5)
    slow = running(cast.town_a, long_ago)
    services.progress(slow, 1, 10)
    assert services.sweep() == 0
    settings.JOBS_STALE_MINUTES = 0
    silent = running(cast.town_a, long_ago)
    assert services.sweep() == 0
    silent.refresh_from_db()
    assert silent.status == JobStatus.RUNNING
    settings.JOBS_STALE_MINUTES = 60
    assert services.sweep() == 1
    # a job claimed before progressed_at existed: its start is its last sign
    older = running(cast.town_a, long_ago)
    Job.objects.filter(pk=older.pk).update(progressed_at=None)
    assert services.sweep() == 1


def test_a_key_queues_a_job_once(cast):
    first, new = services.enqueue_once("tests.count", params={"upto": 1}, key="k")
    again, new_again = services.enqueue_once("tests.count", params={"upto": 1}, key="k")
    assert (first.pk, new, new_again) == (again.pk, True, False)
    assert DBTaskResult.objects.count() == 1


def at(hour: int, minute: int = 0, day: dt.date = dt.date(2026, 3, 10)) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_the_scheduler_queues_each_daily_job_once_a_day_at_its_time(cast, settings):
    settings.JOBS_SCHEDULE = {
        name: None
        for name in (
            "jobs.prune",
            "dispatch.open_rounds",
            "investors.follow_ups",
            "coordination.deadlines",
            "enterprises.visit_reminders",
        )
    }
    assert services.tick(at(7, 59)) == []
    kinds = [j.kind for j in services.tick(at(8, 0))]
    assert kinds == ["dispatch.reminders"]
    assert services.tick(at(8, 10)) == []  # a later turn of the same day
    assert [j.kind for j in services.tick(at(9, 0))] == ["inspections.deadlines"]  # its time is 08:15
    assert Job.objects.filter(kind="dispatch.reminders").count() == 1
    assert Job.objects.get(kind="dispatch.reminders").params == {"today": "2026-03-10"}
    # The next day, again once.
    services.tick(at(8, 1, dt.date(2026, 3, 11)))
    assert Job.objects.filter(kind="dispatch.reminders").count() == 2
    assert not Job.objects.filter(kind__in=["jobs.prune", "dispatch.open_rounds"]).exists()  # off


def test_a_schedule_setting_moves_a_daily_job(cast, settings):
    settings.JOBS_SCHEDULE = {"dispatch.reminders": dt.time(6, 30)}
    assert "dispatch.reminders" in [j.kind for j in services.tick(at(6, 31))]


def test_all_due_today_queues_every_daily_job_at_once_and_they_run(cast):
    queued = services.tick(at(1, 0), all_due_today=True)
    assert {j.kind for j in queued} == {
        "coordination.deadlines",
        "dispatch.open_rounds",
        "dispatch.reminders",
        "enterprises.visit_reminders",
        "inspections.deadlines",
        "investors.follow_ups",
        "jobs.prune",
    }
    run_queued()
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.SUCCEEDED}


def test_the_worker_and_the_scheduler_leave_a_sign_of_life(cast):
    services.tick(at(1, 0))
    services.tick(at(1, 1))  # the ping queued before is still waiting: not queued twice
    assert Heartbeat.objects.get(name="scheduler").at == at(1, 1)
    assert not Heartbeat.objects.filter(name="worker").exists()
    run_queued()
    assert services.last_beat("worker") is not None


def test_run_schedule_once_queues_the_jobs_due(cast, settings):
    settings.JOBS_SCHEDULE = {}
    call_command("run_schedule", "--once", "--all-due-today", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Job.objects.filter(kind="dispatch.reminders", key__startswith="daily:").exists()


def test_prune_forgets_old_finished_jobs_and_their_files(cast, settings):
    settings.JOBS_KEEP_DAYS = 30
    old = services.enqueue("tests.count", unit=cast.town_a, params={"upto": 1})
    running = services.enqueue("tests.count", unit=cast.town_a, params={"upto": 1})
    run_queued()
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING)
    Job.objects.filter(pk__in=[old.pk, running.pk]).update(created_at=timezone.now() - dt.timedelta(days=31))
    old.refresh_from_db()
    storage, name = old.output.storage, old.output.name
    services.enqueue("jobs.prune")
    run_queued()
    assert not Job.objects.filter(pk=old.pk).exists() and not storage.exists(name)
    assert Job.objects.filter(pk=running.pk).exists()


# ----------------------------------------------------------------------------------- the pages


@pytest.fixture
def jobs_of_two_towns(cast):
    a = services.enqueue("tests.count", unit=cast.town_a, params={"upto": 1, "fail_first": True})
    b = services.enqueue("tests.count", unit=cast.town_b, params={"upto": 1})
    system = services.enqueue("tests.count", params={"upto": 1})
    run_queued()
    return a, b, system


def test_the_jobs_page_shows_the_units_own_jobs_only(client, cast, jobs_of_two_towns):
    a, b, system = jobs_of_two_towns
    client.force_login(cast.operator_a)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[a.pk]) in page
    assert reverse("jobs:detail", args=[b.pk]) not in page
    assert reverse("jobs:detail", args=[system.pk]) not in page
    for other in (b, system):
        assert client.get(reverse("jobs:detail", args=[other.pk])).status_code == 404
        assert client.get(reverse("jobs:output", args=[other.pk])).status_code == 404
        assert client.post(reverse("jobs:retry", args=[other.pk])).status_code == 404
    detail = client.get(reverse("jobs:detail", args=[a.pk])).content.decode()
    assert "第一次失败" in detail and 'data-testid="job-retry"' in detail and "RuntimeError" in detail


def test_the_county_sees_its_townships_jobs_and_a_stranger_none(client, cast, jobs_of_two_towns):
    a, b, system = jobs_of_two_towns
    client.force_login(cast.admin)
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[a.pk]) in page and reverse("jobs:detail", args=[b.pk]) in page
    assert reverse("jobs:detail", args=[system.pk]) not in page  # the deployment's own jobs
    client.force_login(cast.stranger)
    assert client.get(reverse("jobs:detail", args=[a.pk])).status_code == 404


def test_the_deployments_jobs_are_seen_by_those_over_the_whole_tree(client, cast, jobs_of_two_towns):
    _a, _b, system = jobs_of_two_towns
    national = User.objects.create_user(username="nation", password="x", display_name="省管理员")
    Membership.objects.create(user=national, unit=cast.province, role=Role.BUREAU_ADMIN)
    client.force_login(national)
    assert client.get(reverse("jobs:detail", args=[system.pk])).status_code == 200
    response = client.get(reverse("jobs:output", args=[system.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).decode() == "完成"


def test_a_leader_reads_a_job_but_may_not_retry_it(client, cast, jobs_of_two_towns):
    a, _b, _system = jobs_of_two_towns
    client.force_login(cast.leader)
    detail = client.get(reverse("jobs:detail", args=[a.pk])).content.decode()
    assert "第一次失败" in detail and 'data-testid="job-retry"' not in detail and "Traceback" not in detail
    assert client.post(reverse("jobs:retry", args=[a.pk])).status_code == 403
    a.refresh_from_db()
    assert a.status == JobStatus.FAILED


def test_retrying_from_the_page_queues_the_job_again(client, cast, jobs_of_two_towns):
    a, _b, _system = jobs_of_two_towns
    client.force_login(cast.operator_a)
    response = client.post(reverse("jobs:retry", args=[a.pk]), follow=True)
    assert "重新" in response.content.decode() or "queued again" in response.content.decode()
    run_queued()
    a.refresh_from_db()
    assert a.status == JobStatus.SUCCEEDED


def test_the_health_url_fails_until_the_scheduler_and_the_worker_run(client, cast, settings):
    settings.JOBS_MAX_SILENCE_MINUTES = 10
    settings.BACKUP_MAX_AGE_HOURS = 0

    def jobs_check() -> dict[str, Any]:
        return client.get("/healthz").json()["checks"]["jobs"]

    assert jobs_check()["detail"] == "the scheduler is not running"
    services.tick()
    assert jobs_check()["detail"] == "the job worker is not running"
    run_queued()
    assert jobs_check()["ok"] and client.get("/healthz").status_code == 200
    late = services.enqueue("tests.count", params={"upto": 1})
    Job.objects.filter(pk=late.pk).update(created_at=timezone.now() - dt.timedelta(minutes=11))
    assert jobs_check()["detail"] == "jobs are waiting too long for the worker"
    assert client.get("/healthz").status_code == 503
    Heartbeat.objects.update(at=timezone.now() - dt.timedelta(minutes=11))
    assert not jobs_check()["ok"]
