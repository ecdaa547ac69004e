"""The filter sets of inspections and rectification items, shared by pages, exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.inspections.choices import QUARTERS, ItemStatus
from zhaoshang.inspections.models import Inspection, RectificationItem
from zhaoshang.units.filters import SubtreeFilter, visible_units


class InspectionFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    quarter = django_filters.ChoiceFilter(label=_("Quarter"), choices=QUARTERS, field_name="quarter")
    unit = SubtreeFilter(
        label=_("Inspected unit (with subordinates)"), queryset=visible_units, path_field="unit__path"
    )

    class Meta:
        model = Inspection
        fields: list[str] = []


class ItemFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ItemStatus.choices)
    owner_unit = SubtreeFilter(
        label=_("Owner unit (with subordinates)"), queryset=visible_units, path_field="owner_unit__path"
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="inspection__year")
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue")

    class Meta:
        model = RectificationItem
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status=ItemStatus.OPEN, deadline__lt=timezone.localdate())
