"""The filter set of users, shared by the list page and its export."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import Membership, User
from zhaoshang.core.filters import SearchFilter
from zhaoshang.core.permissions import Action, ObjectType, Role
from zhaoshang.core.scoping import path_q, scope_roots
from zhaoshang.units.filters import SubtreeFilter
from zhaoshang.units.models import Unit


def configurable_units(request: Any) -> QuerySet:
    if request is None:
        return Unit.objects.none()
    return Unit.objects.where(request.user, Action.CONFIGURE, on=ObjectType.USER)


class UserFilterSet(django_filters.FilterSet):
    q = SearchFilter(
        match=lambda text: (
            Q(username__icontains=text) | Q(display_name__icontains=text) | Q(email__icontains=text)
        )
    )
    unit = SubtreeFilter(
        label=_("Unit (with subordinates)"), queryset=configurable_units, method="filter_membership"
    )
    role = django_filters.ChoiceFilter(label=_("Role"), choices=Role.choices, method="filter_membership")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields: list[str] = []

    def filter_membership(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """Unit and role name one membership together (an operator *at* town A), and only
        memberships inside the manager's subtrees count, so a filter reveals nothing outside."""
        unit, role = self.form.cleaned_data.get("unit"), self.form.cleaned_data.get("role")
        if name == "role" and unit is not None:
            return queryset  # already applied together with the unit
        memberships = Membership.objects.filter(
            path_q("unit__path", scope_roots(self.request.user, Action.CONFIGURE, on=ObjectType.USER))
        )
        if unit is not None:
            memberships = memberships.filter(path_q("unit__path", [unit.path]))
        if role:
            memberships = memberships.filter(role=role)
        return queryset.filter(pk__in=memberships.values("user_id"))
