"""The filter set of units, shared by the tree page, its export and the API; and the unit filter every
list's filter set uses (``SubtreeFilter``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from zhaoshang.core import tree
from zhaoshang.core.chinese import text_q
from zhaoshang.core.filters import SearchFilter, visible_choices
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit, UnitQuerySet

# The unit filter offers the user's top units and this many levels below them (a national user would
# otherwise get a select of 48,000 townships); the filter accepts any visible unit by id all the same.
UNIT_CHOICE_LEVELS = 1


class _TopLevelChoices(ModelChoiceIterator):
    """The field's units down to UNIT_CHOICE_LEVELS below the highest, found when rendered (a form
    that is only validated never asks), in two index reads, once per form: a select widget walks its
    choices more than once."""

    field: SubtreeChoiceField

    def __iter__(self) -> Any:
        cached = self.field._top_level_choices
        if cached is None:
            # The top depth as a literal, not a subquery: the planner then reads the levels from the
            # (depth, path) index instead of scanning every unit (35 ms for 48,000 units).
            top = self.queryset.order_by("depth").values_list("depth", flat=True).first()
            self.queryset = self.queryset.filter(depth__lte=(top or 0) + UNIT_CHOICE_LEVELS)
            empty = [("", self.field.empty_label)] if self.field.empty_label is not None else []
            cached = self.field._top_level_choices = empty + [self.choice(unit) for unit in self.queryset]
        return iter(cached)

    def __len__(self) -> int:
        return len(list(self))


class SubtreeChoiceField(forms.ModelChoiceField):
    """Validates against every visible unit, renders only the top levels of them."""

    iterator = _TopLevelChoices
    _top_level_choices: list[tuple[Any, Any]] | None = None  # filled by the iterator


class SubtreeFilter(django_filters.ModelChoiceFilter):
    """A unit chosen among the visible ones. With ``path_field`` (the unit path of the rows, such as
    ``"unit__path"``) it keeps the rows of the unit's whole subtree, one indexed range
    (``tree.subtree_q``); without, it is the plain choice (or the filter set's ``method``)."""

    field_class = SubtreeChoiceField

    def __init__(self, *args: Any, path_field: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.path_field = path_field

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if self.path_field is None:
            return super().filter(qs, value)
        if value in EMPTY_VALUES:
            return qs
        return qs.filter(tree.subtree_q(value.path, self.path_field))


visible_units = visible_choices(Unit)


class UnitFilterSet(django_filters.FilterSet):
    q = SearchFilter(match=lambda text: text_q(text, "name") | Q(code__startswith=text))
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    under = SubtreeFilter(label=_("Under"), queryset=visible_units, method="filter_under")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Unit
        fields: list[str] = []

    def filter_under(self, queryset: UnitQuerySet, name: str, value: Unit | None) -> QuerySet:
        return queryset.subtree(value) if value is not None else queryset
