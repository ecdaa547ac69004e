"""Forms of the project pages. Choice lists only offer what the user may see."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.dates import plausible_date
from zhaoshang.core.forms import field_of
from zhaoshang.core.geo import CoordinatesForm
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.widgets import DateInput, SearchSelect, SearchSelectMultiple
from zhaoshang.investors.choices import DOMESTIC_COUNTRY
from zhaoshang.investors.models import Investor
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Attachment, Project
from zhaoshang.projects.services import (
    COUNTING_FIELDS,
    DATE_FIELDS,
    PROJECT_FIELDS,
    StewardData,
    credit_area,
    may_decide_counting,
)
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


class ProjectForm(CoordinatesForm, forms.ModelForm):
    investors = forms.ModelMultipleChoiceField(
        label=_("Investors"),
        queryset=Investor.objects.none(),
        required=False,
        widget=SearchSelectMultiple(url="investors:options"),
    )
    new_investor_name = forms.CharField(label=_("New investor"), max_length=200, required=False)
    new_investor_country = forms.CharField(
        label=_("Country or region of origin"), max_length=50, required=False, initial=DOMESTIC_COUNTRY
    )
    new_investor_province = forms.CharField(label=_("Province of origin"), max_length=50, required=False)
    new_investor_city = forms.CharField(label=_("City of origin"), max_length=50, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [f for f in PROJECT_FIELDS]
        widgets = {name: DateInput() for name in DATE_FIELDS} | {
            "description": forms.Textarea(attrs={"rows": 3}),
            "remarks": forms.Textarea(attrs={"rows": 2}),
            # Searchable (static/zhaoshang/selects.js); a large county's units come from the url.
            "unit": SearchSelect(url="units:options", query="for=project"),
            "park": SearchSelect(),
            "industry_section": SearchSelect(),
            # the introducing investor, one of possibly thousands: searched like the investors
            "introducer_investor": SearchSelect(url="investors:options"),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = Action.EDIT if self.instance.pk else Action.CREATE
        units = Unit.objects.where(user, action, on=ObjectType.PROJECT).exclude(kind=UnitKind.VILLAGE)
        field_of(self, "unit", forms.ModelChoiceField).queryset = units
        field_of(self, "park", forms.ModelChoiceField).queryset = Unit.objects.visible_to(user).filter(
            kind=UnitKind.PARK
        )
        field_of(self, "investors", forms.ModelChoiceField).queryset = Investor.objects.visible_to(user)
        field_of(self, "introducer_investor", forms.ModelChoiceField).queryset = Investor.objects.visible_to(
            user
        )
        # The earlier phase by its code (a select of every project would not scale).
        earlier = field_of(self, "phase_of", forms.ModelChoiceField)
        earlier.queryset = Project.objects.visible_to(user).exclude(pk=self.instance.pk)
        earlier.to_field_name = "code"
        earlier.widget = forms.TextInput(attrs={"placeholder": "XM00000001"})
        if self.instance.phase_of_id:
            self.initial["phase_of"] = self.instance.phase_of.code
        if self.instance.pk:
            self.fields["investors"].initial = list(self.instance.investors.values_list("pk", flat=True))
            self.fields["version"].initial = self.instance.version
        self.fields["drop_reason"].help_text = _("Only for dropped projects.")
        if not may_decide_counting(user, self.instance):
            for name in COUNTING_FIELDS:  # the bureau's decision: shown, not changed
                self.fields[name].disabled = True

    def new_investor(self) -> dict[str, Any] | None:
        """The fields of a new investor from the 'new investor' boxes, owned by the project's unit
        (recorded by investors.services.create_investor)."""
        name = self.cleaned_data.get("new_investor_name", "").strip()
        if not name:
            return None
        return {
            "name": name,
            "origin_country": self.cleaned_data.get("new_investor_country", "").strip() or DOMESTIC_COUNTRY,
            "origin_province": self.cleaned_data.get("new_investor_province", "").strip(),
            "origin_city": self.cleaned_data.get("new_investor_city", "").strip(),
            "unit": self.cleaned_data["unit"],
        }

    def project_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROJECT_FIELDS if name in self.cleaned_data}


class CreditForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Credited unit"), queryset=Unit.objects.none(), required=False, widget=SearchSelect()
    )
    share = forms.DecimalField(
        label=_("Share (%)"),
        max_digits=5,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            field_of(self, "unit", forms.ModelChoiceField).queryset = units

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("unit")) != (data.get("share") is not None):
            raise forms.ValidationError(_("Give both the unit and its share, or neither."))
        return data


class StewardForm(forms.Form):
    name = forms.CharField(label=_("Steward"), max_length=50, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


CreditFormSet = formset_factory(CreditForm, extra=0, min_num=3, max_num=20)
StewardFormSet = formset_factory(StewardForm, extra=0, min_num=2, max_num=20)


def credit_units(user: User, project_unit: Unit | None) -> Any:
    """Units that may be credited: the county around the project (or the user's own subtree)."""
    if project_unit is not None:
        return Unit.objects.subtree(credit_area(project_unit))
    roots = Unit.objects.visible_to(user).order_by("depth")[:1]
    return Unit.objects.subtree(credit_area(roots[0])) if roots else Unit.objects.none()


def credits_from(formset: Any) -> list[tuple[Unit, Decimal]]:
    return [
        (f.cleaned_data["unit"], f.cleaned_data["share"]) for f in formset.forms if f.cleaned_data.get("unit")
    ]


def stewards_from(formset: Any) -> list[StewardData]:
    return [
        StewardData(f.cleaned_data["name"].strip(), f.cleaned_data["position"], f.cleaned_data["phone"])
        for f in formset.forms
        if f.cleaned_data.get("name", "").strip()
    ]


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    on = forms.DateField(validators=[plausible_date], label=_("Date"), widget=DateInput())
    contracted_amount = forms.DecimalField(
        label=_("Contracted amount"),
        max_digits=15,
        decimal_places=4,
        min_value=Decimal(0),
        required=False,
        help_text=_("Needed when the move signs the project: to signed or any later stage."),
    )
    drop_reason = forms.CharField(label=_("Reason for dropping"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "to_stage", forms.ChoiceField).choices = [(s, Stage(s).label) for s in allowed]
        self.fields["on"].initial = timezone.localdate()


class ApprovalForm(forms.Form):
    """One row of the approvals checklist on the detail page."""

    done = forms.BooleanField(label=_("obtained"), required=False)
    done_on = forms.DateField(
        validators=[plausible_date], label=_("obtained on"), required=False, widget=DateInput()
    )
    reference = forms.CharField(label=_("document number"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("done") and not data.get("done_on"):
            self.add_error("done_on", _("Give the date the approval was obtained."))
        return data


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Attachment.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(label=_("file"))
