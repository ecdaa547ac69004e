"""includes/field.html, the one way a form field is drawn on the pages: text boxes and selects get
Bootstrap's classes, a single checkbox its form-check, and a list of checkboxes or radio buttons is
laid out as a list of boxes (it drew each box as an empty text box before)."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class Sample(forms.Form):
    name = forms.CharField(label="名称")
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲"), ("b", "乙")])
    key = forms.BooleanField(label="重点", required=False)
    kinds = forms.MultipleChoiceField(
        label="计入", choices=[("x", "一"), ("y", "二"), ("z", "三")], widget=forms.CheckboxSelectMultiple
    )
    level = forms.ChoiceField(label="层级", choices=[("1", "县"), ("2", "市")], widget=forms.RadioSelect)


def drawn(name: str) -> str:
    return render_to_string("includes/field.html", {"field": Sample(initial={"kinds": ["y"]})[name]})


def classes_of_inputs(html: str, kind: str) -> list[str]:
    return re.findall(rf'<input type="{kind}"[^>]*class="([^"]*)"', html)


def test_a_list_of_checkboxes_draws_boxes_not_text_boxes() -> None:
    html = drawn("kinds")
    assert "form-control" not in html and "form-select" not in html
    assert classes_of_inputs(html, "checkbox") == ["choice-list"] * 3
    assert re.search(r'<div id="id_kinds" class="choice-list">', html)
    assert "checked" in html.split('value="y"')[1].split(">")[0]  # the initial choice stays ticked
    for label in ("一", "二", "三", "计入"):
        assert label in html


def test_radio_buttons_are_drawn_the_same_way() -> None:
    html = drawn("level")
    assert "form-control" not in html
    assert classes_of_inputs(html, "radio") == ["choice-list"] * 2


def test_text_boxes_selects_and_single_checkboxes_keep_their_classes() -> None:
    assert 'class="form-control form-control-sm"' in drawn("name")
    assert re.search(r'<select[^>]*class="form-select form-select-sm"', drawn("kind"))
    single = drawn("key")
    assert 'class="form-check-input"' in single and '<div class="form-check">' in single
