"""Forms of the investor pages. Choice lists only offer what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import field_of
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.widgets import DateInput
from zhaoshang.investors.models import Investor
from zhaoshang.investors.services import INVESTOR_FIELDS, ContactData
from zhaoshang.units import places
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


def editable_units(user: User, action: str = Action.EDIT) -> Any:
    return Unit.objects.where(user, action, on=ObjectType.INVESTOR).exclude(kind=UnitKind.VILLAGE)


ORIGIN_WORDS = ("origin_country", "origin_province", "origin_city")


class InvestorForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    origin_code = forms.ChoiceField(
        label=_("origin"),
        required=False,
        help_text=_("A province, city or county (GB/T 2260), or a country or region abroad."),
    )
    save_anyway = forms.BooleanField(label=_("These are not the same investor: save anyway"), required=False)

    class Meta:
        model = Investor
        fields = [name for name in INVESTOR_FIELDS if name not in ORIGIN_WORDS]
        widgets = {"next_follow_up_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = Action.EDIT if self.instance.pk else Action.CREATE
        field_of(self, "unit", forms.ModelChoiceField).queryset = editable_units(user, action)
        field_of(self, "origin_code", forms.ChoiceField).choices = places.form_choices()
        self.fields["origin_code"].initial = self.instance.origin_code
        # The service normalises the code (full-width, lower case, spaces) before validating it.
        self.fields["credit_code"].validators = []
        field_of(self, "credit_code", forms.CharField).max_length = 30
        self.fields["credit_code"].widget.attrs["maxlength"] = 30

    def _post_clean(self) -> None:
        """The service validates the model (after normalising); the form checks only its fields."""

    def investor_data(self) -> dict[str, Any]:
        """The service's data; the origin chosen as a code is written as the words it stands for
        (``Investor.save`` keeps the code with them). An old origin that no code matched is kept as
        it was until the operator chooses one."""
        data = {name: self.cleaned_data[name] for name in INVESTOR_FIELDS if name in self.cleaned_data}
        code = self.cleaned_data.get("origin_code", "")
        if code or self.instance.origin_code:
            data.update(zip(ORIGIN_WORDS, places.words_of(code), strict=True))
        return data


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Contact"), max_length=50, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    wechat = forms.CharField(label=_("WeChat"), max_length=50, required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit owning the relationship"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            field_of(self, "unit", forms.ModelChoiceField).queryset = units


ContactFormSet = formset_factory(ContactForm, extra=0, min_num=2, max_num=30)


def contacts_from(formset: Any) -> list[ContactData]:
    return [
        ContactData(
            name=f.cleaned_data["name"],
            position=f.cleaned_data["position"],
            phone=f.cleaned_data["phone"],
            email=f.cleaned_data["email"],
            wechat=f.cleaned_data["wechat"],
            unit=f.cleaned_data["unit"],
        )
        for f in formset.forms
        if f.cleaned_data.get("name", "").strip()
    ]


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Merge this investor into the one shown"), queryset=Investor.objects.none()
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "other", forms.ModelChoiceField).queryset = queryset
