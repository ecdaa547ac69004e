"""Forms of the request pages; their choice lists hold only what the user may pick."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhaoshang.coordination.choices import RequestKind
from zhaoshang.core.dates import plausible_date
from zhaoshang.core.forms import field_of
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

DATE = forms.DateInput(attrs={"type": "date"})


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request type"), choices=RequestKind.choices)
    unit = forms.ModelChoiceField(label=_("Requesting unit"), queryset=Unit.objects.none())
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units: QuerySet = Unit.objects.where(user, Action.CREATE, on=ObjectType.REQUEST).filter(
            is_active=True
        )
        field_of(self, "unit", forms.ModelChoiceField).queryset = units.order_by("path")
        field_of(self, "project", forms.ModelChoiceField).queryset = Project.objects.visible_to(
            user
        ).order_by("name")
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class AcceptForm(forms.Form):
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.none())
    deadline = forms.DateField(
        validators=[plausible_date],
        label=_("Deadline"),
        required=False,
        widget=DATE,
        help_text=_("Empty: the default working days of the kind."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, county: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner_unit", forms.ModelChoiceField).queryset = (
            Unit.objects.subtree(county).filter(is_active=True).order_by("path")
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 3}))
    final = forms.BooleanField(
        label=_("This is the answer (not a progress note)"), required=False, initial=True
    )
    file = forms.FileField(label=_("File"), required=False)


class CloseForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("Evaluation"), required=False, max_length=500)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    file = forms.FileField(label=_("File"), required=False)
