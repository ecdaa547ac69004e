"""The filter set of idle assets, shared by the page and its export."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.parks.choices import AssetKind, AssetStatus
from zhaoshang.parks.models import IdleAsset
from zhaoshang.units.filters import SubtreeFilter, visible_units


class IdleAssetFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=AssetKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AssetStatus.choices)
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")

    class Meta:
        model = IdleAsset
        fields: list[str] = []
