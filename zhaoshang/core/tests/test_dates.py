"""The dates a person may type: from 1949-10-01 to ten years ahead, in forms, models and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from zhaoshang.core.dates import EARLIEST, date_problem, latest, plausible_date
from zhaoshang.projects import services as project_services

TODAY = dt.date(2026, 12, 7)


def test_the_bounds_are_inclusive():
    assert date_problem(EARLIEST, today=TODAY) is None
    assert date_problem(dt.date(2036, 12, 7), today=TODAY) is None
    assert date_problem(EARLIEST - dt.timedelta(days=1), today=TODAY)
    assert date_problem(dt.date(2036, 12, 8), today=TODAY)


def test_ten_years_after_a_leap_day_is_the_28th():
    assert latest(dt.date(2028, 2, 29)) == dt.date(2038, 2, 28)


def test_the_message_names_the_bound_in_the_users_language():
    with translation.override("zh-hans"):
        assert "1949-10-01" in date_problem(dt.date(1, 1, 1), today=TODAY)
    with translation.override("en"):
        assert date_problem(dt.date(9999, 12, 31), today=TODAY).startswith("Enter a date on or before")


def test_a_form_date_field_with_the_validator_refuses_year_one():
    class Form(forms.Form):
        day = forms.DateField(validators=[plausible_date])

    form = Form({"day": "0001-01-01"})
    assert not form.is_valid() and "day" in form.errors
    assert Form({"day": "2020-05-01"}).is_valid()


def test_the_validator_lets_empty_values_through():
    plausible_date(None)
    with pytest.raises(ValidationError):
        plausible_date(dt.date(1900, 1, 1))


@pytest.mark.django_db
def test_a_project_cannot_be_first_contacted_in_year_one(cast):
    # The probe stored 0001-01-01 as a first contact through the API; the service's full_clean now
    # refuses it whatever the entry point (page, API, import).
    with pytest.raises(ValidationError) as refused:
        project_services.create_project(
            by=cast.admin,
            data={"name": "年份错误项目", "unit": cast.town_a, "first_contact_on": dt.date(1, 1, 1)},
        )
    assert "first_contact_on" in refused.value.message_dict
