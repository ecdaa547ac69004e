"""Forms of the activity pages. Choice lists only offer what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.activities.choices import KIND_FIELDS, ActivityKind, Step
from zhaoshang.activities.models import Activity
from zhaoshang.activities.services import ACTIVITY_FIELDS
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.forms import field_of
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.widgets import DateInput
from zhaoshang.investors.models import Investor
from zhaoshang.projects.models import Project
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ActivityForm(forms.ModelForm):
    investors = forms.ModelMultipleChoiceField(
        label=_("Investors"),
        queryset=Investor.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=Project.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "received_at": DateTimeInput(),
            "content": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = Action.EDIT if self.instance.pk else Action.CREATE
        field_of(self, "unit", forms.ModelChoiceField).queryset = Unit.objects.where(
            user, action, on=ObjectType.ACTIVITY
        ).exclude(kind=UnitKind.VILLAGE)
        field_of(self, "investors", forms.ModelChoiceField).queryset = Investor.objects.visible_to(user)
        field_of(self, "projects", forms.ModelChoiceField).queryset = Project.objects.visible_to(user)
        field_of(self, "office", forms.ModelChoiceField).queryset = Activity.objects.visible_to(user).filter(
            kind=ActivityKind.OFFICE
        )
        self.fields["kind"].widget = forms.HiddenInput()
        self.fields["kind"].initial = kind
        used = set(KIND_FIELDS.get(kind, ()))
        for name in [n for n in self.fields if n in {f for fs in KIND_FIELDS.values() for f in fs}]:
            if name not in used:
                del self.fields[name]
        if kind == ActivityKind.OFFICE:
            del self.fields["office"]
        first = ["title", "unit", "starts_on", "ends_on", *KIND_FIELDS.get(kind, ())]
        self.order_fields([*first, "investors", "projects", "office", "notes"])
        if self.instance.pk:
            self.fields["investors"].initial = list(self.instance.investors.values_list("pk", flat=True))
            self.fields["projects"].initial = list(self.instance.projects.values_list("pk", flat=True))

    def _post_clean(self) -> None:
        """The service validates the activity as a whole; the form checks only its own fields."""

    def activity_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ACTIVITY_FIELDS if name in self.cleaned_data}


class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=Step.choices)
    done_on = forms.DateField(validators=[plausible_date], label=_("Done on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
