"""The one way to start, run, retry and schedule a job."""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from zhaoshang.core.errors import ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.jobs import registry
from zhaoshang.jobs.models import Heartbeat, Job, JobStatus

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User
    from zhaoshang.units.models import Unit

log = logging.getLogger(__name__)

ERROR_CHARS = 8000


def enqueue(
    kind: str,
    *,
    unit: Unit | None = None,
    by: User | None = None,
    params: dict[str, Any] | None = None,
    key: str | None = None,
) -> Job:
    """Queue a run of ``kind`` for ``unit`` (None: the whole deployment). The task is written in the
    caller's transaction, so work rolled back queues nothing. A ``key`` makes it once-only: the job
    queued under that key before is returned instead."""
    return enqueue_once(kind, unit=unit, by=by, params=params, key=key)[0]


def enqueue_once(
    kind: str,
    *,
    unit: Unit | None = None,
    by: User | None = None,
    params: dict[str, Any] | None = None,
    key: str | None = None,
) -> tuple[Job, bool]:
    """``enqueue``, also saying whether the job was queued now (False: found under its key)."""
    registry.kind(kind)
    if key is not None:
        found = Job.objects.filter(key=key).first()
        if found is not None:
            return found, False
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                unit=unit,
                requested_by=by if getattr(by, "pk", None) else None,
                params=params or {},
                key=key,
            )
            _submit(job)
    except IntegrityError:
        if key is None:
            raise
        return Job.objects.get(key=key), False  # queued meanwhile by another scheduler
    return job, True


def _submit(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def may_retry(user: User, job: Job) -> bool:
    if job.unit is None:
        return bool(user.is_active and Job.objects.visible_to(user, Action.EDIT).filter(pk=job.pk).exists())
    return user_can(user, Action.EDIT, job.unit, on=ObjectType.JOB)


def retry(job: Job, *, by: User) -> Job:
    """Queue a failed job again, with the same parameters; its progress starts over."""
    if not may_retry(by, job):
        raise PermissionDenied
    with transaction.atomic():
        job = for_update(Job.objects).get(pk=job.pk)
        if job.status != JobStatus.FAILED:
            raise ValidationError(_("Only a failed job can be retried."))
        job.status = JobStatus.QUEUED
        job.done, job.total, job.message, job.error = 0, None, "", ""
        job.started_at = job.finished_at = None
        job.save(update_fields=["status", "done", "total", "message", "error", "started_at", "finished_at"])
        _submit(job)
    return job


def progress(job: Job, done: int, total: int | None = None, message: str | None = None) -> None:
    """Report how far a running job is (shown on its page while it runs)."""
    fields: dict[str, Any] = {"done": done, "progressed_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = str(message)[:300]
    Job.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


def execute(job_id: int) -> str:
    """Run one queued job (the body of the queue's task): its kind's function with its parameters.
    An error fails the job with the traceback kept for its page; it never escapes to the worker."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, progressed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:  # retried meanwhile, or already run: this task is stale
        return "skipped"
    job = Job.objects.get(pk=job_id)
    try:
        outcome = registry.kind(job.kind).run(job, **job.params)
    except Exception as exc:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            message=(str(exc) or type(exc).__name__)[:300],
            error=traceback.format_exc()[-ERROR_CHARS:],
        )
        return "failed"
    fields: dict[str, Any] = {"status": JobStatus.SUCCEEDED, "finished_at": timezone.now()}
    if outcome:
        fields["message"] = str(outcome)[:300]
    Job.objects.filter(pk=job.pk).update(**fields)
    return "succeeded"


# ---------------------------------------------------------------------------- the schedule


def daily_schedule() -> list[tuple[registry.JobKind, dt.time]]:
    """The kinds run once a day and at what local time: each kind's own ``daily_at``, unless
    ``JOBS_SCHEDULE`` moves it to another time or turns it off."""
    overrides: dict[str, dt.time | None] = settings.JOBS_SCHEDULE
    plan = []
    for kind in registry.kinds():
        at = overrides.get(kind.name, kind.daily_at)
        if at is not None:
            plan.append((kind, at))
    return plan


def tick(now: dt.datetime | None = None, *, all_due_today: bool = False) -> list[Job]:
    """One turn of the scheduler: queue each daily kind whose time has come today (once per day,
    whatever the number of schedulers), and a sign of life for the worker. ``all_due_today`` runs
    every daily kind now, whatever its time (``make run``, so a demo shows its reminders at once)."""
    now = now or timezone.now()
    beat("scheduler", now)
    sweep(now)
    local = timezone.localtime(now)
    queued = []
    for kind, at in daily_schedule():
        if all_due_today or local.time() >= at:
            day = local.date().isoformat()
            job, new = enqueue_once(kind.name, params={"today": day}, key=f"daily:{kind.name}:{day}")
            if new:
                queued.append(job)
    if not _ping_waiting():
        ping.enqueue()
    return queued


def sweep(now: dt.datetime | None = None) -> int:
    """Fail the running jobs that have given no sign (start or progress) for JOBS_STALE_MINUTES: their
    worker was stopped or killed in the middle, and nothing else would ever end them. Failed, they
    can be retried from their page. Returns how many were failed."""
    limit = settings.JOBS_STALE_MINUTES
    if not limit:
        return 0
    now = now or timezone.now()
    message = _("Stopped: the worker gave no sign of this job for %(minutes)d minutes.") % {"minutes": limit}
    since = now - dt.timedelta(minutes=limit)
    # progressed_at is empty for a job claimed before the column existed: its start is its last sign
    silent = Q(progressed_at__lt=since) | Q(progressed_at=None, started_at__lt=since)
    stale = Job.objects.filter(silent, status=JobStatus.RUNNING)
    failed = 0
    for pk in stale.values_list("pk", flat=True):
        failed += Job.objects.filter(pk=pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, finished_at=now, message=message[:300]
        )
        log.warning("job %s failed by the sweep: no sign for %s minutes", pk, limit)
    return failed


def _ping_waiting() -> bool:
    return DBTaskResult.objects.ready().filter(task_path=ping.module_path).exists()


def beat(name: str, at: dt.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": at or timezone.now()})


def last_beat(name: str) -> dt.datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()


def waiting_since() -> dt.datetime | None:
    """When the oldest job still waiting for the worker was queued."""
    return (
        Job.objects.filter(status=JobStatus.QUEUED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


# ---------------------------------------------------------------------------- the queue's tasks


@task()
def run_job(job_id: int) -> str:
    """The task of one attempt of a job."""
    return execute(job_id)


@task(priority=10)
def ping() -> None:
    """The worker's sign of life, queued by the scheduler."""
    beat("worker")
