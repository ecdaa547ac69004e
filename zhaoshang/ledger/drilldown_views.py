"""The drill-down page: the records behind one figure (ledger/drilldown.py), opened from a dashboard
card, a child's figure or a target row, with the same total at the bottom."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.replica import ReplicaReadsMixin
from zhaoshang.ledger import construction
from zhaoshang.ledger.choices import Kind
from zhaoshang.ledger.completion import PERIODS
from zhaoshang.ledger.drilldown import Period, records_behind
from zhaoshang.ledger.models import Indicator
from zhaoshang.projects.thresholds import SIZES
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

PAGE_SIZE = 50
SIZE_LABELS = {
    "large": _("100 million CNY and more"),
    "industrial": _("industrial, 30 million CNY and more"),
    "key": _("key projects"),
}


class Figure:
    """Which figure a request asks for (``?unit=&indicator=&year=&period=&month=``): a unit the user
    may see (404 otherwise, as for a missing one; the user's top unit when none is named), an active
    or inactive indicator by code (404 when unknown), a year and a period (year to date by default)."""

    def __init__(self, user: User, params: QueryDict, today: dt.date) -> None:
        units = Unit.objects.visible_to(user)
        try:
            unit = (
                units.get(pk=int(params.get("unit", "")))
                if params.get("unit")
                else units.order_by("depth", "path").first()
            )
        except (ValueError, Unit.DoesNotExist) as missing:
            raise Http404 from missing
        if unit is None:
            raise Http404
        indicator = Indicator.objects.filter(code=params.get("indicator") or "funds_domestic").first()
        if indicator is None:
            raise Http404
        self.unit, self.indicator = unit, indicator
        self.year = _int(params.get("year"), today.year, 2000, 2100)
        period = params.get("period") or "ytd"
        self.kind: str = period if period in PERIODS else "ytd"
        last = today.month if self.year == today.year else 12
        self.month = _int(params.get("month"), last, 1, 12)
        self.period = Period.of(self.year, self.kind, self.month)

    def query(self) -> str:
        query = QueryDict(mutable=True)
        query.update(
            {
                "unit": str(self.unit.pk),
                "indicator": self.indicator.code,
                "year": str(self.year),
                "period": self.kind,
                "month": str(self.month),
            }
        )
        return query.urlencode()


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or "")
    except ValueError:
        return default
    return number if low <= number <= high else default


class DrilldownView(ReplicaReadsMixin, LoginRequiredMixin, TemplateView):
    """The records behind a figure, a page of 50 at a time, with the totals of all of them."""

    request: AuthedRequest
    template_name = "ledger/drilldown.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        figure = Figure(self.request.user, self.request.GET, timezone.localdate())
        number = _int(self.request.GET.get("page"), 1, 1, 10**6)
        apart = self.request.GET.get("apart") == "1"
        size = self.request.GET.get("size", "")
        size = size if size in SIZES else ""
        result = records_behind(
            figure.indicator,
            figure.unit,
            figure.period,
            user=self.request.user,
            offset=(number - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
            apart=apart,
            size=size,
        )
        other = records_behind(figure.indicator, figure.unit, figure.period, limit=0, apart=not apart)
        paginator = Paginator(range(result.count), PAGE_SIZE)
        # 新建/续建: the started records are the new projects; the continuing ones are listed below
        building = None
        if figure.indicator.kind == Kind.STARTED and not apart:
            building = construction.split(figure.unit, figure.year, result.verified)
            kwargs["continuing"] = construction.continuing_projects(
                figure.unit, figure.year, self.request.user
            )
        page = paginator.get_page(number)
        return super().get_context_data(
            figure=figure,
            result=result,
            page_obj=page,
            query=figure.query() + ("&apart=1" if apart else "") + (f"&size={size}" if size else ""),
            sizes=SIZE_LABELS.items(),
            other=other,
            other_query=figure.query() + ("" if apart else "&apart=1"),
            first=(number - 1) * PAGE_SIZE,
            construction=building,
            **kwargs,
        )
