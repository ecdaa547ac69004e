"""Forms of the park pages; their choice lists hold only what the user may pick."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.dates import plausible_date
from zhaoshang.core.forms import field_of
from zhaoshang.core.geo import CoordinatesForm
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.parks.choices import AssetKind, InfrastructureKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"})
AREA = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
MONEY = {"max_digits": 15, "decimal_places": 4, "min_value": 0}


class ProfileForm(CoordinatesForm):
    planned_mu = forms.DecimalField(label=_("Planned area (mu)"), required=False, **AREA)  # type: ignore[arg-type]
    developed_mu = forms.DecimalField(label=_("Developed area (mu)"), required=False, **AREA)  # type: ignore[arg-type]
    reserve_mu = forms.DecimalField(label=_("Land reserve (mu)"), required=False, **AREA)  # type: ignore[arg-type]
    land_price_per_mu = forms.DecimalField(
        label=_("Land price (10k yuan per mu)"),
        required=False,
        **MONEY,  # type: ignore[arg-type]
    )
    land_price_policy = forms.CharField(
        label=_("Land price policy"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class InfrastructureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InfrastructureKind.choices)
    quantity = forms.DecimalField(label=_("Quantity (m or places)"), **AREA)  # type: ignore[arg-type]
    amount = forms.DecimalField(label=_("Investment (10k yuan)"), **MONEY)  # type: ignore[arg-type]
    built_on = forms.DateField(label=_("Built on"), widget=DATE, validators=[plausible_date])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class FactoryForm(forms.Form):
    name = forms.CharField(label=_("Building"), max_length=100)
    floor_area = forms.DecimalField(label=_("Floor area (m²)"), **AREA)  # type: ignore[arg-type]
    tenant = forms.ModelChoiceField(
        label=_("Tenant enterprise"), queryset=Enterprise.objects.none(), required=False
    )
    built_on = forms.DateField(label=_("Built on"), widget=DATE, required=False, validators=[plausible_date])

    def __init__(self, *args: Any, park: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "tenant", forms.ModelChoiceField).queryset = Enterprise.objects.filter(
            park=park
        ).order_by("name")


class IdleAssetForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    name = forms.CharField(label=_("Name or location"), max_length=200)
    area = forms.DecimalField(label=_("Area (mu for land, m² for buildings)"), **AREA)  # type: ignore[arg-type]
    owner = forms.CharField(label=_("Owner"), max_length=200)
    condition = forms.CharField(label=_("Condition"), max_length=300, required=False)
    asking_terms = forms.CharField(label=_("Asking terms"), max_length=300, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.where(user, Action.CREATE, on=ObjectType.PROJECT).filter(is_active=True)
        field_of(self, "unit", forms.ModelChoiceField).queryset = units.order_by("path")


class IdleAssetEditForm(IdleAssetForm):
    """An idle asset's own fields; the unit that offers it stays."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["unit"]
