"""The project table: the list page's columns and, in the same order, the exported columns.

The exported header speaks the consensus ledger columns of county staff (shared/reference/forms.md
section 1.6), and the import template reads the same headers back.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.queries import filter_in
from zhaoshang.core.tables import Column, ListSource, Table, amount_column
from zhaoshang.projects.choices import STAGE_LABELS, IndustrySection, Introducer, Sector
from zhaoshang.projects.filters import ProjectFilterSet
from zhaoshang.projects.models import Project

# get_FOO_display() rebuilds a hashable copy of the choices on every call: a tenth of an export's
# time at 100,000 rows. The same labels, looked up once per row.
SECTOR_LABELS = dict(Sector.choices)
SECTION_LABELS = dict(IndustrySection.choices)
INTRODUCER_LABELS = dict(Introducer.choices)


def label(p: Any, labels: dict[str, Any], value: str) -> str:
    """The label of ``value`` among ``labels`` (a dict of choice labels) for project ``p``.

    Records carry every label rendered once in the language of their request or export
    (``p.labels``): rendering a lazy label, or even asking which language is active, costs
    microseconds a cell."""
    rendered = getattr(p, "labels", None)
    if rendered is not None:
        return rendered[id(labels)].get(value, value)
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
        Column(
            "stage",
            _("Stage"),
            lambda p: label(p, STAGE_LABELS, p.stage),
            order_by="stage",
            cell=lambda p, value: format_html(
                '<span class="badge stage-badge stage-{}">{}</span>', p.stage, value
            ),
        ),
        Column("sector", _("Sector"), lambda p: label(p, SECTOR_LABELS, p.sector), html=False),
        Column(
            "industry_section",
            _("Industry (GB/T 4754)"),
            lambda p: label(p, SECTION_LABELS, p.industry_section),
            html=False,
        ),
        Column("currency", _("Currency"), lambda p: p.currency),
        amount_column(
            "total_investment",
            _("Total investment (10k CNY / 10k USD)"),
            former_labels=(_("Total investment"),),
        ),
        amount_column(
            "contracted_amount",
            _("Contracted amount (10k CNY / 10k USD)"),
            former_labels=(_("Contracted amount"),),
        ),
        Column("land_mu", _("Land (mu)"), lambda p: p.land_mu, html=False, number_format="#,##0.00"),
        Column("construction_area", _("Construction area (m²)"), lambda p: p.construction_area, html=False),
        Column(
            "expected_output",
            _("Expected annual output (10k CNY / 10k USD)"),
            lambda p: p.expected_output,
            html=False,
            former_labels=(_("Expected annual output"),),
        ),
        Column(
            "expected_profit_tax",
            _("Expected profit and tax (10k CNY / 10k USD)"),
            lambda p: p.expected_profit_tax,
            html=False,
            former_labels=(_("Expected profit and tax"),),
        ),
        Column("jobs", _("Jobs"), lambda p: p.jobs, html=False),
        Column("description", _("Construction content"), lambda p: p.description, html=False),
        Column("location", _("Construction site"), lambda p: p.location, html=False),
        Column("first_contact_on", _("First contact"), lambda p: p.first_contact_on, html=False),
        Column("contacted_on", _("Talks began on"), lambda p: p.contacted_on, html=False),
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
        Column(
            "introducer_type",
            _("Introduced through"),
            lambda p: label(p, INTRODUCER_LABELS, p.introducer_type),
            html=False,
        ),
        Column("introducer_name", _("Introduced by"), lambda p: p.introducer_name, html=False),
    ],
    default_order="-id",
    extra_orderings={"updated": "updated_at"},
)

PREFETCH = ("investors", "stewards", "credits__unit")
SELECT = ("unit", "park")
# The page and the API read the rows as value records (project_records), the export as export_rows.
PROJECT_LIST = ListSource(Project, ProjectFilterSet, PROJECT_TABLE)


class _Loaded(list):
    """Related rows loaded in bulk: ``record.investors.all()`` returns them as a prefetched
    relation would."""

    def all(self) -> _Loaded:
        return self


_Named = namedtuple("_Named", "id name")
_Credit = namedtuple("_Credit", "unit share")
_Steward = namedtuple("_Steward", "name position phone")
_FIELDS = [f.attname for f in Project._meta.concrete_fields]
# What the investor columns and the API's InvestorRef read of an investor (``origin`` is a property).
_INVESTOR_FIELDS = ("name", "kind", "origin_country", "origin_province", "origin_city")


# The fields are the model's, listed at start-up: a type checker cannot follow them.
_RECORD_FIELDS = [*_FIELDS, "unit", "park", "investors", "credits", "stewards", "labels"]
_Record = namedtuple("ProjectRecord", _RECORD_FIELDS)  # type: ignore[misc]  # fields not literal


class ProjectRecord(_Record):
    """A project read as values: the attributes the table's columns and the API's list schema read,
    as a tuple (no model instance, no related manager). ``unit`` and ``park`` carry ``id`` and
    ``name``; the relations answer ``.all()``; ``labels`` holds the choice labels rendered once in
    the language of the request or export."""

    __slots__ = ()
    if TYPE_CHECKING:  # the fields read here
        id: int
        stage: str

    @property
    def pk(self) -> int:
        return self.id

    get_absolute_url = Project.get_absolute_url

    @property
    def stage_label(self) -> str:
        return label(self, STAGE_LABELS, self.stage)


def rendered_labels() -> dict[int, dict[str, str]]:
    """The choice labels the records carry, rendered in the active language."""
    return {
        id(d): {k: str(v) for k, v in d.items()}
        for d in (STAGE_LABELS, SECTOR_LABELS, SECTION_LABELS, INTRODUCER_LABELS)
    }


def project_records(queryset: Any) -> list[ProjectRecord]:
    """The projects of ``queryset`` (a page: it is read whole), in its order, as records.

    Five queries whatever the number of rows: the projects' values, the investor links with their
    investors, credits, stewards, and the names of their units. The list page and the API read their
    page of 50 this way: model instances with ``prefetch_related`` (a related manager and a queryset
    clone per project and relation) were most of their time. The page's ids are a subquery that
    selects nothing else, so that the filter and the order can be answered from an index
    (``project_unit_stage``) and only the page's rows are read from the table, not every row that
    was sorted."""
    order = queryset.query.order_by or Project._meta.ordering or ()
    page = Project.objects.filter(pk__in=queryset.values("pk")).order_by(*order)
    return list(_records(list(page.values_list(*_FIELDS)), {}, rendered_labels()))


def export_rows(queryset: Any, chunk: int = 2000) -> Iterator[ProjectRecord]:
    """The projects of ``queryset``, in its order, as records the table's columns read like projects.

    The projects come as value tuples through a server-side cursor; per chunk of ``chunk`` projects
    the queries of ``project_records`` (investor links, credits, stewards, by one array of ids) fill
    plain lists, and unit names are read once per export. Model instances (a project, its unit
    and park, a related manager per relation) were most of an export's time and memory."""
    units: dict[int, _Named] = {}
    labels = rendered_labels()
    batch: list[tuple[Any, ...]] = []
    for values in queryset.values_list(*_FIELDS).iterator(chunk):
        batch.append(values)
        if len(batch) == chunk:
            yield from _records(batch, units, labels)
            batch = []
    if batch:
        yield from _records(batch, units, labels)


def _unit_names(wanted: set[int], units: dict[int, _Named]) -> None:
    """Fill ``units`` with the names of the ``wanted`` unit ids it does not hold yet (at most the
    48,000 units of the country: a few megabytes)."""
    from zhaoshang.units.models import Unit

    missing = wanted - units.keys() - {None}
    if missing:
        units.update(
            (pk, _Named(pk, name))
            for pk, name in filter_in(Unit.objects.order_by(), "pk", missing).values_list("pk", "name")
        )


def _records(
    batch: list[tuple[Any, ...]], units: dict[int, _Named], labels: dict[int, dict[str, str]]
) -> Iterator[ProjectRecord]:
    from zhaoshang.investors.models import Investor
    from zhaoshang.projects.models import CreditShare, Steward

    ids = [values[0] for values in batch]
    investors: dict[int, list[Any]] = {pk: _Loaded() for pk in ids}
    links = filter_in(Project.investors.through.objects, "project_id", ids)
    # Investor.Meta.ordering, as project.investors.all() gives them; the investors' fields come with
    # their links (one query), each investor made once, as .only(*_INVESTOR_FIELDS) would make it.
    links = links.order_by("investor__name", "investor_id")
    # from_db takes the values in the order of the model's fields
    names = [f.attname for f in Investor._meta.concrete_fields if f.attname in ("id", *_INVESTOR_FIELDS)]
    by_id: dict[int, Investor] = {}
    for project_id, *fields in links.values_list("project_id", *(f"investor__{n}" for n in names)):
        investor = by_id.get(fields[0])
        if investor is None:
            investor = by_id[fields[0]] = Investor.from_db(links.db, names, fields)
        investors[project_id].append(investor)
    credits: dict[int, list[Any]] = {pk: _Loaded() for pk in ids}
    shares = list(
        filter_in(CreditShare.objects, "project_id", ids)
        .order_by("pk")
        .values_list("project_id", "unit_id", "share")
    )
    stewards: dict[int, list[Any]] = {pk: _Loaded() for pk in ids}
    for project_id, name, position, phone in (
        filter_in(Steward.objects, "project_id", ids)
        .order_by("pk")
        .values_list("project_id", "name", "position", "phone")
    ):
        stewards[project_id].append(_Steward(name, position, phone))
    unit_at, park_at = _FIELDS.index("unit_id"), _FIELDS.index("park_id")
    _unit_names(
        {v[unit_at] for v in batch} | {v[park_at] for v in batch} | {u for _p, u, _s in shares}, units
    )
    for project_id, unit_id, share in shares:
        credits[project_id].append(_Credit(units[unit_id], share))
    for values in batch:
        park = values[park_at]
        yield ProjectRecord._make(
            (
                *values,
                units[values[unit_at]],
                units[park] if park else None,
                investors[values[0]],
                credits[values[0]],
                stewards[values[0]],
                labels,
            )
        )
