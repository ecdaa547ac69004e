"""The job table of the jobs page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhaoshang.core.tables import Column, ListSource, Table
from zhaoshang.jobs.filters import JobFilterSet
from zhaoshang.jobs.models import Job


def _progress(job: Job) -> str:
    if job.total:
        return f"{job.done} / {job.total}"
    return str(job.done) if job.done else ""


JOB_TABLE = Table(
    columns=[
        Column("id", _("No."), lambda j: j.pk, order_by="id"),
        Column("kind", _("Job"), lambda j: j.label, order_by="kind", link=True),
        Column("unit", _("Unit"), lambda j: j.unit.name if j.unit else _("whole deployment")),
        Column("status", _("Status"), lambda j: j.get_status_display(), order_by="status"),
        Column("progress", _("Progress"), _progress),
        Column("message", _("Message"), lambda j: j.message),
        Column("created_at", pgettext_lazy("time", "Queued"), lambda j: j.created_at, order_by="created_at"),
        Column("finished_at", _("Finished"), lambda j: j.finished_at, order_by="finished_at"),
    ],
    default_order="-id",
)


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    return queryset.select_related("unit")


JOB_LIST = ListSource(Job, JobFilterSet, JOB_TABLE, decorate=_listed)
