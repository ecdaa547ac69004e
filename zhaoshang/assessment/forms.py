"""Forms of the scheme editor; the formula's parameters are checked by the formula engine."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment import formulas
from zhaoshang.assessment.choices import COUNTED, PERSONAL, Period
from zhaoshang.assessment.models import Group, Item
from zhaoshang.ledger.models import Indicator


class ItemForm(forms.ModelForm):
    """One line of the scoring table: its figure, its formula and the formula's parameters."""

    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())
    params = forms.CharField(
        label=_("Parameters"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('As JSON, amounts as text: {"weight": "50", "cap": "50", "floor": "60"}'),
    )

    class Meta:
        model = Item
        fields = [
            "group",
            "code",
            "name",
            "max_points",
            "source",
            "indicator",
            "formula",
            "params",
            "method",
            "sort_order",
        ]

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        # the shared indicators and the scheme's county's own, not another county's
        county = next((g.scheme.county for g in groups.select_related("scheme__county")[:1]), None)
        indicators = Indicator.objects.for_unit(county) if county is not None else Indicator.objects.none()
        self.fields["indicator"].queryset = indicators.filter(is_active=True)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["params"] = json.dumps(self.instance.params, ensure_ascii=False)

    def clean_params(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["params"])
        except ValueError as error:
            raise forms.ValidationError(_("Write the parameters as JSON.")) from error
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Write the parameters as JSON."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") not in ("manual", *COUNTED, *PERSONAL) and not data.get("indicator"):
            self.add_error("indicator", _("Choose the indicator this item reads."))
        if "formula" in data and "params" in data:
            try:
                formulas.check(data["formula"], data["params"])
            except formulas.ParamError as error:
                self.add_error("params", str(error))
        return data


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class SelfEvaluationForm(forms.Form):
    """自評: a unit's own points on a manual item of its group, with what they rest on."""

    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.none())
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices, initial=Period.QUARTER)
    month = forms.IntegerField(label=_("Last month of the period"), min_value=1, max_value=12)
    value = forms.DecimalField(label=_("Self-evaluation"), max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("What it rests on"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label=_("Evidence"), required=False)

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items  # type: ignore[attr-defined]


class PersonGroupForm(forms.Form):
    """A new group of persons on a scheme: its name and whose staff it ranks."""

    name = forms.CharField(label=_("name of the group"), max_length=60, initial=_("Promotion staff"))
    unit_kinds = forms.MultipleChoiceField(
        label=_("the staff of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: the staff of every unit of the county."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from zhaoshang.assessment.services import STAFF_KINDS
        from zhaoshang.units.choices import UnitKind

        super().__init__(*args, **kwargs)
        field = self.fields["unit_kinds"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(kind, UnitKind(kind).label) for kind in STAFF_KINDS]
