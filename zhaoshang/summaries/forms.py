from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.summaries.choices import Script, Section
from zhaoshang.summaries.services import MAX_CHARS
from zhaoshang.units.models import Unit

MONTHS = [(m, str(m)) for m in range(1, 13)]


class PeriodForm(forms.Form):
    """Which unit and which months: the choice of the summary index page."""

    unit: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Unit"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    first = forms.TypedChoiceField(label=_("From month"), choices=MONTHS, coerce=int, initial=1)
    last = forms.TypedChoiceField(label=_("To month"), choices=MONTHS, coerce=int, initial=12)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError(_("The first month must not come after the last."))
        return data


class SectionForm(forms.Form):
    section = forms.ChoiceField(choices=Section.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text"), required=False, max_length=MAX_CHARS, widget=forms.Textarea(attrs={"rows": 8})
    )


class ScriptForm(forms.Form):
    script = forms.ChoiceField(choices=Script.choices, required=False)

    def chosen(self) -> str:
        """The script asked for; Simplified when none (or a wrong one) is."""
        if not self.is_valid():
            return Script.SIMPLIFIED
        return self.cleaned_data.get("script") or Script.SIMPLIFIED


class BatchForm(forms.Form):
    what = forms.ChoiceField(choices=[("summary", _("Work summaries")), ("bulletin", _("Monthly bulletins"))])
    script = forms.ChoiceField(choices=Script.choices, required=False)
    reach = forms.ChoiceField(
        choices=[
            ("children", _("of every direct subordinate unit")),
            ("counties", _("of every county below")),
        ],
        required=False,
    )
