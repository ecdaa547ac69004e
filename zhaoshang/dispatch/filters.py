"""The filter set of progress reports in the API (the report pages list one round or one user's
reports and take no filters)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.dispatch.choices import ReportStatus
from zhaoshang.dispatch.models import Report


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number (a NumberFilter takes decimals, and 1.5 would be read as id 1)."""

    field_class = forms.IntegerField


class ReportFilterSet(django_filters.FilterSet):
    round_id = IdFilter(label=_("round"), field_name="round_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)

    class Meta:
        model = Report
        fields: list[str] = []
