"""The filter sets of landed enterprises and quarterly returns, shared by pages, exports and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.enterprises.choices import QUARTERS, ReturnStatus
from zhaoshang.enterprises.models import Enterprise, QuarterlyReturn, Visit
from zhaoshang.units.filters import SubtreeFilter, visible_units


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_q")
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")
    key = django_filters.BooleanFilter(label=_("Key enterprises"), field_name="key")
    unvisited = django_filters.BooleanFilter(label=_("Not visited this quarter"), method="filter_unvisited")
    above_scale = django_filters.BooleanFilter(
        label=_("Above the statistical threshold"),
        field_name="above_scale_on",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def filter_unvisited(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        from zhaoshang.enterprises.services import unvisited

        return unvisited(queryset) if value else queryset

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


class VisitFilterSet(django_filters.FilterSet):
    unit = SubtreeFilter(
        label=_("Unit (with subordinates)"), queryset=visible_units, path_field="enterprise__unit__path"
    )
    visited_after = django_filters.DateFilter(
        label=_("Visited on or after"), field_name="visited_on", lookup_expr="gte"
    )
    with_problems = django_filters.BooleanFilter(
        label=_("With problems raised"),
        field_name="problems",
        lookup_expr="exact",
        exclude=True,
        method="filter_problems",
    )

    class Meta:
        model = Visit
        fields: list[str] = []

    def filter_problems(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        return queryset.exclude(problems="") if value else queryset.filter(problems="")
