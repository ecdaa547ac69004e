"""Forms of the catalogue's private pages. Choice lists only offer what the user may reach."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.catalogue.choices import FileKind, Prep
from zhaoshang.catalogue.models import Offer
from zhaoshang.catalogue.services import OFFER_FIELDS
from zhaoshang.core.forms import field_of
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.investors.models import Investor
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

TEXTAREAS = ("content", "content_en", "advantages", "advantages_en", "market", "market_en", "notes")


class OfferForm(forms.ModelForm):
    prep = forms.MultipleChoiceField(
        label=_("Preparatory work done"),
        choices=Prep.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Offer
        fields = list(OFFER_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in TEXTAREAS}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = Action.EDIT if self.instance.pk else Action.CREATE
        units = Unit.objects.where(user, action, on=ObjectType.OFFER).exclude(kind=UnitKind.VILLAGE)
        field_of(self, "unit", forms.ModelChoiceField).queryset = units
        field_of(self, "park", forms.ModelChoiceField).queryset = Unit.objects.where(
            user, "view", on=ObjectType.OFFER
        ).filter(kind=UnitKind.PARK)

    def _post_clean(self) -> None:
        """The service validates the offer as a whole; the form checks only its own fields."""

    def offer_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in OFFER_FIELDS if name in self.cleaned_data}


class MoveForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason or note"), max_length=500, required=False)


class AskOpinionForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, offer: Offer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offer is not None and offer.county is not None:
            field_of(self, "department", forms.ModelChoiceField).queryset = Unit.objects.filter(
                kind=UnitKind.DEPARTMENT, path__startswith=offer.county.path, is_active=True
            )


class OpinionForm(forms.Form):
    opinion = forms.IntegerField(widget=forms.HiddenInput)
    agrees = forms.TypedChoiceField(
        label=_("Opinion"),
        choices=[("1", _("Agrees")), ("0", _("Disagrees"))],
        coerce=lambda v: v == "1",
    )
    text = forms.CharField(label=_("Opinion text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class FileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FileKind.choices)
    file = forms.FileField(label=_("File"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class TakeForm(forms.Form):
    investor = forms.ModelChoiceField(label=_("Investor"), queryset=Investor.objects.none())
    name = forms.CharField(label=_("Project name"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            field_of(self, "investor", forms.ModelChoiceField).queryset = Investor.objects.visible_to(user)


class ProfileForm(forms.Form):
    intro = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    intro_en = forms.CharField(
        label=_("Introduction (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    advantages = forms.CharField(
        label=_("Advantages"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    advantages_en = forms.CharField(
        label=_("Advantages (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    policies = forms.CharField(
        label=_("Investment policies"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    policies_en = forms.CharField(
        label=_("Investment policies (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    published = forms.BooleanField(label=_("Published"), required=False)


class BrochureForm(forms.Form):
    offers = forms.ModelMultipleChoiceField(
        label=_("Projects"), queryset=Offer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title"), max_length=60, initial=_("Key investment projects"))
    format = forms.ChoiceField(label=_("Format"), choices=[("docx", "Word (.docx)"), ("pdf", "PDF")])

    def __init__(self, *args: Any, offers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offers is not None:
            field_of(self, "offers", forms.ModelMultipleChoiceField).queryset = offers


class FairOffersForm(forms.Form):
    offers = forms.ModelMultipleChoiceField(
        label=_("Offers promoted"),
        queryset=Offer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, offers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if offers is not None:
            field_of(self, "offers", forms.ModelMultipleChoiceField).queryset = offers
