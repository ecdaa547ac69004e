"""Pages of manual indicators (``ledger.manual``): the list of entered figures with the form to enter
one, the bureau's verify / return, the evidence, and defining a manual indicator. A user sees the
figures of their subtree only; only who may verify the unit's figures verifies or returns them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.paging import LIST_COUNT_CAP
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots, user_can
from zhaoshang.core.views import CappedPaginator, ScopedMixin
from zhaoshang.ledger import manual as service
from zhaoshang.ledger import rules
from zhaoshang.ledger.choices import Evidence, FundsStatus, Measure
from zhaoshang.ledger.forms import ReturnForm
from zhaoshang.ledger.models import Indicator, ManualEntry
from zhaoshang.ledger.views import EvidenceView, ReviewActionView
from zhaoshang.units.models import Unit

UNIT_CHOICES = 500  # units offered in the entry form: a county's units, its townships' villages


def _units_to_enter(user: Any) -> QuerySet:
    """The units whose figures the user may enter (the subtrees where they may edit projects)."""
    roots = scope_roots(user, Action.EDIT, on=ObjectType.PROJECT)
    if not roots:
        return Unit.objects.none()
    q = tree.subtree_q(roots[0], "path")
    for root in roots[1:]:
        q |= tree.subtree_q(root, "path")
    return Unit.objects.filter(q, is_active=True).order_by("path")


class EntryForm(forms.Form):
    indicator = forms.ModelChoiceField(label=gettext_lazy("indicator"), queryset=Indicator.objects.none())
    unit = forms.ModelChoiceField(label=gettext_lazy("unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=gettext_lazy("month"), min_value=1, max_value=12)
    amount = forms.DecimalField(label=gettext_lazy("figure"), max_digits=15, decimal_places=4, min_value=0)
    evidence = forms.FileField(label=gettext_lazy("evidence"), required=False)
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["indicator"].queryset = service.manual_indicators(user)  # type: ignore[attr-defined]
        # The first units of the user's subtrees (a field's queryset cannot be sliced: it is filtered).
        first = list(_units_to_enter(user).values_list("pk", flat=True)[:UNIT_CHOICES])
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=first).order_by("path")  # type: ignore[attr-defined]
        self.fields["year"].initial, self.fields["month"].initial = today.year, today.month


class ManualEntriesView(ScopedMixin, TemplateView):
    """GET: the manual figures of the user's subtree (filtered by indicator, unit, year, status);
    POST: enter a figure for a unit the user may edit."""

    request: AuthedRequest
    model = ManualEntry
    template_name = "ledger/manual_entries.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        queryset = self.get_queryset().filter(is_deleted=False).select_related("indicator", "unit")
        get = self.request.GET
        status = get.get("status", "")
        for key, field in (("indicator", "indicator_id"), ("year", "year")):
            if (value := get.get(key, "")).isdigit():
                queryset = queryset.filter(**{field: int(value)})
        if (unit_id := get.get("unit", "")).isdigit():
            unit = Unit.objects.filter(pk=int(unit_id)).first()
            queryset = queryset.filter(tree.subtree_q(unit.path, "unit__path")) if unit else queryset.none()
        if status in FundsStatus.values:
            queryset = queryset.filter(status=status)
        page = CappedPaginator(queryset.order_by("-year", "-month", "-pk"), 50, LIST_COUNT_CAP).get_page(
            get.get("page")
        )
        may_verify = self.may(Action.VERIFY)
        for entry in page.object_list:
            entry.may_verify = may_verify and user_can(
                self.request.user, Action.VERIFY, entry.unit, on=ObjectType.PROJECT
            )
        return super().get_context_data(
            page_obj=page,
            statuses=FundsStatus.choices,
            status=status,
            form=kwargs.pop("form", None)
            or (EntryForm(user=self.request.user) if self.may(Action.EDIT) else None),
            may_define=service.may_define(self.request.user),
            return_form=ReturnForm(),
            **kwargs,
        )

    def post(self, request: AuthedRequest) -> HttpResponse:
        if not self.may(Action.EDIT):
            return render(request, "403.html", status=403)
        form = EntryForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.record_entry(
                    data["indicator"],
                    data["unit"],
                    by=request.user,
                    year=data["year"],
                    month=data["month"],
                    amount=data["amount"],
                    evidence=data["evidence"],
                    note=data["note"],
                )
            except (ValidationError, OutOfScope) as error:
                messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            else:
                messages.success(request, _("Figure reported."))
                return redirect("ledger:manual_entries")
        else:
            for field_errors in form.errors.values():
                for message in field_errors:
                    messages.error(request, str(message))
        return redirect("ledger:manual_entries")


class ManualActionView(ReviewActionView):
    """Verify / return (the bureau) or delete (who may edit the unit's figures) one figure."""

    model = ManualEntry
    decisions = (service.verify_entry, service.return_entry, service.delete_entry)

    def refusal(self, request: AuthedRequest, record: Any) -> HttpResponse | None:
        needed = Action.EDIT if self.operation == "delete" else Action.VERIFY
        if not user_can(request.user, needed, record.unit, on=ObjectType.PROJECT):
            return render(request, "403.html", status=403)
        return None

    def fallback(self, record: Any) -> str:
        return reverse("ledger:manual_entries")


class ManualEvidenceView(EvidenceView):
    """The evidence of a manual figure."""

    model = ManualEntry


class DefineForm(forms.Form):
    slug = forms.RegexField(
        label=gettext_lazy("code"),
        regex=r"^[a-z0-9_]{1,18}$",
        help_text=gettext_lazy("Lower-case letters, digits and _, at most 18 (e.g. labour)."),
    )
    name_zh = forms.CharField(label=gettext_lazy("Chinese name"), max_length=60)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=100)
    measure = forms.ChoiceField(label=gettext_lazy("measure"), choices=Measure.choices)
    needs_evidence = forms.BooleanField(
        label=gettext_lazy("verified only with its supporting document"), required=False
    )
    county = forms.ModelChoiceField(
        label=gettext_lazy("county"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("every county (shared)"),
        help_text=gettext_lazy("A county's own indicator is read, entered and verified in that county only."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = rules.counties_for(user)
        self.fields["county"].queryset = counties  # type: ignore[attr-defined]
        if counties[:2].count() == 1:  # a county's bureau defines for its county unless it says otherwise
            self.fields["county"].initial = counties.first()


class ManualDefineView(ScopedMixin, View):
    """GET/POST: a bureau administrator defines a manual indicator."""

    model = ManualEntry
    template_name = "ledger/manual_define.html"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not service.may_define(request.user):
            return render(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: AuthedRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": DefineForm(user=request.user)})

    def post(self, request: AuthedRequest) -> HttpResponse:
        form = DefineForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service.define(
                    by=request.user,
                    slug=data["slug"],
                    name_zh=data["name_zh"],
                    name_en=data["name_en"],
                    measure=data["measure"],
                    evidence=[Evidence.VOUCHER] if data["needs_evidence"] else [],
                    county=data["county"],
                )
            except (ValidationError, OutOfScope) as error:
                for message in getattr(error, "messages", [str(error)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Indicator defined."))
                return redirect("ledger:manual_entries")
        return render(request, self.template_name, {"form": form}, status=400)
