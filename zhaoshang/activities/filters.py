"""The one filter set of promotion activities, shared by the list page, its export and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.choices import ActivityKind
from zhaoshang.activities.models import Activity
from zhaoshang.core.chinese import text_q
from zhaoshang.core.filters import SearchFilter, visible_choices
from zhaoshang.core.widgets import DateInput
from zhaoshang.investors.models import Investor
from zhaoshang.units.filters import SubtreeFilter, visible_units

visible_investors = visible_choices(Investor)


class ActivityFilterSet(django_filters.FilterSet):
    q = SearchFilter(match=lambda text: text_q(text, "title", "place", "content", "outcome"))
    kind = django_filters.ChoiceFilter(label=_("Activity type"), choices=ActivityKind.choices)
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")
    date_from = django_filters.DateFilter(
        label=_("Date from"), field_name="starts_on", lookup_expr="gte", widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        label=_("Date to"), field_name="starts_on", lookup_expr="lte", widget=DateInput()
    )
    investor = django_filters.ModelChoiceFilter(
        label=_("Investor"), queryset=visible_investors, field_name="investors"
    )

    class Meta:
        model = Activity
        fields: list[str] = []
