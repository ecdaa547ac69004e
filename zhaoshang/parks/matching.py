"""Matchmaking (項目與存量資產對接): a project in talks is offered the idle sites and buildings and the
vacant standard factories of its county that fit its land (畝) and floor (m²) needs; taking one links
them. A factory taken by a project counts as occupied once the project has landed as an enterprise
(``StandardFactory.occupant``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.parks.choices import AssetKind, AssetStatus
from zhaoshang.parks.models import IdleAsset, StandardFactory
from zhaoshang.projects.choices import Stage
from zhaoshang.projects.models import Project
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

IN_TALKS = (Stage.NEGOTIATING, Stage.INTENT, Stage.SIGNED)
Taken = TypeVar("Taken", IdleAsset, StandardFactory)


def _county(project: Project) -> Unit:
    return Unit.objects.county_of(project.unit) or project.unit


def fitting_assets(project: Project) -> QuerySet:
    """Available idle assets of the project's county: land of at least its land need, buildings of at
    least its floor need (any size where the project states no need)."""
    county = _county(project)
    land = Q(kind=AssetKind.LAND)
    if project.land_mu:
        land &= Q(area__gte=project.land_mu)
    building = Q(kind=AssetKind.BUILDING)
    if project.construction_area:
        building &= Q(area__gte=project.construction_area)
    return (
        IdleAsset.objects.filter(tree.subtree_q(county.path, "unit__path"), status=AssetStatus.AVAILABLE)
        .filter(land | building)
        .select_related("unit")
        .order_by("area", "pk")
    )


def fitting_factories(project: Project) -> QuerySet:
    """Vacant standard factories of the county's parks with at least the project's floor need."""
    county = _county(project)
    factories = StandardFactory.objects.filter(
        tree.subtree_q(county.path, "unit__path"), tenant__isnull=True, project__isnull=True
    )
    if project.construction_area:
        factories = factories.filter(floor_area__gte=project.construction_area)
    return factories.select_related("unit").order_by("floor_area", "pk")


def _check(project: Project, by: User | None) -> None:
    if by is not None and not user_can(by, Action.EDIT, project.unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not change the projects of %(unit)s.") % {"unit": project.unit})
    if project.stage not in IN_TALKS:
        raise ValidationError(_("Only a project in talks, with an intent or signed takes a site."))


def _take(
    project: Project,
    record: Taken,
    fitting: Callable[[Project], QuerySet],
    refusal: str,
    by: User | None,
    **fields: Any,
) -> Taken:
    """Link ``record`` to the project (with ``fields`` set besides) when it is still among the
    ``fitting`` ones, else refuse with ``refusal``; the change is audited."""
    _check(project, by)
    record = for_update(type(record)._default_manager).get(pk=record.pk)
    if not fitting(project).filter(pk=record.pk).exists():
        raise ValidationError(refusal)
    before = audit.snapshot(record)
    record.project = project
    for name, value in fields.items():
        setattr(record, name, value)
    record.save(update_fields=["project", *fields])
    audit.record(
        audit.Entry.Action.UPDATE,
        record,
        by=by,
        unit=record.unit,
        before=before,
        after=audit.snapshot(record),
    )
    return record


@transaction.atomic
def take_asset(project: Project, asset: IdleAsset, *, by: User | None) -> IdleAsset:
    refusal = _("This idle asset is taken already or does not fit the project.")
    return _take(project, asset, fitting_assets, refusal, by, status=AssetStatus.TAKEN)


@transaction.atomic
def take_factory(project: Project, factory: StandardFactory, *, by: User | None) -> StandardFactory:
    refusal = _("This factory is let already or does not fit the project.")
    return _take(project, factory, fitting_factories, refusal, by)
