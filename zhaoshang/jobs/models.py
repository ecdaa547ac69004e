"""Jobs (后台任务): long work that runs outside a web request, on the queue, with its progress.

A job is one run of a registered kind (``registry.py``): a batch of documents, a re-count, an
ingestion batch, a large export, the daily reminders. The queue itself is Django's task framework
(django-tasks with its database backend, docs/decisions.md): a job enqueues one task per attempt.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhaoshang.core.fields import user_link
from zhaoshang.core.permissions import ObjectType
from zhaoshang.core.scoping import ScopedQuerySet, covers_the_tree, path_q


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobQuerySet(ScopedQuerySet):
    """A unit's jobs are seen in its subtree; the deployment's own jobs (no unit: the daily runs,
    pruning) only by those whose scope covers the whole tree."""

    permission_type = ObjectType.JOB

    def scope_q(self, roots: list[str], action: str) -> Q:
        if covers_the_tree(roots):
            return Q()
        return path_q(self.scope_path_field, roots)


class Job(models.Model):
    """后台任务: one run of a kind of job, for a unit (or for the whole deployment)."""

    kind = models.CharField(_("kind"), max_length=80)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    requested_by = user_link(verbose_name=_("requested by"))
    params = models.JSONField(default=dict, blank=True)
    # Runs that must happen once only (a day's scheduled run) carry a key; a second enqueue of the
    # same key finds the first.
    key = models.CharField(max_length=150, null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    output = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # The last sign of a running job: when it started or last reported progress. A running job
    # silent for JOBS_STALE_MINUTES lost its worker and is failed by the scheduler (``sweep``).
    progressed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = pgettext_lazy("background work", "jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.label} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def label(self) -> Any:
        from zhaoshang.jobs.registry import label_of

        return label_of(self.kind)

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED


class Heartbeat(models.Model):
    """The last sign of life of the worker and of the scheduler, read by the health check."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"
