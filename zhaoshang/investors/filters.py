"""The one filter set of investors, shared by the list page, its export and the JSON API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.chinese import text_q
from zhaoshang.core.widgets import DateInput
from zhaoshang.investors.choices import InvestorKind, InvestorSize
from zhaoshang.investors.models import Contact, Investor
from zhaoshang.units.filters import SubtreeFilter, visible_units


class InvestorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")
    kind = django_filters.ChoiceFilter(label=_("Investor type"), choices=InvestorKind.choices)
    size = django_filters.ChoiceFilter(label=_("Size"), choices=InvestorSize.choices)
    origin = django_filters.CharFilter(label=_("Origin"), method="filter_origin")
    industry = django_filters.CharFilter(label=_("Industry"), lookup_expr="icontains")
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags", lookup_expr="icontains")
    follow_up_by = django_filters.DateFilter(
        label=_("Follow-up due by"), field_name="next_follow_up_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Investor
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        contact = Contact.objects.filter(investor=OuterRef("pk")).filter(
            text_q(value, "name", "phone", "email")
        )
        return queryset.filter(text_q(value, "name") | Q(credit_code__iexact=value.upper()) | Exists(contact))

    def filter_origin(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(text_q(value, "origin_country", "origin_province", "origin_city"))
