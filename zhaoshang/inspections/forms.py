"""Forms of the inspection pages; their choice lists hold only what the user may pick."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.dates import plausible_date
from zhaoshang.core.forms import field_of
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.inspections.choices import QUARTERS
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"})


class InspectionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Inspected unit"), queryset=Unit.objects.none())
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    inspected_on = forms.DateField(validators=[plausible_date], label=_("Inspected on"), widget=DATE)
    inspectors = forms.CharField(label=_("Inspectors"), max_length=300)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.where(user, Action.CREATE, on=ObjectType.INSPECTION).filter(is_active=True)
        field_of(self, "unit", forms.ModelChoiceField).queryset = units.order_by("path")
        field_of(self, "project", forms.ModelChoiceField).queryset = Project.objects.visible_to(
            user
        ).order_by("name")


class ItemForm(forms.Form):
    description = forms.CharField(label=_("Rectification item"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.none())
    deadline = forms.DateField(validators=[plausible_date], label=_("Deadline"), widget=DATE)

    def __init__(self, *args: Any, county: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner_unit", forms.ModelChoiceField).queryset = (
            Unit.objects.subtree(county).filter(is_active=True).order_by("path")
        )


class RectifyForm(forms.Form):
    evidence = forms.CharField(label=_("Rectification done"), widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Evidence file"), required=False)


class VerifyForm(forms.Form):
    """Nothing to fill in: the button is the decision."""


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=500)
