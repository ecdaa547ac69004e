"""The project table: the list page's columns and, in the same order, the exported columns.

The exported header speaks the consensus ledger columns of county staff (shared/reference/forms.md
section 1.6), and the import template reads the same headers back.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhaoshang.core.tables import Column, Table
from zhaoshang.projects.choices import Sector, Stage
from zhaoshang.projects.models import Project

AMOUNT_FORMAT = "#,##0.00##"


# get_FOO_display() rebuilds a hashable copy of the choices on every call: a tenth of an export's
# time at 100,000 rows. The same labels, looked up once per row.
STAGE_LABELS = dict(Stage.choices)
SECTOR_LABELS = dict(Sector.choices)


def _label(labels: dict[str, Any], value: str) -> str:
    return str(labels.get(value, value))


def _investors(p: Project) -> str:
    return "、".join(i.name for i in p.investors.all())


def _origins(p: Project) -> str:
    return "、".join(sorted({i.origin for i in p.investors.all() if i.origin}))


def _stewards(p: Project) -> str:
    return "、".join(s.name for s in p.stewards.all())


def _credits(p: Project) -> str:
    return "、".join(f"{c.unit.name}:{c.share.normalize():f}%" for c in p.credits.all())


PROJECT_TABLE = Table(
    columns=[
        Column("code", _("Project code"), lambda p: p.code, order_by="code"),
        Column("name", _("Project name"), lambda p: p.name, order_by="name", link=True),
        Column("investors", _("Investors"), _investors),
        Column("origin", _("Investor origin"), _origins),
        Column("unit", _("Location unit"), lambda p: p.unit.name, order_by="unit__path"),
        Column("park", _("Park"), lambda p: p.park.name if p.park else "", html=False),
        Column("stage", _("Stage"), lambda p: _label(STAGE_LABELS, p.stage), order_by="stage"),
        Column("sector", _("Sector"), lambda p: _label(SECTOR_LABELS, p.sector), html=False),
        Column("industry_section", _("Industry (GB/T 4754)"), lambda p: p.industry_section, html=False),
        Column("currency", _("Currency"), lambda p: p.currency),
        Column(
            "total_investment",
            _("Total investment"),
            lambda p: p.total_investment,
            order_by="total_investment",
            number_format=AMOUNT_FORMAT,
        ),
        Column(
            "contracted_amount",
            _("Contracted amount"),
            lambda p: p.contracted_amount,
            order_by="contracted_amount",
            number_format=AMOUNT_FORMAT,
        ),
        Column("land_mu", _("Land (mu)"), lambda p: p.land_mu, html=False, number_format="#,##0.00"),
        Column("construction_area", _("Construction area (m²)"), lambda p: p.construction_area, html=False),
        Column("expected_output", _("Expected annual output"), lambda p: p.expected_output, html=False),
        Column(
            "expected_profit_tax", _("Expected profit and tax"), lambda p: p.expected_profit_tax, html=False
        ),
        Column("jobs", _("Jobs"), lambda p: p.jobs, html=False),
        Column("description", _("Construction content"), lambda p: p.description, html=False),
        Column("location", _("Construction site"), lambda p: p.location, html=False),
        Column("first_contact_on", _("First contact"), lambda p: p.first_contact_on, html=False),
        Column("intent_on", _("Intent signed on"), lambda p: p.intent_on, html=False),
        Column("signed_on", _("Signed on"), lambda p: p.signed_on, order_by="signed_on"),
        Column("planned_start_on", _("Planned start"), lambda p: p.planned_start_on, html=False),
        Column("started_on", _("Started on"), lambda p: p.started_on, html=False),
        Column("completed_on", _("Completed on"), lambda p: p.completed_on, html=False),
        Column("operating_on", _("Operating since"), lambda p: p.operating_on, html=False),
        Column("dropped_on", _("Dropped on"), lambda p: p.dropped_on, html=False),
        Column("drop_reason", _("Reason for dropping"), lambda p: p.drop_reason, html=False),
        Column("credits", _("Credited units"), _credits, html=False),
        Column("stewards", _("Stewards"), _stewards),
        Column("remarks", _("Remarks"), lambda p: p.remarks, html=False),
    ],
    default_order="-id",
    extra_orderings={"updated": "updated_at"},
)

PREFETCH = ("investors", "stewards", "credits__unit")


class _Loaded(list):
    """A relation loaded in bulk: ``project.investors.all()`` returns it like a prefetched queryset."""

    def all(self) -> _Loaded:
        return self


def export_rows(queryset: Any, chunk: int = 2000) -> Iterator[Project]:
    """The projects of ``queryset`` with unit, park, investors, stewards and credited units, in
    chunks of ``chunk`` with three queries per chunk. ``prefetch_related`` loads the same rows but
    builds a related manager and a queryset clone per project and relation: at 100,000 rows that was
    three quarters of an export's time."""
    from zhaoshang.projects.models import CreditShare, Steward

    through = Project.investors.through
    batch: list[Project] = []

    def load(projects: list[Project]) -> list[Project]:
        ids = [p.pk for p in projects]
        investors: dict[int, list[Any]] = {pk: [] for pk in ids}
        links = through.objects.filter(project_id__in=ids).select_related("investor")
        for link in links.order_by("investor__name", "investor_id"):  # Investor.Meta.ordering
            investors[link.project_id].append(link.investor)
        stewards: dict[int, list[Any]] = {pk: [] for pk in ids}
        for steward in Steward.objects.filter(project_id__in=ids).order_by("pk"):
            stewards[steward.project_id].append(steward)
        credits: dict[int, list[Any]] = {pk: [] for pk in ids}
        for credit in CreditShare.objects.filter(project_id__in=ids).select_related("unit").order_by("pk"):
            credits[credit.project_id].append(credit)
        for p in projects:
            p._prefetched_objects_cache = {
                "investors": _Loaded(investors[p.pk]),
                "stewards": _Loaded(stewards[p.pk]),
                "credits": _Loaded(credits[p.pk]),
            }
        return projects

    for project in queryset.select_related(*SELECT).iterator(chunk):
        batch.append(project)
        if len(batch) == chunk:
            yield from load(batch)
            batch = []
    if batch:
        yield from load(batch)


SELECT = ("unit", "park")
