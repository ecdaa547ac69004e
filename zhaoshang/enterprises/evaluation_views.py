"""The 畝均 evaluation page of a county and year (every reader of its enterprises; only the rows
they may see), where the bureau sets the scheme, and its .xlsx export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core import tree
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots, user_can
from zhaoshang.core.tables import Column
from zhaoshang.core.views import apply_errors
from zhaoshang.core.xlsx import table_workbook, xlsx_response
from zhaoshang.enterprises.evaluation import (
    INDICATORS,
    Benchmark,
    Result,
    evaluation,
    save_scheme,
    scheme_for,
)
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.units.models import Unit

PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}
BENCHMARK = {"max_digits": 15, "decimal_places": 4, "min_value": 0, "required": False}


class SchemeForm(forms.Form):
    weight_tax_mu = forms.DecimalField(label=gettext_lazy("Weight of tax per mu (%)"), **PERCENT)  # type: ignore[arg-type]
    weight_sales_mu = forms.DecimalField(label=gettext_lazy("Weight of sales per mu (%)"), **PERCENT)  # type: ignore[arg-type]
    weight_tax_energy = forms.DecimalField(label=gettext_lazy("Weight of tax per tce (%)"), **PERCENT)  # type: ignore[arg-type]
    benchmark_tax_mu = forms.DecimalField(
        label=gettext_lazy("Benchmark tax per mu"),
        help_text=gettext_lazy("Empty: the county's average."),
        **BENCHMARK,  # type: ignore[arg-type]
    )
    benchmark_sales_mu = forms.DecimalField(label=gettext_lazy("Benchmark sales per mu"), **BENCHMARK)  # type: ignore[arg-type]
    benchmark_tax_energy = forms.DecimalField(label=gettext_lazy("Benchmark tax per tce"), **BENCHMARK)  # type: ignore[arg-type]
    share_a = forms.DecimalField(label=gettext_lazy("Share of class A (%)"), **PERCENT)  # type: ignore[arg-type]
    share_b = forms.DecimalField(label=gettext_lazy("Share of class B (%)"), **PERCENT)  # type: ignore[arg-type]
    share_d = forms.DecimalField(label=gettext_lazy("Share of class D (%)"), **PERCENT)  # type: ignore[arg-type]


def counties_of(user: Any) -> list[Unit]:
    """The counties around the subtrees where the user reads enterprises."""
    roots = Unit.objects.filter(path__in=scope_roots(user, Action.VIEW, on=ObjectType.PROJECT))
    found = {(Unit.objects.county_of(root) or root) for root in roots}
    return sorted(found, key=lambda u: u.path)


def _choice(request: HttpRequest) -> tuple[Unit | None, int, list[Unit]]:
    counties = counties_of(request.user)
    wanted = request.GET.get("county", "")
    county = next((c for c in counties if str(c.pk) == wanted), counties[0] if counties else None)
    text = request.GET.get("year", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year - 1
    return county, year, counties


def results_for(request: HttpRequest) -> tuple[Unit | None, int, list[Unit], list[Result], list[Benchmark]]:
    """The county's evaluation, computed over all its enterprises (the classes and the benchmarks are
    the county's, decision 41), keeping the rows the user may see."""
    county, year, counties = _choice(request)
    if county is None:
        return None, year, counties, [], []
    everyone = Enterprise.objects.filter(tree.subtree_q(county.path, "unit__path"))
    visible = set(Enterprise.objects.visible_to(request.user).values_list("pk", flat=True))
    results, benchmarks = evaluation(everyone, year, scheme_for(county, year))
    return county, year, counties, [r for r in results if r.enterprise_id in visible], benchmarks


class EvaluationView(LoginRequiredMixin, View):
    template_name = "enterprises/evaluation.html"
    request: AuthedRequest

    def show(self, request: HttpRequest, form: SchemeForm | None = None, status: int = 200) -> HttpResponse:
        county, year, counties, results, benchmarks = results_for(request)
        sets = county is not None and user_can(request.user, Action.VERIFY, county, on=ObjectType.PROJECT)
        if sets and form is None and county is not None:
            form = SchemeForm(initial=vars(scheme_for(county, year)))
        context = {
            "county": county,
            "year": year,
            "counties": counties,
            "results": results,
            "benchmarks": benchmarks,
            # A reader of part of the county (a township) is told whose benchmarks these are.
            "part_of_county": county is not None
            and not user_can(request.user, Action.VIEW, county, on=ObjectType.PROJECT),
            "indicators": [str(label) for label in INDICATORS.values()],
            "scheme": scheme_for(county, year) if county is not None else None,
            "form": form if sets else None,
            "query": request.GET.urlencode(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.show(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        county, year, _counties = _choice(request)
        if county is None or not user_can(request.user, Action.VERIFY, county, on=ObjectType.PROJECT):
            return render(request, "403.html", status=403)
        form = SchemeForm(request.POST)
        if form.is_valid():
            try:
                save_scheme(by=request.user, county=county, year=year, data=form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied:
                return render(request, "403.html", status=403)
            else:
                messages.success(request, _("Evaluation scheme saved."))
                return redirect(f"{request.path}?{request.GET.urlencode()}")
        return self.show(request, form, status=400)


def _points(key: str) -> Any:
    return lambda r: next((line.points for line in r.lines if line.key == key), None)


def _value(key: str) -> Any:
    return lambda r: next((line.value for line in r.lines if line.key == key), None)


EXPORT_COLUMNS = [
    Column("rank", gettext_lazy("Rank"), lambda r: r.rank or None),
    Column("grade", gettext_lazy("Class"), lambda r: r.grade),
    Column("name", gettext_lazy("Enterprise name"), lambda r: r.name),
    Column("land_mu", gettext_lazy("Land (mu)"), lambda r: r.land_mu, number_format="#,##0.00"),
    Column("tax", gettext_lazy("Tax paid (10k yuan)"), lambda r: r.tax, number_format="#,##0.0000"),
    Column("sales", gettext_lazy("Sales (10k yuan)"), lambda r: r.sales, number_format="#,##0.0000"),
    Column("energy", gettext_lazy("Energy use (tce)"), lambda r: r.energy, number_format="#,##0.00"),
    *[
        column
        for key, label in INDICATORS.items()
        for column in (
            Column(key, label, _value(key), number_format="#,##0.0000"),
            Column(f"{key}_points", gettext_lazy("Points"), _points(key), number_format="0.00"),
        )
    ],
    Column("score", gettext_lazy("Score"), lambda r: r.score if r.grade else None, number_format="0.00"),
    Column("reason", gettext_lazy("Not evaluated because"), lambda r: r.reason),
]


class EvaluationExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        county, year, _counties, results, _benchmarks = results_for(request)
        title = _("Output per mu evaluation") + f" {county or ''} {year}"
        return xlsx_response(table_workbook(title[:31], EXPORT_COLUMNS, results), f"{title}.xlsx")
