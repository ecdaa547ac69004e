"""The one filter set of requests, shared by the list page, its export and the JSON API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.coordination.choices import RequestKind, RequestStatus
from zhaoshang.coordination.models import CoordinationRequest
from zhaoshang.core.chinese import text_q
from zhaoshang.core.filters import OverdueFilter, SearchFilter
from zhaoshang.units.filters import SubtreeFilter, visible_units


class RequestFilterSet(django_filters.FilterSet):
    q = SearchFilter(match=lambda text: text_q(text, "title", "description", "project__name"))
    kind = django_filters.ChoiceFilter(label=_("Request type"), choices=RequestKind.choices)
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=RequestStatus.choices)
    unit = SubtreeFilter(
        label=_("Requesting unit (with subordinates)"), queryset=visible_units, path_field="unit__path"
    )
    owner_unit = SubtreeFilter(label=_("Owner unit"), queryset=visible_units, field_name="owner_unit")
    overdue = OverdueFilter(status=RequestStatus.ACCEPTED)
    source = django_filters.CharFilter(label=_("Raised from"), field_name="source")

    class Meta:
        model = CoordinationRequest
        fields: list[str] = []
