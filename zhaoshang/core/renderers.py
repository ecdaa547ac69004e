"""The form renderer (``FORM_RENDERER``): Django's own widget templates, with the commonest ones
written out in Python.

A select renders every option through two included templates, an input through two more: the filter
form of the project list (eleven fields, about 80 options) took 15-20 ms of a page through the
template engine. ``render`` writes Django's ``select.html``, ``select_option.html`` and
``input.html`` (with ``attrs.html``) itself, to the same HTML; every other template, and any widget
that names another option template, still goes through the template engine. A test renders widgets
of every kind both ways and compares the HTML.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# Django's input widgets whose template is only {% include "django/forms/widgets/input.html" %}.
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
    )
)


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: text that was safe stays as it is."""
    return str(value) if isinstance(value, SafeData) else escape("%s" % (value,))  # noqa: UP031


def _shown(value: Any) -> str:
    """``{{ value }}``: localized, then escaped unless safe."""
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``attrs.html``: ``name="value"``, a bare name for True, nothing for False."""
    return "".join(
        f" {_shown(name)}" if value is True else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_shown(option['label'])}</option>\n"  # the included template's last line break
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    attrs = _attrs(widget["attrs"])
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{attrs}>'


class FormRenderer(DjangoTemplates):
    """Django's default renderer, with selects and inputs written in Python (see the module)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is not None and widget.get("template_name") == template_name:
            html = None
            if template_name == SELECT:
                html = _select(widget)
            elif template_name in INPUTS:
                html = _input(widget)
            if html is not None:
                return html
        return super().render(template_name, context, request)
