"""The filter sets of landed enterprises and quarterly returns, shared by pages, exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.enterprises.choices import QUARTERS, ReturnStatus
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn
from zhaoshang.units.filters import SubtreeFilter, visible_units


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_q")
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")
    key = django_filters.BooleanFilter(label=_("Key enterprises"), field_name="key")
    above_scale = django_filters.BooleanFilter(
        label=_("Above the statistical threshold"),
        field_name="above_scale_on",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(credit_code=value.upper()))


class ReturnFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), field_name="year")
    quarter = django_filters.ChoiceFilter(label=_("Quarter"), choices=QUARTERS, field_name="quarter")
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=ReturnStatus.choices)
    unit = SubtreeFilter(
        label=_("Unit (with subordinates)"), queryset=visible_units, path_field="enterprise__unit__path"
    )
    key = django_filters.BooleanFilter(label=_("Key enterprises"), field_name="enterprise__key")

    class Meta:
        model = QuarterlyReturn
        fields: list[str] = []
