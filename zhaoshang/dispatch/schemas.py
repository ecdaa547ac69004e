"""Shapes of dispatch rounds and progress reports (進展報告) in the JSON API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, TypeAlias

from ninja import Field, Schema
from pydantic import StringConstraints

from zhaoshang.core.api import IsoDate, Money, MoneyIn, decimal_input, decimal_output

Area: TypeAlias = Annotated[Decimal, *decimal_output(2, "1200.00")]
AreaIn: TypeAlias = Annotated[Decimal, *decimal_input(15, 2, "1200")]
Text: TypeAlias = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class RoundOut(Schema):
    id: int
    county_id: int
    county: str = Field(..., alias="county.name")
    due_on: IsoDate = Field(..., description="The dispatch day: reports are due (cut off) on it.")
    opens_on: IsoDate
    period_start: IsoDate


class FundsLineOut(Schema):
    id: int
    source: str
    amount: Money
    arrived_on: IsoDate
    funds_id: int | None = Field(None, description="The funds-arrived record made on submission.")


class ReportOut(Schema):
    id: int
    round_id: int
    due_on: IsoDate = Field(..., alias="round.due_on")
    project_id: int
    project: str = Field(..., alias="project.name")
    status: str
    investment: Money = Field(..., description="Investment completed this period, 10,000 CNY.")
    factory_area: Area | None = Field(None, description="Standard factory area built, m².")
    progress_percent: int
    progress_text: str
    problems: list[str] = Field(..., alias="problem_lines")
    is_late: bool
    submitted_on: dt.date | None
    return_reason: str
    funds_lines: list[FundsLineOut]


class ReportFieldsIn(Schema):
    investment: MoneyIn | None = None
    factory_area: AreaIn | None = None
    progress_percent: int | None = Field(None, ge=0, le=100)
    progress_text: Text | None = None
    problems: Text | None = Field(None, description="One problem per line.")


class ReportIn(ReportFieldsIn):
    round_id: int
    project_id: int


class ReturnIn(Schema):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
