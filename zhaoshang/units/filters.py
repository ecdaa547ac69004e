"""The filter set of units, shared by the tree page, its export and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit


def _visible(request: object) -> QuerySet:
    return Unit.objects.visible_to(getattr(request, "user", None))


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    under = django_filters.ModelChoiceFilter(label=_("Under"), queryset=_visible, method="filter_under")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Unit
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value)) if value else queryset

    def filter_under(self, queryset: QuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.subtree(value) if value is not None else queryset
