from __future__ import annotations

from typing import Any

from django import forms

from zhaoshang.core.permissions import Action
from zhaoshang.units.models import Unit


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["parent", "kind", "name", "short_name", "code", "sort_order", "is_active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Unit.objects.visible_to(user, Action.CONFIGURE)
        if self.instance.pk:
            low, high = self.instance.subtree_range
            parents = parents.exclude(path__gte=low, path__lt=high)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = True
