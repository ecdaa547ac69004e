"""Every write of the ingestion: reading an uploaded report (nothing but the upload is stored) and
confirming it, which creates the historical figures and the projects in one transaction (all or
nothing). Projects are created through the projects' services; a project whose name the ledger
already holds in the unit (the investors' duplicate rule, ``project_key``) is not created twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.ingest.indicators import indicator_code
from zhaoshang.ingest.models import HistoricalFigure, ReportUpload
from zhaoshang.ingest.reader.documents import file_bytes
from zhaoshang.ingest.reader.pipeline import ReaderError, read_bytes
from zhaoshang.investors.services import project_key
from zhaoshang.ledger.models import Indicator
from zhaoshang.projects import services as project_services
from zhaoshang.projects.choices import STAGE_DATE_FIELD, STAGE_ORDER, Currency, Stage
from zhaoshang.projects.models import Project

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User
    from zhaoshang.units.models import Unit

# Units of a figure as the JSON names them, and as the ledger keeps them.
MEASURES = {"萬元": "万元", "萬美元": "万美元", "畝": "亩", "萬元/畝": "万元/亩"}


def _check(by: User | None, unit: Unit) -> None:
    if by is not None and not user_can(by, Action.IMPORT, unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not read reports in for this unit."))


@transaction.atomic
def read_upload(*, by: User | None, unit: Unit, name: str, data: bytes) -> ReportUpload:
    """Read an uploaded report; ValidationError (with the reader's message) when it cannot be read,
    and then nothing is stored."""
    _check(by, unit)
    try:
        reading = read_bytes(file_bytes(name, data))
    except ReaderError as error:
        raise ValidationError({"file": _(str(error))}) from None
    if not reading.figures and not reading.projects:
        raise ValidationError({"file": _("No figures and no projects were found in the file.")})
    year = next(
        (r.reporting_year or r.heading_year for r in reading.reports if r.reporting_year or r.heading_year),
        None,
    )
    upload = ReportUpload.objects.create(
        unit=unit,
        file_name=name[-200:],
        text=reading.decoded.text,
        reading=reading.as_json(),
        year=year,
        uploaded_by=by,
    )
    audit.record(audit.Entry.Action.CREATE, upload, by=by, unit=unit, after={"file_name": upload.file_name})
    return upload


@dataclass
class FigureChoice:
    """A figure the user accepted, as corrected on the review page."""

    label: str
    value: Decimal
    measure: str
    kind: str = "actual"
    qualifier: str = ""
    line: int | None = None
    source: str = ""
    indicator: str | None = None  # a ledger indicator code, or None for the reader's guess
    unit: Unit | None = None  # the unit of its part of the file, when not the file's unit
    year: int | None = None  # the year of its part of the file, when not the file's year


@dataclass
class ProjectChoice:
    name: str
    stage: str
    total_investment: Decimal | None
    currency: str = Currency.CNY
    land_mu: Decimal | None = None
    source: str = ""
    unit: Unit | None = None
    year: int | None = None


@dataclass
class Confirmed:
    figures: list[HistoricalFigure]
    projects: list[Project]
    duplicates: list[tuple[str, Project]]  # names read in that the ledger already held


def decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None


def _duplicate(unit: Unit, name: str) -> Project | None:
    key = project_key(name)
    for project in Project.objects.filter(unit=unit).only("pk", "name", "unit"):
        if project_key(project.name) == key:
            return project
    return None


def _stage_dates(stage: str, year: int) -> dict[str, dt.date]:
    """Every stage date up to ``stage``: the report says the stage was reached by the end of its
    year (today at the latest), not when."""
    when = min(dt.date(year, 12, 31), timezone.localdate())
    reached = STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]
    return {field: when for s, field in STAGE_DATE_FIELD.items() if s in reached and s != Stage.DROPPED}


@transaction.atomic
def confirm(
    upload: ReportUpload,
    *,
    by: User | None,
    unit: Unit,
    year: int,
    figures: list[FigureChoice],
    projects: list[ProjectChoice],
) -> Confirmed:
    """Create the accepted figures and projects, all or nothing. ``unit`` and ``year`` are the
    file's; an item of a file holding several units' reports carries its own part's unit and year,
    and each unit is checked as the file's is."""
    upload = for_update(ReportUpload.objects).get(pk=upload.pk)
    if upload.status != ReportUpload.Status.READ:
        raise ValidationError(_("This report has already been confirmed."))
    items: list[FigureChoice | ProjectChoice] = [*figures, *projects]
    for part_unit in {unit, *(item.unit for item in items if item.unit is not None)}:
        _check(by, part_unit)
    this_year = timezone.localdate().year
    for part_year in {year, *(item.year for item in items if item.year is not None)}:
        if not 1990 <= part_year <= this_year:
            raise ValidationError({"year": _("Give the year the report speaks of.")})
    indicators = {i.code: i for i in Indicator.objects.for_unit(unit)}
    made: list[HistoricalFigure] = []
    for choice in figures:
        code = (
            choice.indicator
            if choice.indicator is not None
            else indicator_code(choice.label, choice.measure, choice.kind)
        )
        made.append(
            HistoricalFigure.objects.create(
                unit=choice.unit or unit,
                year=choice.year or year,
                indicator=indicators.get(code or ""),
                label=choice.label[:200],
                value=choice.value,
                measure=choice.measure,
                qualifier=choice.qualifier[:10],
                kind=choice.kind,
                upload=upload,
                line=choice.line,
                source=choice.source[:200],
                recorded_by=by,
            )
        )
    created: list[Project] = []
    duplicates: list[tuple[str, Project]] = []
    errors: dict[str, str] = {}
    for item in projects:
        item_unit, item_year = item.unit or unit, item.year or year
        existing = _duplicate(item_unit, item.name)
        if existing is not None:
            duplicates.append((item.name, existing))
            continue
        if item.total_investment is None:
            errors[item.name] = _("Give the total investment of %(name)s, or reject it.") % {
                "name": item.name
            }
            continue
        data: dict[str, Any] = {
            "name": item.name[:200],
            "unit": item_unit,
            "total_investment": item.total_investment,
            "currency": item.currency,
            **_stage_dates(item.stage, item_year),
        }
        if item.land_mu is not None:
            data["land_mu"] = item.land_mu
        if item.stage in {Stage.SIGNED, Stage.STARTED, Stage.COMPLETED, Stage.OPERATING}:
            data["contracted_amount"] = item.total_investment
        try:
            created.append(
                project_services.create_project(
                    by=by,
                    data=data,
                    stage=item.stage,
                    note=_("Read in from the old report %(file)s") % {"file": upload.file_name},
                )
            )
        except ValidationError as error:
            errors[item.name] = "; ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    upload.status = ReportUpload.Status.CONFIRMED
    upload.unit = unit
    upload.year = year
    upload.confirmed_at = timezone.now()
    upload.save(update_fields=["status", "unit", "year", "confirmed_at"])
    audit.record(
        audit.Entry.Action.UPDATE,
        upload,
        by=by,
        unit=unit,
        after={"status": upload.status, "figures": len(made), "projects": len(created)},
    )
    return Confirmed(made, created, duplicates)


def last_year(user: User, unit: Unit, year: int) -> dict[str, Decimal]:
    """The figures of the year before ``year`` that old reports give for ``unit``, by indicator
    code (the latest report read in wins): the dashboard's 同比."""
    rows = (
        HistoricalFigure.objects.visible_to(user)
        .filter(unit=unit, year=year - 1, indicator__isnull=False, kind="actual")
        .order_by("indicator_id", "-upload_id", "-pk")
        .values_list("indicator__code", "value")
    )
    out: dict[str, Decimal] = {}
    for code, value in rows:
        out.setdefault(code, value)
    return out
