"""The one filter set of projects, shared by the list page, its export and the JSON API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.chinese import text_q
from zhaoshang.core.filters import SearchFilter
from zhaoshang.investors.models import Investor
from zhaoshang.projects.choices import Currency, IndustrySection, Introducer, Sector, Stage
from zhaoshang.projects.models import Project, Steward
from zhaoshang.projects.thresholds import size_q
from zhaoshang.units.filters import SubtreeFilter, visible_units


def _search(text: str) -> Q | Combinable:
    """By name or description, by project code, or by an investor's name."""
    investor = Investor.objects.filter(text_q(text, "name"), projects=OuterRef("pk"))
    return (
        text_q(text, "name", "description")
        | Q(code__iexact=text)
        | Q(former_code__iexact=text)
        | Exists(investor)
    )


def _steward(text: str) -> Q | Combinable:
    return Exists(Steward.objects.filter(text_q(text, "name"), project=OuterRef("pk")))


def _origin(text: str) -> Q | Combinable:
    """Projects with an investor from there."""
    matching = Investor.objects.filter(projects=OuterRef("pk")).filter(
        text_q(text, "origin_country", "origin_province", "origin_city")
    )
    return Exists(matching)


class ProjectFilterSet(django_filters.FilterSet):
    q = SearchFilter(match=_search)
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
    steward = SearchFilter(label=_("Steward"), match=_steward)
    origin = SearchFilter(label=_("Investor origin"), match=_origin)

    introducer_type = django_filters.ChoiceFilter(label=_("Introduced through"), choices=Introducer.choices)
    key = django_filters.BooleanFilter(label=_("Key project"), method="filter_key")
    size = django_filters.ChoiceFilter(
        label=_("Size"),
        choices=[
            ("large", _("100 million CNY and more")),
            ("industrial", _("industrial, 30 million CNY and more")),
        ],
        method="filter_size",
    )
    later_phase = django_filters.BooleanFilter(
        label=_("Later phase"), field_name="phase_of", lookup_expr="isnull", exclude=True
    )

    def filter_key(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Key projects (重点项目): marked by hand, or of at least the county's key threshold."""
        if value is None:
            return queryset
        return queryset.filter(size_q("key")) if value else queryset.exclude(size_q("key"))

    def filter_size(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Projects over the county's thresholds (亿元以上, 3000万元以上工业项目)."""
        return queryset.filter(size_q(value)) if value else queryset

    class Meta:
        model = Project
        fields: list[str] = []
