"""Shapes of investors (客商) in the JSON API. Amounts are decimal strings (core/api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from zhaoshang.core.api import IsoDate, Money, MoneyIn, text_input
from zhaoshang.investors.models import Investor
from zhaoshang.units.schemas import UnitRef


class ContactOut(Schema):
    name: str
    position: str
    phone: str
    email: str
    wechat: str
    unit: UnitRef


class InvestorOut(Schema):
    id: int
    name: str
    kind: str
    credit_code: str
    origin: str
    origin_country: str
    origin_province: str
    origin_city: str
    industry: str
    size: str
    registered_capital: Money | None
    website: str
    tags: str
    notes: str
    next_follow_up_on: dt.date | None
    unit: UnitRef
    contacts: list[ContactOut]

    @staticmethod
    def resolve_contacts(obj: Investor) -> list[Any]:
        return list(obj.contacts.all())


class ContactIn(Schema):
    name: Annotated[str, text_input(50, 1)]
    position: Annotated[str, text_input(100)] = ""
    phone: Annotated[str, text_input(30)] = ""
    email: Annotated[str, text_input(254)] = ""
    wechat: Annotated[str, text_input(50)] = ""
    unit_id: int | None = Field(
        None, description="The unit owning the relationship; the investor's by default."
    )


class InvestorFieldsIn(Schema):
    """Only the fields sent are set."""

    name: Annotated[str, text_input(200, 1)] | None = None
    kind: str | None = None
    credit_code: Annotated[str, text_input(30)] | None = Field(
        None, description="统一社会信用代码, 18 characters, check digit verified."
    )
    origin_country: Annotated[str, text_input(50)] | None = None
    origin_province: Annotated[str, text_input(50)] | None = None
    origin_city: Annotated[str, text_input(50)] | None = None
    industry: Annotated[str, text_input(100)] | None = None
    size: str | None = None
    registered_capital: MoneyIn | None = None
    website: Annotated[str, text_input(200)] | None = None
    tags: Annotated[str, text_input(200)] | None = None
    notes: str | None = None
    next_follow_up_on: IsoDate | None = None
    unit_id: int | None = Field(None, description="The owning unit; must be in your subtree.")
    contacts: list[ContactIn] | None = Field(None, description="Replaces the whole list of contacts.")


class InvestorIn(InvestorFieldsIn):
    name: Annotated[str, text_input(200, 1)]
    unit_id: int
    allow_duplicates: bool = Field(
        False, description="Save although likely duplicates exist (they are answered with 409 otherwise)."
    )


class DuplicateOut(Schema):
    id: int
    name: str
    reason: str
    exact: bool


class DuplicatesOut(Schema):
    detail: str
    duplicates: list[DuplicateOut]
