"""Importing the project ledger from .xlsx: the export's own columns, read back row by row.

A row names its project by project code, or else by location unit and project name, so importing
the same file twice changes nothing the second time, and an exported file imports back unchanged.
Every write goes through the project services, so an imported row obeys the same rules as a form.
By default the import is all or nothing; see ``zhaoshang.core.spreadsheets.run_rows``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext as _

from zhaoshang.core.chinese import script_variants
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.scoping import scope_roots
from zhaoshang.core.spreadsheets import (
    CellError,
    ImportResult,
    RecordSheet,
    RowProblem,
    cell_at,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
    run_rows,
)
from zhaoshang.investors.choices import DOMESTIC_COUNTRY
from zhaoshang.investors.models import Investor
from zhaoshang.investors.services import create_investor
from zhaoshang.projects import services
from zhaoshang.projects.bulk_import import try_bulk
from zhaoshang.projects.choices import Currency, IndustrySection, Introducer, Sector, Stage
from zhaoshang.projects.models import Project
from zhaoshang.projects.plans import Plan
from zhaoshang.projects.services import DATE_FIELDS, PROJECT_FIELDS, StewardData
from zhaoshang.projects.tables import PREFETCH, PROJECT_TABLE, SELECT
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.lookup import UnitFinder
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

COLUMNS = PROJECT_TABLE.export_columns()
REQUIRED_COLUMNS = ("name", "unit")

TEXT_FIELDS = (
    *("code", "name", "description", "location", "drop_reason", "remarks", "unit", "park", "origin"),
    "introducer_name",
)
# The kinds of the project's own fields, read from the model so that a new field is parsed right.
DECIMAL_FIELDS = tuple(
    f for f in PROJECT_FIELDS if isinstance(Project._meta.get_field(f), models.DecimalField)
)
CHOICES: dict[str, type[models.Choices]] = {
    "stage": Stage,
    "sector": Sector,
    "industry_section": IndustrySection,
    "introducer_type": Introducer,
}
# What county staff write in the currency column besides the code and its label.
CURRENCY_WORDS = {"人民币": Currency.CNY, "万元": Currency.CNY, "美元": Currency.USD, "万美元": Currency.USD}

# Lists inside one cell are separated by 、 (as the export writes them) or by line breaks.
LIST_SEPARATOR = re.compile(r"[、\n]+")
CREDIT_SEPARATOR = re.compile(r"[、;；\n]+")
CREDIT_PART = re.compile(r"^(?P<unit>.+?)\s*[:：]\s*(?P<share>[^:：%％]+?)\s*[%％]?$")

# Provinces, municipalities and autonomous regions of the mainland, short name → full name. Hong
# Kong, Macau and Taiwan count as foreign origin (境外), as in the funds statistics.
_PROVINCES = {
    name: f"{name}省"
    for name in (
        *("河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东"),
        *("河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海"),
    )
} | {name: f"{name}市" for name in ("北京", "天津", "上海", "重庆")}
_PROVINCES |= {"内蒙古": "内蒙古自治区", "广西": "广西壮族自治区", "西藏": "西藏自治区"}
_PROVINCES |= {"宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区"}
# Longest first, so that 内蒙古自治区 wins over 内蒙古.
PROVINCES = sorted([*_PROVINCES, *_PROVINCES.values()], key=len, reverse=True)


def split_origin(text: str) -> tuple[str, str, str]:
    """(country, province, city) from how people write an origin: 浙江温州, 浙江省温州市, 香港, 匈牙利."""
    text = text.strip().removeprefix("中国")
    for province in PROVINCES:
        if text.startswith(province):
            return DOMESTIC_COUNTRY, province, text[len(province) :].strip()
    return (text, "", "") if text else (DOMESTIC_COUNTRY, "", "")


def split_list(value: Any) -> list[str]:
    return [part.strip() for part in LIST_SEPARATOR.split(parse_text(value)) if part.strip()]


def parse_credits(value: Any) -> list[tuple[str, Decimal]]:
    """ "单位名称:60%、单位名称:40%" as the export writes it; a lone unit name means 100%."""
    parts = [p.strip() for p in CREDIT_SEPARATOR.split(parse_text(value)) if p.strip()]
    if len(parts) == 1 and not CREDIT_PART.match(parts[0]):
        return [(parts[0], services.HUNDRED)]
    credits = []
    for part in parts:
        match = CREDIT_PART.match(part)
        if match is None:
            raise CellError(_("Write each credited unit as “unit name:60%”, separated by 、."))
        credits.append((match["unit"].strip(), parse_decimal(match["share"], 2, 5) or Decimal(0)))
    return credits


def parse_cell(key: str, value: Any) -> Any:
    """One cell of the project sheet as the Python value of its column."""
    if key in TEXT_FIELDS:
        return parse_text(value)
    if key in DECIMAL_FIELDS:
        field = Project._meta.get_field(key)
        assert isinstance(field, models.DecimalField)  # as DECIMAL_FIELDS were chosen
        return parse_decimal(value, field.decimal_places, field.max_digits)
    if key in DATE_FIELDS:
        return parse_date(value)
    if key == "jobs":
        return parse_int(value)
    if key in CHOICES:
        return parse_choice(value, CHOICES[key])
    if key == "currency":
        word = parse_text(value)
        return CURRENCY_WORDS.get(word) or parse_choice(value, Currency) or Currency.CNY
    if key in ("investors", "stewards"):
        return split_list(value)
    if key == "credits":
        return parse_credits(value)
    raise ValueError(f"no parser for column {key}")


SHEET = RecordSheet(COLUMNS, REQUIRED_COLUMNS, parse_cell)


def _outside(unit: Unit) -> str:
    """Why a unit the user may see is not a project's location unit here."""
    if unit.kind == UnitKind.VILLAGE:
        return _("%(unit)s is a village; a project is recorded at its township.") % {"unit": unit.name}
    return _("%(unit)s is outside the units you may import projects into.") % {"unit": unit.name}


class ProjectImporter:
    """Resolves the names in each row (units, parks, investors, credited units) within what the
    user may see, then writes through the services."""

    def __init__(self, user: User, positions: dict[str, int]) -> None:
        self.user = user
        self.positions = positions
        self.units = UnitFinder(
            user,
            Unit.objects.where(user, Action.IMPORT, on=ObjectType.PROJECT).exclude(kind=UnitKind.VILLAGE),
            outside=_outside,
        )
        self.editable = Project.objects.visible_to(user, Action.EDIT)
        self.readable = Project.objects.visible_to(user, Action.VIEW)
        self.seen: dict[int, int] = {}
        self._areas: dict[int, list[Unit]] = {}
        self._investors: dict[str, Investor] = {}
        self._by_code: dict[str, Project] = {}
        self._editable_codes: set[str] = set()
        self._by_name: dict[tuple[int, str], list[Project]] = {}

    def preload(self, rows: list[tuple[int, list[Any]]]) -> None:
        """Read the projects the file names in a few queries, rather than a few per row."""

        def column(key: str) -> list[str]:
            return sorted({parse_text(cell_at(c, self.positions.get(key))) for _n, c in rows} - {""})

        def batches(values: list[str]) -> Any:
            return (values[i : i + 500] for i in range(0, len(values), 500))

        for codes in batches(column("code")):
            found = self.readable.filter(code__in=codes).select_related(*SELECT).prefetch_related(*PREFETCH)
            self._by_code.update((p.code, p) for p in found)
            self._editable_codes.update(self.editable.filter(code__in=codes).values_list("code", flat=True))
            # A code from before renumbering (projects/codes.py) still names its project.
            former = [c for c in codes if c not in self._by_code]
            if former:
                found = (
                    self.readable.filter(former_code__in=former)
                    .select_related(*SELECT)
                    .prefetch_related(*PREFETCH)
                )
                self._by_code.update((p.former_code, p) for p in found)
                editable = self.editable.filter(former_code__in=former).values_list("former_code", flat=True)
                self._editable_codes.update(editable)
        # A row without a code names its project by unit and name: each unit's names are looked up
        # on their own (one index range of unit and name; the planner sees that unit's statistics).
        by_unit: dict[int, set[str]] = {}
        for _n, cells in rows:
            name = parse_text(cell_at(cells, self.positions.get("name")))
            try:
                unit = self.unit(parse_text(cell_at(cells, self.positions.get("unit"))), None)
            except CellError:
                continue  # the row reports it
            by_unit.setdefault(unit.pk, set()).add(name)
        for unit_pk, unit_names in by_unit.items():
            # Which names the unit has at all, from the (unit, name) index alone: a file of new
            # projects then reads no project (a probe per name cost 0.5 s per 10,000 rows).
            taken = set(Project.objects.filter(unit=unit_pk).order_by().values_list("name", flat=True))
            for names in batches(sorted(unit_names & taken)):
                found = (
                    self.editable.filter(unit=unit_pk, name__in=names)
                    .select_related(*SELECT)
                    .prefetch_related(*PREFETCH)
                )
                for project in found:
                    self.remember(project)

    def remember(self, project: Project) -> None:
        """Index a project by unit and name, also after a row created, renamed or moved it."""
        same = self._by_name.setdefault((project.unit_id, project.name), [])
        if all(p.pk != project.pk for p in same):
            same.append(project)

    def __call__(self, number: int, cells: list[Any]) -> str:
        values = SHEET.parse_row(self.positions, cells)
        plan = self.plan(values)
        if plan.project is not None and plan.project.pk in self.seen:
            message = _("This project is already on row %(row)s.") % {"row": self.seen[plan.project.pk]}
            raise RowProblem([("", message)])
        try:
            outcome, project = self.write(plan, values.get("origin", ""))
        except ValidationError as error:
            raise RowProblem(SHEET.service_errors(error)) from error
        except OutOfScope as error:
            raise RowProblem([(str(SHEET.labels["unit"]), str(error))]) from error
        self.seen[project.pk] = number
        self.remember(project)
        return outcome

    # --- resolving ------------------------------------------------------------------------

    def plan(self, values: dict[str, Any]) -> Plan:
        errors: list[tuple[str, str] | tuple[str, str, str]] = []

        def attempt(key: str, resolve: Any, *args: Any) -> Any:
            try:
                return resolve(*args)
            except CellError as error:
                given = values.get(key)
                errors.append((str(SHEET.labels[key]), str(error), given if isinstance(given, str) else ""))
                return None

        code = values.get("code", "")
        project = attempt("code", self.by_code, code) if code else None
        unit = attempt("unit", self.unit, values["unit"], project)
        if unit is not None and not code:
            project = attempt("name", self.by_name, unit, values["name"])
        if errors:
            raise RowProblem(errors)
        data = {k: v for k, v in values.items() if k in PROJECT_FIELDS} | {"unit": unit}
        if "park" in values:
            data["park"] = attempt("park", self.park, values["park"], unit, project)
        stage = attempt("stage", self.stage, values.get("stage", ""), project)
        credits = attempt("credits", self.credits, values.get("credits"), unit, project)
        if errors:
            raise RowProblem(errors)
        return Plan(
            project=project,
            data=data,
            stage=stage,
            investors=self.investors(values["investors"], project) if "investors" in values else None,
            credits=credits,
            stewards=self.stewards(values["stewards"], project) if "stewards" in values else None,
            read_only=bool(code) and code not in self._editable_codes,
        )

    def unit(self, text: str, project: Project | None) -> Unit:
        """The location unit by code or name among those the user may import into; a project's
        own unit is always understood, so a credited project reads back unchanged."""
        if project is not None and text in (project.unit.name, project.unit.code):
            return project.unit
        return self.units(text)

    def by_code(self, code: str) -> Project:
        """The project of that code. One the user may not read is simply unknown: the import never
        tells whether another unit's project exists."""
        project = self._by_code.get(code)
        if project is None:
            raise CellError(_("Unknown project code %(code)s.") % {"code": code})
        return project

    def by_name(self, unit: Unit, name: str) -> Project | None:
        matches = self._by_name.get((unit.pk, name), [])
        if len(matches) > 1:
            raise CellError(
                _("Several projects of %(unit)s are named “%(name)s”; give the project code.")
                % {"unit": unit, "name": name}
            )
        return matches[0] if matches else None

    def in_area(self, text: str, unit: Unit, parks_only: bool = False) -> Unit:
        """A unit by code or name among those that may be credited with, or host as park, a project
        located at ``unit`` (its county); each county's units are read once per import."""
        if unit.pk not in self._areas:
            area = Unit.objects.subtree(services.credit_area(unit)).only("pk", "name", "code", "kind", "path")
            self._areas[unit.pk] = list(area)
        names = script_variants(text)
        found = [
            u
            for u in self._areas[unit.pk]
            if (u.code == text or u.name in names) and (u.kind == UnitKind.PARK or not parks_only)
        ]
        by_code = [u for u in found if u.code == text]
        if len(by_code or found) != 1:
            raise CellError(
                _("Unknown unit “%(unit)s”, or more than one unit of that name.") % {"unit": text}
            )
        return (by_code or found)[0]

    def park(self, text: str, unit: Unit, project: Project | None) -> Unit | None:
        if not text:
            return None
        if (
            project is not None
            and project.park is not None
            and text in (project.park.name, project.park.code)
        ):
            return project.park
        return self.in_area(text, unit, parks_only=True)

    def stage(self, stage: str, project: Project | None) -> str:
        if project is None:
            return stage or Stage.LEAD
        if stage and stage != project.stage:
            raise CellError(
                _("The project is at stage %(stage)s; stage changes go through the stage action.")
                % {"stage": Stage(project.stage).label}
            )
        return project.stage

    def credits(
        self, parsed: list[tuple[str, Decimal]] | None, unit: Unit, project: Project | None
    ) -> list[tuple[Unit, Decimal]] | None:
        """Credited units by name or code within the county of the project; None to leave as is."""
        if not parsed:
            return None
        credits = [(self.in_area(name, unit), share) for name, share in parsed]
        if project is not None:
            current = {c.unit_id: c.share for c in project.credits.all()}
            if current == {u.pk: share for u, share in credits}:
                return None
        return credits

    def investors(self, names: list[str], project: Project | None) -> list[Investor | str]:
        """Investors by exact name: the project's own first, then those the user can see; a name
        nobody in reach knows stays a name, to be created."""
        own = {i.name: i for i in project.investors.all()} if project else {}
        visible = Investor.objects.visible_to(self.user).order_by("pk")
        found: list[Investor | str] = []
        for name in names:
            if name not in own and name not in self._investors:
                investor = visible.filter(name__in=script_variants(name)).first()
                if investor is None:
                    found.append(name)
                    continue
                self._investors[name] = investor  # only investors already saved are remembered
            found.append(own.get(name) or self._investors[name])
        return found

    def stewards(self, names: list[str], project: Project | None) -> list[StewardData] | None:
        """Stewards by name; a steward who stays keeps the position and phone on record."""
        current = {s.name: s for s in project.stewards.all()} if project else {}
        if project is not None and sorted(names) == sorted(current):
            return None  # their order carries no meaning
        kept = [current.get(name) for name in names]
        return [
            StewardData(n, s.position, s.phone) if s else StewardData(n)
            for n, s in zip(names, kept, strict=True)
        ]

    # --- writing --------------------------------------------------------------------------

    def write(self, plan: Plan, origin: str) -> tuple[str, Project]:
        if plan.project is not None and self.unchanged(plan):
            return "unchanged", plan.project
        if plan.read_only:
            raise ValidationError({"code": _("You may read this project but not change it.")})
        investors = self.create_investors(plan, origin) if plan.investors is not None else None
        if plan.project is None:
            project = services.create_project(
                by=self.user,
                data=plan.data,
                stage=plan.stage,
                investors=investors or [],
                credits=plan.credits,
                stewards=plan.stewards or [],
            )
            return "created", project
        project = services.update_project(
            plan.project,
            by=self.user,
            data=plan.data,
            investors=investors,
            credits=plan.credits,
            stewards=plan.stewards,
        )
        return "updated", project

    def unchanged(self, plan: Plan) -> bool:
        project = plan.project
        assert project is not None
        if plan.credits is not None or plan.stewards is not None:
            return False
        if plan.investors is not None:
            if any(isinstance(i, str) for i in plan.investors):
                return False
            named = {i.pk for i in plan.investors if not isinstance(i, str)}  # all of them, as checked
            if named != {i.pk for i in project.investors.all()}:
                return False
        return all(getattr(project, name) == value for name, value in plan.data.items())

    def create_investors(self, plan: Plan, origin: str) -> list[Investor]:
        """New investors are owned by the project's unit; their origin comes from the origin
        column: one origin for all of them, or one per investor in the same order."""
        assert plan.investors is not None
        origins = split_list(origin)
        new = [i for i in plan.investors if isinstance(i, str)]
        if new and len(origins) > 1 and len(origins) != len(plan.investors):
            raise ValidationError({"origin": _("Give one origin, or one origin per investor.")})
        investors = []
        for position, item in enumerate(plan.investors):
            if isinstance(item, Investor):
                investors.append(item)
                continue
            text = origins[position] if len(origins) > 1 else (origins[0] if origins else "")
            country, province, city = split_origin(text)
            data = {
                "name": item,
                "origin_country": country,
                "origin_province": province,
                "origin_city": city,
                "unit": plan.data["unit"],
            }
            try:
                investor = create_investor(by=self.user, data=data)
            except ValidationError as error:
                fields = getattr(error, "error_dict", {})
                column = "origin" if fields and "name" not in fields else "investors"
                raise ValidationError({column: error.messages}) from error
            investors.append(investor)
        return investors


def import_projects(user: User, upload: Any, keep_valid: bool = False) -> ImportResult:
    """Import a project sheet as ``user``: all rows or none, unless ``keep_valid``."""
    if not scope_roots(user, Action.IMPORT, on=ObjectType.PROJECT):
        return ImportResult().refuse_file(_("You may not import projects."))
    opened = SHEET.open(upload)
    if isinstance(opened, ImportResult):
        return opened
    sheet, positions = opened
    importer = ProjectImporter(user, positions)
    importer.preload(sheet.rows)
    if not keep_valid:  # a file of new projects only goes through the bulk twin (bulk_import.py)
        # Each row is planned when the bulk twin reaches it: it gives up at the first row it cannot take.
        plans = ((number, importer.plan(SHEET.parse_row(positions, cells))) for number, cells in sheet.rows)
        result = try_bulk(user, plans)
        if result is not None:
            return result
    return run_rows(sheet.rows, importer, keep_valid=keep_valid)
