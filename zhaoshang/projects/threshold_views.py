"""The county's thresholds (统计口径的金额门槛, decision 52): its bureau administrator keeps them;
``projects.thresholds`` applies them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.views import apply_errors
from zhaoshang.projects import thresholds
from zhaoshang.projects.models import Thresholds
from zhaoshang.units.models import Unit


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = Thresholds
        fields = ["large", "industrial", "key"]


class ThresholdsView(LoginRequiredMixin, View):
    """A county's thresholds, reached from any unit of the county the user may see; only the county's
    bureau administrator opens it."""

    template_name = "projects/thresholds.html"

    def county_for(self, request: AuthedRequest, pk: int) -> Unit | None:
        unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
        county = Unit.objects.county_of(unit)
        return county if county is not None and thresholds.may_set(request.user, county) else None

    def page(self, request: AuthedRequest, county: Unit, form: Any, status: int = 200) -> HttpResponse:
        context = {"county": county, "form": form, "defaults": thresholds.DEFAULTS}
        return render(request, self.template_name, context, status=status)

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        county = self.county_for(request, pk)
        if county is None:
            return render(request, "403.html", status=403)
        return self.page(request, county, ThresholdsForm(instance=thresholds.for_county(county)))

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        county = self.county_for(request, pk)
        if county is None:
            return render(request, "403.html", status=403)
        form = ThresholdsForm(request.POST, instance=Thresholds(county=county))
        if form.is_valid():
            try:
                thresholds.set_thresholds(county, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            except OutOfScope as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Thresholds saved."))
                return redirect("projects:thresholds", pk=county.pk)
        return self.page(request, county, form, status=400)
