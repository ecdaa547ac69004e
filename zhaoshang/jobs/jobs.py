"""The queue's own daily work: forgetting old jobs and old tasks."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.jobs.models import UNFINISHED, Job
from zhaoshang.jobs.registry import job


@job("jobs.prune", label=gettext_lazy("Forget old jobs"), daily_at="03:30")
def prune(run: Job, today: str | None = None) -> str:
    """Delete the finished jobs older than ``JOBS_KEEP_DAYS`` (with their output files) and the
    queue's finished tasks older than a week."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    old = Job.objects.filter(created_at__lt=now - dt.timedelta(days=settings.JOBS_KEEP_DAYS)).exclude(
        status__in=UNFINISHED
    )
    files = 0
    for stale in old.exclude(output="").only("pk", "output"):
        stale.output.delete(save=False)
        files += 1
    jobs, _by_model = old.exclude(pk=run.pk).delete()
    tasks, _by_model = (
        DBTaskResult.objects.finished().filter(finished_at__lt=now - dt.timedelta(days=7)).delete()
    )
    return _("%(jobs)s jobs (%(files)s files) and %(tasks)s queue entries forgotten") % {
        "jobs": jobs,
        "files": files,
        "tasks": tasks,
    }
