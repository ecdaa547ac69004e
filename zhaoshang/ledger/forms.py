from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.dates import plausible_date
from zhaoshang.core.forms import field_of
from zhaoshang.core.widgets import DateInput
from zhaoshang.ledger.choices import FundsSource, FundsStatus
from zhaoshang.units import places


class FundsForm(forms.Form):
    arrived_on = forms.DateField(validators=[plausible_date], label=_("arrived on"), widget=DateInput())
    source = forms.ChoiceField(label=_("source"), choices=FundsSource.choices)
    amount = forms.DecimalField(
        label=_("amount (10,000 CNY; foreign: 10,000 USD)"),
        max_digits=15,
        decimal_places=4,
        min_value=Decimal("0.0001"),
    )
    origin = forms.ChoiceField(
        label=_("origin"),
        required=False,
        help_text=_("Where the money comes from; it decides the level (市内县际, 市外省内, 国内省外, 境外)."),
    )
    evidence = forms.FileField(label=_("evidence"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    verified = forms.BooleanField(label=_("verified by the bureau now"), required=False)

    def __init__(self, *args: Any, may_verify: bool = False, origin: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["arrived_on"].initial = timezone.localdate()
        field_of(self, "origin", forms.ChoiceField).choices = places.form_choices()
        self.fields["origin"].initial = origin
        if not may_verify:
            del self.fields["verified"]


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for returning"), max_length=200)


class FundsQueueFilter(forms.Form):
    NEWEST, OLDEST = "newest", "oldest"

    status = forms.ChoiceField(
        label=_("status"),
        choices=[("", _("all")), *FundsStatus.choices],
        required=False,
        initial=FundsStatus.REPORTED,
    )
    q = forms.CharField(label=_("Project, unit or investor"), required=False, max_length=100)
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[(NEWEST, _("newest first")), (OLDEST, _("oldest first"))],
        required=False,
        initial=NEWEST,
    )
