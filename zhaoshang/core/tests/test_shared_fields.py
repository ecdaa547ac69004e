"""The shared pieces models and services use: ``optional_link`` and ``blank_errors``."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import translation

from zhaoshang.core.fields import optional_link
from zhaoshang.core.text import blank_errors
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.enterprises.services import past_quarters
from zhaoshang.units.models import Unit


def test_blank_errors_names_only_the_empty_or_blank_fields():
    with translation.override("en"):
        errors = blank_errors(title="  ", description="text", note="", name="\t\n")
    assert sorted(errors) == ["name", "note", "title"]
    assert set(errors.values()) == {"This field is required."}
    assert blank_errors(title="a") == {}


def test_optional_link_is_null_blank_and_protecting_unless_told():
    park = Enterprise._meta.get_field("park")
    assert isinstance(park, models.ForeignKey) and not isinstance(park, models.OneToOneField)
    assert (park.null, park.blank, park.remote_field.on_delete) == (True, True, models.PROTECT)
    assert park.related_model is Unit and park.remote_field.related_name == "park_enterprises"
    project = Enterprise._meta.get_field("project")
    assert isinstance(project, models.OneToOneField)
    loose = optional_link("units.Unit", "unit", related_name="+", on_delete=models.SET_NULL)
    assert loose.remote_field.on_delete is models.SET_NULL


def test_past_quarters_count_back_across_the_year():
    assert past_quarters(2, dt.date(2026, 2, 10)) == [(2025, 3), (2025, 4)]
    assert past_quarters(5, dt.date(2026, 12, 31)) == [(2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3)]
