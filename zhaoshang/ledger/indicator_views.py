"""Pages of the indicator list: everyone signed in reads it; a system administrator changes it. And
the exchange rates: everyone signed in reads them; a bureau administrator keeps them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.views import apply_errors
from zhaoshang.ledger import fx
from zhaoshang.ledger import indicators as service
from zhaoshang.ledger.choices import Evidence, Kind
from zhaoshang.ledger.models import ExchangeRate, Indicator


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
        return super().get_context_data(
            indicators=Indicator.objects.all(),
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
                if indicator is None:
                    service.create_indicator(
                        by=request.user,
                        **{
                            k: data[k]
                            for k in (
                                "code",
                                "name_zh",
                                "name_en",
                                "measure",
                                "kind",
                                "also",
                                "sort_order",
                                "evidence",
                            )
                        },
                    )
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
