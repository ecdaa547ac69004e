"""The filter set of the jobs page."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.jobs.models import Job, JobStatus
from zhaoshang.jobs.registry import kinds


def _kind_choices() -> list[tuple[str, str]]:
    return [(k.name, str(k.label)) for k in kinds()]


class JobFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Job"), choices=_kind_choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=JobStatus.choices)

    class Meta:
        model = Job
        fields: list[str] = []
