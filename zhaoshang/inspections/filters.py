"""The filter sets of inspections and rectification items, shared by pages, exports and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.filters import OverdueFilter
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
    overdue = OverdueFilter(status=ItemStatus.OPEN)

    class Meta:
        model = RectificationItem
        fields: list[str] = []
