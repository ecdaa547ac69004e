"""The one filter set of projects, shared by the list page, its export and the JSON API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.chinese import text_q
from zhaoshang.investors.models import Investor
from zhaoshang.projects.choices import Currency, IndustrySection, Sector, Stage
from zhaoshang.projects.models import Project, Steward
from zhaoshang.units.filters import SubtreeFilter, visible_units


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")
    # distinct=False: the stage is a column of the project, no join can repeat a row (SELECT DISTINCT
    # over every column made each page sort the whole filtered subtree).
    stage = django_filters.MultipleChoiceFilter(label=_("Stage"), choices=Stage.choices, distinct=False)
    sector = django_filters.ChoiceFilter(label=_("Sector"), choices=Sector.choices)
    industry_section = django_filters.ChoiceFilter(label=_("Industry"), choices=IndustrySection.choices)
    currency = django_filters.ChoiceFilter(label=_("Currency"), choices=Currency.choices)
    signed_year = django_filters.NumberFilter(
        label=_("Year signed"), field_name="signed_on", lookup_expr="year"
    )
    investment_min = django_filters.NumberFilter(
        label=_("Total investment from"), field_name="total_investment", lookup_expr="gte"
    )
    investment_max = django_filters.NumberFilter(
        label=_("Total investment to"), field_name="total_investment", lookup_expr="lte"
    )
    steward = django_filters.CharFilter(label=_("Steward"), method="filter_steward")
    origin = django_filters.CharFilter(label=_("Investor origin"), method="filter_origin")

    class Meta:
        model = Project
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        investor = Investor.objects.filter(text_q(value, "name"), projects=OuterRef("pk"))
        return queryset.filter(
            text_q(value, "name", "description") | Q(code__iexact=value) | Exists(investor)
        )

    def filter_steward(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Exists(Steward.objects.filter(text_q(value, "name"), project=OuterRef("pk"))))

    def filter_origin(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        matching = Investor.objects.filter(projects=OuterRef("pk")).filter(
            text_q(value, "origin_country", "origin_province", "origin_city")
        )
        return queryset.filter(Exists(matching))
