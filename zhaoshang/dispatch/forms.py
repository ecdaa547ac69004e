"""Forms of the dispatch pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.dates import plausible_date
from zhaoshang.core.widgets import DateInput
from zhaoshang.dispatch.choices import REPORTABLE_STAGES
from zhaoshang.dispatch.models import Report
from zhaoshang.ledger.choices import FundsSource
from zhaoshang.projects.choices import Stage


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["investment", "factory_area", "progress_percent", "progress_text", "problems"]
        widgets = {
            "progress_text": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.Textarea(attrs={"rows": 3}),
        }


class FundsLineForm(forms.Form):
    source = forms.ChoiceField(label=_("source"), choices=FundsSource.choices)
    amount = forms.DecimalField(
        label=_("amount (10,000 CNY; foreign: 10,000 USD)"),
        max_digits=15,
        decimal_places=4,
        min_value=Decimal("0.0001"),
    )
    arrived_on = forms.DateField(validators=[plausible_date], label=_("arrived on"), widget=DateInput())
    # a photographed bank slip is shrunk in the browser like any photo (static/zhaoshang/photos.js)
    evidence = forms.FileField(
        label=_("evidence"), widget=forms.ClearableFileInput(attrs={"data-shrink-images": ""})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arrived_on"].initial = timezone.localdate()


class FileForm(forms.Form):
    """A photo or file of a report. The page offers it twice: a photo taken with the phone's camera
    (``photo_attrs``) and any file; pictures are shrunk before upload (static/zhaoshang/photos.js)."""

    file = forms.FileField(
        label=_("photo or file"), widget=forms.ClearableFileInput(attrs={"data-shrink-images": ""})
    )


class PhotoForm(FileForm):
    """The camera's input: ``accept``/``capture`` open the rear camera on a phone (a desktop browser
    shows a picker of images)."""

    file = forms.FileField(
        label=_("Take or choose a photo"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "data-shrink-images": ""}
        ),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for returning"), max_length=300)


class CalendarForm(forms.Form):
    days = forms.CharField(
        label=_("dispatch days of the month"),
        help_text=_(
            "Days separated by commas, e.g. 12,27. A day beyond a month's length falls on its last day."
        ),
    )
    open_days_before = forms.IntegerField(
        label=_("days before a dispatch day that the round opens"), min_value=0, max_value=27
    )
    stages = forms.MultipleChoiceField(
        label=_("stages that must report"),
        choices=[(s.value, s.label) for s in REPORTABLE_STAGES],
        widget=forms.CheckboxSelectMultiple,
    )
    report_operating = forms.BooleanField(
        label=_("projects that began operating report for one more round"), required=False
    )
    stalled_after = forms.IntegerField(
        label=_("rounds without progress before a project counts as stalled"), min_value=1, max_value=24
    )

    def clean_days(self) -> list[int]:
        try:
            days = sorted(
                {int(p) for p in self.cleaned_data["days"].replace("，", ",").split(",") if p.strip()}
            )
        except ValueError as error:
            raise forms.ValidationError(
                _("Give one or more days of the month, each from 1 to 31.")
            ) from error
        if not days or any(not 1 <= d <= 31 for d in days):
            raise forms.ValidationError(_("Give one or more days of the month, each from 1 to 31."))
        return days


STAGE_CHOICES = [(s.value, s.label) for s in Stage]
