"""Shapes of promotion activities in the JSON API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, TypeAlias

from ninja import Field, Schema
from pydantic import WithJsonSchema

from zhaoshang.activities.choices import ActivityKind, Channel
from zhaoshang.activities.models import Activity
from zhaoshang.core.api import IsoDate, Money, MoneyIn, RecordId, text_input

KindCode: TypeAlias = Annotated[str, WithJsonSchema({"type": "string", "enum": ActivityKind.values})]
ChannelCode: TypeAlias = Annotated[str, WithJsonSchema({"type": "string", "enum": ["", *Channel.values]})]


class Ref(Schema):
    id: int
    name: str


class StepOut(Schema):
    step: str
    label: str
    deadline: dt.date
    done_on: dt.date | None
    done_by: str
    light: str


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    unit: Ref
    starts_on: dt.date
    ends_on: dt.date | None
    days_away: int | None
    place: str
    team: str
    hosts: str
    people: int | None
    channel: str
    content: str
    received_at: dt.datetime | None
    intents: int | None
    amount: Money | None
    materials: str
    outcome: str
    notes: str
    office_id: int | None
    investors: list[Ref]
    projects: list[Ref]

    @staticmethod
    def resolve_kind_label(obj: Activity) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_investors(obj: Activity) -> list[Any]:
        return list(obj.investors.all())

    @staticmethod
    def resolve_projects(obj: Activity) -> list[Any]:
        return list(obj.projects.all())


class ActivityDetail(ActivityOut):
    clock: list[StepOut] = Field(..., description="Inquiries only (empty otherwise): the response clock.")

    @staticmethod
    def resolve_clock(obj: Activity) -> list[dict[str, Any]]:
        from zhaoshang.activities.services import clock

        if obj.kind != ActivityKind.INQUIRY:
            return []
        return [
            {
                "step": row["step"],
                "label": str(row["label"]),
                "deadline": row["deadline"],
                "done_on": row["done"].done_on if row["done"] else None,
                "done_by": row["done"].done_by_name if row["done"] else "",
                "light": str(row["light"].value),
            }
            for row in clock(obj)
        ]


class ActivityIn(Schema):
    kind: KindCode
    unit_id: int
    title: Annotated[str, text_input(200, 1)]
    starts_on: IsoDate
    ends_on: IsoDate | None = None
    place: Annotated[str, text_input(200)] = ""
    team: Annotated[str, text_input(300)] = ""
    hosts: Annotated[str, text_input(300)] = ""
    people: int | None = Field(None, ge=0)
    channel: ChannelCode = ""
    content: str = ""
    received_at: dt.datetime | None = None
    intents: int | None = Field(None, ge=0)
    amount: MoneyIn | None = None
    materials: Annotated[str, text_input(300)] = ""
    outcome: str = ""
    notes: str = ""
    office_id: int | None = None
    investor_ids: list[RecordId] = Field(default_factory=list, description="Investors you may see.")
    project_ids: list[RecordId] = Field(default_factory=list, description="Projects you may see.")


class ActivityPatch(Schema):
    """Only the fields sent change; investor_ids and project_ids replace the whole list (among the
    records you may see)."""

    unit_id: int | None = None
    title: Annotated[str, text_input(200, 1)] | None = None
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    place: Annotated[str, text_input(200)] | None = None
    team: Annotated[str, text_input(300)] | None = None
    hosts: Annotated[str, text_input(300)] | None = None
    people: int | None = Field(None, ge=0)
    channel: ChannelCode | None = None
    content: str | None = None
    received_at: dt.datetime | None = None
    intents: int | None = Field(None, ge=0)
    amount: MoneyIn | None = None
    materials: Annotated[str, text_input(300)] | None = None
    outcome: str | None = None
    notes: str | None = None
    investor_ids: list[RecordId] | None = None
    project_ids: list[RecordId] | None = None


class StepIn(Schema):
    step: Annotated[str, WithJsonSchema({"type": "string", "enum": ["response", "assessment", "feedback"]})]
    done_on: IsoDate | None = Field(None, description="Today when not given.")
    note: Annotated[str, text_input(500)] = ""
