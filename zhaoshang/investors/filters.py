"""The one filter set of investors, shared by the list page, its export and the JSON API."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import Combinable
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.chinese import text_q
from zhaoshang.core.filters import SearchFilter
from zhaoshang.core.widgets import DateInput
from zhaoshang.investors.choices import InvestorKind, InvestorSize
from zhaoshang.investors.models import Contact, Investor
from zhaoshang.units.filters import SubtreeFilter, visible_units


def _search(text: str) -> Q | Combinable:
    """By name, by credit code, or by a contact's name, phone or e-mail."""
    contact = Contact.objects.filter(investor=OuterRef("pk")).filter(text_q(text, "name", "phone", "email"))
    return text_q(text, "name") | Q(credit_code__iexact=text.upper()) | Exists(contact)


class InvestorFilterSet(django_filters.FilterSet):
    q = SearchFilter(match=_search)
    unit = SubtreeFilter(label=_("Unit (with subordinates)"), queryset=visible_units, path_field="unit__path")
    kind = django_filters.ChoiceFilter(label=_("Investor type"), choices=InvestorKind.choices)
    size = django_filters.ChoiceFilter(label=_("Size"), choices=InvestorSize.choices)
    origin = SearchFilter(
        label=_("Origin"), match=lambda text: text_q(text, "origin_country", "origin_province", "origin_city")
    )
    industry = django_filters.CharFilter(label=_("Industry"), lookup_expr="icontains")
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags", lookup_expr="icontains")
    follow_up_by = django_filters.DateFilter(
        label=_("Follow-up due by"), field_name="next_follow_up_on", lookup_expr="lte", widget=DateInput()
    )

    class Meta:
        model = Investor
        fields: list[str] = []
