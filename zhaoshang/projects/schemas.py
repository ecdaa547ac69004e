"""Shapes of projects (項目) in the JSON API.

Amounts are decimal strings (see core/api.py). Choice fields (sector, industry, currency, stage) are
checked by the services' model validation, so their messages are the same as on the pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, TypeAlias

from ninja import Field, Schema
from pydantic import WithJsonSchema

from zhaoshang.core.api import (
    IsoDate,
    Money,
    MoneyIn,
    RecordId,
    Share,
    ShareIn,
    decimal_input,
    decimal_output,
    text_input,
)
from zhaoshang.investors.choices import DOMESTIC_COUNTRY, InvestorKind
from zhaoshang.projects.choices import (
    STAGE_LABELS,
    ApprovalKind,
    Currency,
    IndustrySection,
    Introducer,
    Sector,
    Stage,
)
from zhaoshang.projects.models import Project
from zhaoshang.projects.tables import label
from zhaoshang.units.schemas import UnitRef

Area: TypeAlias = Annotated[Decimal, *decimal_output(2, "120.50")]
# land_mu: 12 digits; construction_area has 14, checked by the model
AreaIn: TypeAlias = Annotated[Decimal, *decimal_input(12, 2, "120.5")]
BigAreaIn: TypeAlias = Annotated[Decimal, *decimal_input(14, 2, "36000")]


def _choice(values: list[str], blank: bool = True) -> WithJsonSchema:
    """The schema of a choice field, used as ``Annotated[str, _choice(...)]``."""
    return WithJsonSchema({"type": "string", "enum": ([""] if blank else []) + values})


IntroducerCode: TypeAlias = Annotated[str, _choice(Introducer.values)]
SectorCode: TypeAlias = Annotated[str, _choice(Sector.values)]
SectionCode: TypeAlias = Annotated[str, _choice(IndustrySection.values)]
CurrencyCode: TypeAlias = Annotated[str, _choice(Currency.values, blank=False)]
StageCode: TypeAlias = Annotated[str, _choice(Stage.values, blank=False)]


# --- output ---------------------------------------------------------------------------------


class InvestorRef(Schema):
    id: int
    name: str
    kind: str
    origin: str = Field(..., description="Province and city, or the country or region for foreign investors.")


class CreditOut(Schema):
    unit: UnitRef
    share: Share = Field(..., description="Percent; the shares of a project sum to 100.")


class StewardOut(Schema):
    name: str
    position: str
    phone: str


class ApprovalOut(Schema):
    kind: str
    label: str
    done: bool
    done_on: dt.date | None
    reference: str


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    changed_on: dt.date
    changed_by_name: str
    note: str
    recorded_at: dt.datetime


class ProjectSummary(Schema):
    """One row of the project list."""

    id: int
    code: str
    name: str
    stage: str
    stage_label: str
    unit: UnitRef
    park: UnitRef | None
    sector: str
    industry_section: str
    currency: str
    total_investment: Money
    contracted_amount: Money | None
    signed_on: dt.date | None
    started_on: dt.date | None
    investors: list[InvestorRef]
    credits: list[CreditOut]
    stewards: list[StewardOut]
    updated_at: dt.datetime
    version: int = Field(
        ..., description="Send it back with a change; a change based on an older version is refused (409)."
    )

    @staticmethod
    def resolve_stage_label(obj: Project) -> str:
        return label(obj, STAGE_LABELS, obj.stage)  # get_stage_display rebuilds the choices


class ProjectDetail(ProjectSummary):
    """A project with its checklist of approvals and its stage history, oldest move first."""

    description: str
    location: str
    land_mu: Area | None
    construction_area: Area | None
    expected_output: Money | None
    expected_profit_tax: Money | None
    jobs: int | None
    first_contact_on: dt.date | None
    contacted_on: dt.date | None
    intent_on: dt.date | None
    planned_start_on: dt.date | None
    completed_on: dt.date | None
    operating_on: dt.date | None
    dropped_on: dt.date | None
    drop_reason: str
    remarks: str
    approvals: list[ApprovalOut]
    stage_changes: list[StageChangeOut]
    created_at: dt.datetime
    introducer_type: str = Field(..., description="Who introduced the project (引荐), or empty.")
    introducer_investor_id: int | None = Field(..., description="The investor who introduced it.")
    introducer_name: str
    is_key: bool = Field(..., description="Marked by hand as a key project.")
    phase_of_id: int | None = Field(..., description="The earlier phase; a later phase is not a new project.")
    phase: int | None

    @staticmethod
    def resolve_approvals(obj: Project) -> list[dict[str, Any]]:
        done = {a.kind: a for a in obj.approvals.all()}
        return [
            {
                "kind": kind,
                "label": str(label),
                "done": bool(done.get(kind) and done[kind].done),
                "done_on": done[kind].done_on if kind in done else None,
                "reference": done[kind].reference if kind in done else "",
            }
            for kind, label in ApprovalKind.choices
        ]


class StageOption(Schema):
    stage: str
    label: str


class TransitionsOut(Schema):
    stage: str
    stage_label: str
    can_change_stage: bool = Field(..., description="Whether you may move this project.")
    transitions: list[StageOption] = Field(
        ..., description="Stages you may move the project to next; empty if you may not move it."
    )


# --- input ----------------------------------------------------------------------------------


class CreditIn(Schema):
    unit_id: int = Field(..., description="A unit of the county (or city) where the project is located.")
    share: ShareIn = Field(..., description="Percent, at most 2 decimals.")


class StewardIn(Schema):
    name: Annotated[str, text_input(50, 1)]
    position: Annotated[str, text_input(100)] = ""
    phone: Annotated[str, text_input(30)] = ""


class NewInvestorIn(Schema):
    """An investor not yet on file; it is recorded for the project's unit."""

    name: Annotated[str, text_input(200, 1)]
    kind: Annotated[str, _choice(InvestorKind.values, blank=False)] = InvestorKind.ENTERPRISE.value
    origin_country: Annotated[str, text_input(50)] = DOMESTIC_COUNTRY
    origin_province: Annotated[str, text_input(50)] = ""
    origin_city: Annotated[str, text_input(50)] = ""


class ProjectFieldsIn(Schema):
    """The project's own fields. Only the fields sent are set; null clears a field that may be empty."""

    name: str | None = None
    unit_id: int | None = Field(None, description="The location unit; must be in your subtree.")
    park_id: int | None = Field(None, description="A park committee you may see.")
    description: str | None = None
    sector: SectorCode | None = None
    industry_section: SectionCode | None = None
    location: str | None = None
    currency: CurrencyCode | None = None
    total_investment: MoneyIn | None = None
    contracted_amount: MoneyIn | None = None
    land_mu: AreaIn | None = None
    construction_area: BigAreaIn | None = None
    expected_output: MoneyIn | None = None
    expected_profit_tax: MoneyIn | None = None
    jobs: int | None = Field(None, ge=0)
    first_contact_on: IsoDate | None = None
    contacted_on: IsoDate | None = None
    intent_on: IsoDate | None = None
    signed_on: IsoDate | None = None
    planned_start_on: IsoDate | None = None
    started_on: IsoDate | None = None
    completed_on: IsoDate | None = None
    operating_on: IsoDate | None = None
    dropped_on: IsoDate | None = None
    drop_reason: str | None = None
    remarks: str | None = None
    introducer_type: IntroducerCode | None = None
    introducer_investor_id: int | None = Field(None, description="An investor you may see.")
    introducer_name: Annotated[str, text_input(100)] | None = None
    is_key: bool | None = None
    phase_of_id: int | None = Field(
        None, description="The earlier phase (a project you may see); only the bureau sets it."
    )
    phase: int | None = Field(None, ge=2, le=20)
    investor_ids: list[RecordId] | None = Field(None, description="Investors on file that you may see.")
    new_investors: list[NewInvestorIn] | None = Field(None, description="Investors to record and link.")
    credits: list[CreditIn] | None = Field(
        None, description="Credited units with shares summing to 100; by default the location unit, 100%."
    )
    stewards: list[StewardIn] | None = None


class ProjectIn(ProjectFieldsIn):
    name: str
    unit_id: int = Field(..., description="The location unit; you must be allowed to record projects there.")
    total_investment: MoneyIn
    stage: StageCode = Field(
        Stage.LEAD.value, description="The stage the project stands at; the dates it requires must be given."
    )
    code: Annotated[str, text_input(32)] = Field(
        "", description="Left empty, a code XM2026-0042 is given (year recorded, running number)."
    )


class ProjectPatch(ProjectFieldsIn):
    """Only the fields sent change; investor_ids, credits and stewards replace the whole list."""

    version: int | None = Field(
        None, description="The version you read. If the project changed since, nothing is written (409)."
    )


class StageChangeIn(Schema):
    to_stage: StageCode
    on: IsoDate = Field(..., description="The date of the move; not in the future.")
    note: str = ""
    drop_reason: str = Field("", description="Needed when the project is dropped.")
    contracted_amount: MoneyIn | None = Field(None, description="Needed when the project is signed.")
    version: int | None = Field(
        None, description="The version you read. If the project changed since, nothing is written (409)."
    )
