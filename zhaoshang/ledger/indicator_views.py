"""Pages of the indicator list: everyone signed in reads it; a system administrator changes it. A
county's own indicators from counting rules: its bureau administrator keeps them. And the exchange
rates: everyone signed in reads them; a bureau administrator keeps them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.views import apply_errors
from zhaoshang.ledger import fx, rules
from zhaoshang.ledger import indicators as service
from zhaoshang.ledger.choices import RULE, Evidence, Kind, Measure
from zhaoshang.ledger.counting import RULE_BASE_KINDS
from zhaoshang.ledger.evidence import allowed
from zhaoshang.ledger.models import ExchangeRate, Indicator
from zhaoshang.projects.choices import Construction, IndustrySection, Introducer
from zhaoshang.units.models import Unit


class IndicatorForm(forms.ModelForm):
    # The built-in kinds to choose from; a manual indicator (ledger.manual) keeps its own kind.
    kind = forms.ChoiceField(label=gettext_lazy("counts"), choices=Kind.choices)
    also = forms.MultipleChoiceField(
        label=gettext_lazy("also counts"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Further kinds this indicator sums beside its own (市外资金 = 市外省内 + 国内省外)."
        ),
    )
    evidence = forms.MultipleChoiceField(
        label=gettext_lazy("evidence a verification needs"),
        choices=Evidence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Funds counted by this indicator are verified only with these documents."),
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_zh",
            "name_en",
            "measure",
            "kind",
            "also",
            "sort_order",
            "is_active",
            "evidence",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.kind not in Kind.values:
            self.fields["kind"].choices = [(self.instance.kind, self.instance.kind_label())]  # type: ignore[attr-defined]
        if self.instance.pk:  # what it counts and in which measure are fixed once it exists
            for name in ("code", "measure", "kind", "also"):
                self.fields[name].disabled = True


class IndicatorListView(LoginRequiredMixin, TemplateView):
    request: AuthedRequest

    template_name = "ledger/indicator_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # The shared indicators, and the own indicators of the counties whose rules the user keeps
        # (a system administrator: every county's), each county with its rules and thresholds pages.
        counties = list(rules.counties_for(self.request.user))
        return super().get_context_data(
            indicators=Indicator.objects.filter(Q(county__isnull=True) | Q(county__in=counties)),
            counties=counties,
            may_configure=service.may_configure(self.request.user),
            **kwargs,
        )


class IndicatorFormView(LoginRequiredMixin, View):
    template_name = "ledger/indicator_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not service.may_configure(request.user):
            return render(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        indicator = get_object_or_404(Indicator, pk=pk) if pk else None
        return render(
            request, self.template_name, {"form": IndicatorForm(instance=indicator), "indicator": indicator}
        )

    def post(self, request: AuthedRequest, pk: int | None = None) -> HttpResponse:
        indicator = get_object_or_404(Indicator, pk=pk) if pk else None
        form = IndicatorForm(request.POST, instance=indicator)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if indicator is None:  # every field of the form; a new indicator starts active
                    fields = {k: v for k, v in data.items() if k != "is_active"}
                    service.create_indicator(by=request.user, **fields)
                else:
                    service.update_indicator(
                        indicator, by=request.user, **{k: data[k] for k in service.EDITABLE}
                    )
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Indicator saved."))
                return redirect("ledger:indicators")
        return render(request, self.template_name, {"form": form, "indicator": indicator}, status=400)


class RateForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=1990, max_value=2100)
    cny_per_usd = forms.DecimalField(
        label=gettext_lazy("CNY per USD"), max_digits=8, decimal_places=4, min_value=fx.LOWEST
    )


class RateView(LoginRequiredMixin, View):
    """年度汇率: everyone signed in reads the rates; a bureau administrator keeps them."""

    template_name = "ledger/rates.html"

    def page(self, request: AuthedRequest, form: RateForm, status: int = 200) -> HttpResponse:
        context = {
            "rates": ExchangeRate.objects.all(),
            "form": form,
            "may_keep": fx.may_keep_rates(request.user),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: AuthedRequest) -> HttpResponse:
        return self.page(request, RateForm())

    def post(self, request: AuthedRequest) -> HttpResponse:
        if not fx.may_keep_rates(request.user):
            return render(request, "403.html", status=403)
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                fx.set_rate(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Exchange rate saved."))
                return redirect("ledger:rates")
        return self.page(request, form, status=400)


class RuleForm(forms.Form):
    """A county indicator from a counting rule (``ledger.rules``)."""

    name_zh = forms.CharField(label=gettext_lazy("Chinese name"), max_length=60)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=100)
    measure = forms.ChoiceField(label=gettext_lazy("measure"), choices=Measure.choices)
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("counts the figures of"),
        choices=[(k, Kind(k).label) for k in RULE_BASE_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    industry_sections = forms.MultipleChoiceField(
        label=gettext_lazy("industries (GB/T 4754)"),
        choices=IndustrySection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every industry."),
    )
    min_investment = forms.DecimalField(
        label=gettext_lazy("total investment at least (10,000 CNY)"),
        required=False,
        min_value=0,
        max_digits=15,
        decimal_places=4,
        help_text=gettext_lazy(
            "Foreign projects are compared at the latest yearly rate kept when the rule is saved."
        ),
    )
    construction = forms.ChoiceField(
        label=gettext_lazy("new or continuing"),
        choices=[("", gettext_lazy("either")), *list(Construction.choices)],
        required=False,
    )
    introducer_types = forms.MultipleChoiceField(
        label=gettext_lazy("introduced through"),
        choices=Introducer.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: however introduced."),
    )
    key_only = forms.BooleanField(label=gettext_lazy("key projects only (marked)"), required=False)
    evidence = forms.MultipleChoiceField(
        label=gettext_lazy("evidence a verification needs"),
        choices=[(e, Evidence(e).label) for e in allowed(RULE)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Funds this indicator counts are verified only with these documents."),
    )
    sort_order = forms.IntegerField(label=gettext_lazy("sort order"), initial=200)
    is_active = forms.BooleanField(label=gettext_lazy("active"), required=False, initial=True)

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        if indicator is not None and "data" not in kwargs and not args:
            rule = indicator.rule
            kwargs["initial"] = {
                **{name: getattr(indicator, name) for name in (*rules.NAME_FIELDS, "measure")},
                **{name: getattr(rule, name) for name in rules.RULE_FIELDS},
            }
        super().__init__(*args, **kwargs)
        if indicator is not None:  # the measure is fixed once the indicator exists
            self.fields["measure"].disabled = True
            self.fields["measure"].initial = indicator.measure


class CountyRulesView(LoginRequiredMixin, View):
    """统计口径 of a county: its own indicators and their rules, defined and changed by its bureau
    (``ledger.rules``). Reached from any unit of the county the user may see; ``?edit=<id>`` opens
    one of the county's indicators."""

    template_name = "ledger/county_rules.html"

    def setup_county(self, request: AuthedRequest, pk: int) -> Unit | None:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
        county = Unit.objects.county_of(unit)
        return county if county is not None and service.may_define(request.user, county) else None

    def chosen(self, county: Unit, pk: Any) -> Indicator | None:
        if not pk:
            return None
        try:
            return get_object_or_404(Indicator.objects.select_related("rule"), county=county, pk=int(pk))
        except (TypeError, ValueError):
            raise Http404 from None

    def page(
        self,
        request: AuthedRequest,
        county: Unit,
        form: RuleForm,
        indicator: Indicator | None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "county": county,
            "indicators": Indicator.objects.filter(county=county).select_related("rule"),
            "form": form,
            "indicator": indicator,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        county = self.setup_county(request, pk)
        if county is None:
            return render(request, "403.html", status=403)
        indicator = self.chosen(county, request.GET.get("edit"))
        return self.page(request, county, RuleForm(indicator=indicator), indicator)

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        county = self.setup_county(request, pk)
        if county is None:
            return render(request, "403.html", status=403)
        indicator = self.chosen(county, request.POST.get("indicator"))
        form = RuleForm(request.POST, indicator=indicator)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if indicator is None:
                    fields = [*rules.RULE_FIELDS, "name_zh", "name_en", "measure", "sort_order", "evidence"]
                    rules.define(by=request.user, county=county, **{k: data[k] for k in fields})
                else:
                    rules.update(
                        indicator,
                        by=request.user,
                        **{k: data[k] for k in rules.RULE_FIELDS + rules.NAME_FIELDS},
                    )
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Indicator saved; the county's figures were counted again."))
                return redirect("ledger:county_rules", pk=county.pk)
        return self.page(request, county, form, indicator, status=400)
