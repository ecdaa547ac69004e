"""Forms of the enterprise pages; their choice lists hold only what the user may pick."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.accounts.models import User
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.forms import field_of
from zhaoshang.core.geo import CoordinatesForm
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import path_q, scope_roots
from zhaoshang.enterprises.choices import QUARTERS
from zhaoshang.enterprises.services import operating_unregistered
from zhaoshang.investors.models import Investor
from zhaoshang.projects.choices import IndustrySection, Sector
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User as Person

DATE = forms.DateInput(attrs={"type": "date"})
MONEY = {"max_digits": 15, "decimal_places": 4, "min_value": 0}


def parks_for(user: Person) -> Any:
    """The parks of the counties the user may register enterprises in."""
    roots = Unit.objects.filter(path__in=scope_roots(user, Action.CREATE, on=ObjectType.PROJECT))
    counties = {(Unit.objects.county_of(root) or root).path for root in roots}
    parks = Unit.objects.filter(kind=UnitKind.PARK, is_active=True)
    if not counties:
        return parks.none()
    return parks.filter(path_q("path", sorted(counties)))


class EnterpriseForm(CoordinatesForm):
    project = forms.ModelChoiceField(
        label=_("From the project in production"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Leave empty for an enterprise that came before the system."),
    )
    name = forms.CharField(label=_("Enterprise name"), max_length=200, required=False)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=40, required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    park = forms.ModelChoiceField(label=_("Park"), queryset=Unit.objects.none(), required=False)
    investor = forms.ModelChoiceField(label=_("Investor"), queryset=Investor.objects.none(), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "---------"), *Sector.choices], required=False
    )
    industry_section = forms.ChoiceField(
        label=_("Industry (GB/T 4754)"), choices=[("", "---------"), *IndustrySection.choices], required=False
    )
    land_mu = forms.DecimalField(
        label=_("Land (mu)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    key = forms.BooleanField(label=_("Key enterprise"), required=False)
    above_scale_on = forms.DateField(
        label=_("Above the statistical threshold since"),
        required=False,
        widget=DATE,
        validators=[plausible_date],
    )
    operating_on = forms.DateField(
        label=_("In production since"), required=False, widget=DATE, validators=[plausible_date]
    )
    stewards = forms.ModelMultipleChoiceField(
        label=_("Steward officials"), queryset=User.objects.none(), required=False
    )
    remarks = forms.CharField(label=_("Remarks"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.where(user, Action.CREATE, on=ObjectType.PROJECT).filter(is_active=True)
        field_of(self, "unit", forms.ModelChoiceField).queryset = units.order_by("path")
        visible = Unit.objects.where(user, Action.VIEW, on=ObjectType.PROJECT)
        parks = parks_for(user)
        field_of(self, "park", forms.ModelChoiceField).queryset = parks.order_by("path")
        field_of(self, "project", forms.ModelChoiceField).queryset = operating_unregistered(user)
        field_of(self, "investor", forms.ModelChoiceField).queryset = Investor.objects.visible_to(
            user
        ).order_by("name")
        # The officials of the counties the user works in (the service checks the enterprise's own).
        officials = User.objects.filter(is_active=True, memberships__unit__in=visible).distinct()
        field_of(self, "stewards", forms.ModelMultipleChoiceField).queryset = officials.order_by(
            "display_name"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("project"):
            for name in ("name", "unit"):
                if not data.get(name):
                    self.add_error(name, _("This field is required."))
        return data


class ReturnForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int)
    output = forms.DecimalField(label=_("Output value (10k yuan)"), **MONEY)  # type: ignore[arg-type]
    sales = forms.DecimalField(label=_("Sales (10k yuan)"), **MONEY)  # type: ignore[arg-type]
    tax = forms.DecimalField(label=_("Tax paid (10k yuan)"), **MONEY)  # type: ignore[arg-type]
    jobs = forms.IntegerField(label=_("Jobs"), min_value=0)
    energy = forms.DecimalField(
        label=_("Energy use (tce)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )


class VerifyForm(forms.Form):
    """Nothing to fill in: the button is the decision."""


class ReturnBackForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=500)


class ReturnCorrectForm(forms.Form):
    """The bureau's corrected figures of a verified return, with the reason (prefixed per return on
    the enterprise page, as several verified returns show their form at once)."""

    output = forms.DecimalField(label=_("Output value (10k yuan)"), **MONEY)  # type: ignore[arg-type]
    sales = forms.DecimalField(label=_("Sales (10k yuan)"), **MONEY)  # type: ignore[arg-type]
    tax = forms.DecimalField(label=_("Tax paid (10k yuan)"), **MONEY)  # type: ignore[arg-type]
    jobs = forms.IntegerField(label=_("Jobs"), min_value=0)
    energy = forms.DecimalField(
        label=_("Energy use (tce)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    reason = forms.CharField(label=_("Reason for the correction"), max_length=500)


class ReturnWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the withdrawal"), max_length=500)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE, validators=[plausible_date])
    visitors = forms.CharField(label=_("Visited by"), max_length=300)
    findings = forms.CharField(
        label=_("Production and operation found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label=_("Problems raised"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Each visit's problems become a request for coordination of the enterprise's unit."),
    )


class EnterpriseEditForm(EnterpriseForm):
    """The enterprise's own fields; its unit and the project it came from stay as registered."""

    def __init__(self, *args: Any, user: Person, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        del self.fields["project"]
        del self.fields["unit"]

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        if not data.get("name"):
            self.add_error("name", _("This field is required."))
        return data
