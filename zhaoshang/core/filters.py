"""Filters that the list filter sets of every app are built from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchFilter(django_filters.CharFilter):
    """A search box: the text, stripped, keeps the rows that ``match(text)`` (a Q, or an
    expression such as Exists); empty, it keeps every row."""

    def __init__(self, *args: Any, match: Callable[[str], Q | Combinable], **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Search"))
        super().__init__(*args, **kwargs)
        self.match = match

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        text = (value or "").strip()
        return qs.filter(self.match(text)) if text else qs


def visible_choices(model: type[Model]) -> Callable[[Any], QuerySet]:
    """The choices of a filter for the records of ``model`` the request's user may see (none
    without a request, as when the filter set is described for the API schema)."""

    def choices(request: Any) -> QuerySet:
        manager: Any = model._default_manager
        return manager.none() if request is None else manager.visible_to(request.user)

    return choices


class OverdueFilter(django_filters.BooleanFilter):
    """ "Overdue only": yes keeps the rows still ``status`` (open) past their ``deadline``; no or empty
    keeps every row."""

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Overdue only"))
        super().__init__(*args, **kwargs)
        self.status = status

    def filter(self, qs: QuerySet, value: Any) -> QuerySet:
        if not value:
            return qs
        return qs.filter(status=self.status, deadline__lt=timezone.localdate())
