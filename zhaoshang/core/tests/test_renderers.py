"""The form renderer writes Django's select and input templates in Python (core/renderers.py): the
HTML must be exactly what the templates give, for every kind of widget and value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.renderers import FormRenderer

CHOICES = [
    ("", "---------"),
    ("a", '甲 <乙> & "丙"'),
    (1, _("Project ledger")),
    ("x'y", mark_safe("<b>粗</b>")),
]
GROUPED = [("", "---------"), ("组一", [("1", "一"), ("2", "二")]), ("Group <2>", [("3", "三")]), ("4", "四")]

WIDGETS: list[tuple[forms.Widget, Any, dict[str, Any] | None]] = [
    (forms.Select(choices=CHOICES), "a", {"class": "form-select", "id": "id_f"}),
    (forms.Select(choices=CHOICES), None, None),
    (forms.Select(choices=CHOICES), 1, {"required": True, "disabled": False, "data-x": 0}),
    (forms.Select(choices=GROUPED), "3", {"id": "id_g"}),
    (forms.SelectMultiple(choices=CHOICES), ["a", "x'y"], {"class": "c"}),
    (forms.SelectMultiple(choices=GROUPED), [], None),
    (forms.NullBooleanSelect(), True, None),
    (forms.TextInput(), 'a "quoted" <value> & more', {"class": "form-control", "maxlength": 50}),
    (forms.TextInput(), None, {"placeholder": "名称", "autofocus": True, "readonly": False}),
    (forms.TextInput(), "", None),
    (forms.NumberInput(), Decimal("1234.5600"), {"step": "any", "min": 0}),
    (forms.NumberInput(), 2026, None),
    (forms.DateInput(), dt.date(2024, 2, 29), {"type": "date"}),
    (forms.DateInput(attrs={"type": "date"}), "2024-02-29", None),
    (forms.HiddenInput(), 42, None),
    (forms.PasswordInput(render_value=True), "s<e>cret", None),
    (forms.EmailInput(), "a@b.cn", None),
    (forms.URLInput(), "https://example.cn/?a=1&b=2", None),
]


def test_the_project_renders_forms_with_it() -> None:
    assert settings.FORM_RENDERER == "zhaoshang.core.renderers.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("widget", "value", "attrs"), WIDGETS)
def test_selects_and_inputs_give_the_html_of_the_templates(
    widget: forms.Widget, value: Any, attrs: dict[str, Any] | None, language: str
) -> None:
    with translation.override(language):
        expected = widget.render("f", value, attrs, renderer=DjangoTemplates())
        assert widget.render("f", value, attrs, renderer=FormRenderer()) == expected
    assert "<" in expected


def test_other_widgets_still_go_through_their_templates() -> None:
    for widget, value in (
        (forms.Textarea(), "a\n<b>"),
        (forms.CheckboxInput(), True),
        (forms.RadioSelect(choices=CHOICES), "a"),
        (forms.CheckboxSelectMultiple(choices=CHOICES), ["a"]),
        (forms.ClearableFileInput(), None),
        (forms.SplitDateTimeWidget(), dt.datetime(2024, 2, 29, 8, 30)),
    ):
        expected = widget.render("f", value, None, renderer=DjangoTemplates())
        assert widget.render("f", value, None, renderer=FormRenderer()) == expected


def test_a_whole_form_renders_the_same() -> None:
    class Form(forms.Form):
        name = forms.CharField(max_length=20, label="名称")
        kind = forms.ChoiceField(choices=CHOICES[1:])
        kinds = forms.MultipleChoiceField(choices=GROUPED[1:], required=False)
        on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        note = forms.CharField(widget=forms.Textarea, required=False)

    bound = Form({"name": "<x>", "kind": "zzz", "kinds": ["1", "3"], "on": "bad"})
    assert not bound.is_valid()
    assert bound.render(renderer=FormRenderer()) == bound.render(renderer=DjangoTemplates())
