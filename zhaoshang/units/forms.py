from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from zhaoshang.core import tree
from zhaoshang.core.forms import field_of
from zhaoshang.core.permissions import Action
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["parent", "kind", "name", "short_name", "code", "sort_order", "is_active"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.visible_to(user, Action.CONFIGURE)
        if self.instance.pk:
            parents = parents.exclude(tree.subtree_q(self.instance.path, "path"))
        field_of(self, "parent", forms.ModelChoiceField).queryset = parents
        self.fields["parent"].required = True
