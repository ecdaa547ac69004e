"""The one filter set of offers on the private pages (list, export)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.catalogue.choices import OfferStatus
from zhaoshang.catalogue.models import Offer
from zhaoshang.core.chinese import text_q
from zhaoshang.core.filters import SearchFilter
from zhaoshang.projects.choices import IndustrySection
from zhaoshang.units.filters import SubtreeFilter, visible_units


class OfferFilterSet(django_filters.FilterSet):
    q = SearchFilter(match=lambda text: text_q(text, "name", "chain", "place", "content"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OfferStatus.choices)
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=IndustrySection.choices)
    year = django_filters.NumberFilter(label=_("Year"))
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")

    class Meta:
        model = Offer
        fields: list[str] = []
