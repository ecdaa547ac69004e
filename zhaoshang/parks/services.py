"""Every write to parks: the profile of a park unit, its infrastructure items and standard factories,
and idle assets; and the park's summary, whose enterprise figures come from
``enterprises.figures`` (the one place they are summed). Each write is one transaction with its
audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from zhaoshang.audit import services as audit
from zhaoshang.core import tree
from zhaoshang.core.errors import OutOfScope, ValidationError
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.core.queries import for_update
from zhaoshang.core.scoping import user_can
from zhaoshang.enterprises.figures import ZERO, Totals, land_totals, totals
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.parks.choices import AssetStatus
from zhaoshang.parks.models import IdleAsset, InfrastructureItem, ParkProfile, StandardFactory
from zhaoshang.units.choices import UnitKind
from zhaoshang.units.models import Unit

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

PROFILE_FIELDS = (
    "planned_mu",
    "developed_mu",
    "reserve_mu",
    "land_price_per_mu",
    "land_price_policy",
    "longitude",
    "latitude",
)


def _require(by: User | None, action: str, unit: Unit) -> None:
    if by is not None and not user_can(by, action, unit, on=ObjectType.PROJECT):
        raise OutOfScope(_("You may not change the records of %(unit)s.") % {"unit": unit})


def _park(unit: Unit) -> None:
    if unit.kind != UnitKind.PARK:
        raise ValidationError({"unit": _("%(unit)s is not a park.") % {"unit": unit}})


def _clean(obj: Any, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as error:
        raise ValidationError({f: m[0] for f, m in error.message_dict.items()}) from error


def _by(by: User | None) -> User | None:
    return by if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def save_profile(unit: Unit, *, by: User | None, data: dict[str, Any]) -> ParkProfile:
    """Set a park's areas and land price policy (the park committee and the bureau)."""
    _park(unit)
    _require(by, Action.EDIT, unit)
    profile = for_update(ParkProfile.objects).filter(unit=unit).first()
    before = audit.snapshot(profile) if profile is not None else None
    profile = profile or ParkProfile(unit=unit)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(profile, name, data[name])
    _clean(profile, ["unit"])
    planned, developed = profile.planned_mu, profile.developed_mu
    if planned is not None and developed is not None and developed > planned:
        raise ValidationError({"developed_mu": _("The developed area cannot exceed the planned area.")})
    profile.save()
    action = audit.Entry.Action.CREATE if before is None else audit.Entry.Action.UPDATE
    audit.record(action, profile, by=by, unit=unit, before=before, after=audit.snapshot(profile))
    return profile


@transaction.atomic
def add_infrastructure(
    unit: Unit,
    *,
    by: User | None,
    kind: str,
    quantity: Decimal,
    amount: Decimal,
    built_on: dt.date,
    note: str = "",
) -> InfrastructureItem:
    """Record a piece of a park's infrastructure and its investment."""
    _park(unit)
    _require(by, Action.EDIT, unit)
    item = InfrastructureItem(
        unit=unit,
        kind=kind,
        quantity=quantity,
        amount=amount,
        built_on=built_on,
        note=note,
        created_by=_by(by),
    )
    _clean(item, ["unit", "created_by"])
    if built_on > timezone.localdate():
        raise ValidationError({"built_on": _("The date cannot be in the future.")})
    item.save()
    audit.record(audit.Entry.Action.CREATE, item, by=by, unit=unit, after=audit.snapshot(item))
    return item


@transaction.atomic
def add_factory(
    unit: Unit,
    *,
    by: User | None,
    name: str,
    floor_area: Decimal,
    tenant: Enterprise | None = None,
    built_on: dt.date | None = None,
) -> StandardFactory:
    """Record a standard factory of a park, let to ``tenant`` or vacant."""
    _park(unit)
    _require(by, Action.EDIT, unit)
    factory = StandardFactory(unit=unit, name=name, floor_area=floor_area, tenant=tenant, built_on=built_on)
    _clean(factory, ["unit", "tenant"])
    county = Unit.objects.county_of(unit) or unit
    if tenant is not None and not tree.is_within(tenant.unit.path, county.path):
        raise ValidationError(
            {"tenant": _("The tenant must be an enterprise of %(county)s.") % {"county": county}}
        )
    factory.save()
    audit.record(audit.Entry.Action.CREATE, factory, by=by, unit=unit, after=audit.snapshot(factory))
    return factory


@transaction.atomic
def record_idle_asset(*, by: User | None, data: dict[str, Any]) -> IdleAsset:
    """Offer idle land or an idle building of ``data["unit"]`` (a township or a park)."""
    unit = data["unit"]
    _require(by, Action.CREATE, unit)
    asset = IdleAsset(**data, created_by=_by(by))
    _clean(asset, ["unit", "created_by"])
    asset.save()
    audit.record(audit.Entry.Action.CREATE, asset, by=by, unit=unit, after=audit.snapshot(asset))
    return asset


IDLE_FIELDS = ("kind", "name", "area", "owner", "condition", "asking_terms")


@transaction.atomic
def update_idle_asset(asset: IdleAsset, *, by: User | None, data: dict[str, Any]) -> IdleAsset:
    """Change an idle asset's description and terms (its unit's operator and the bureau). The unit
    stays; whether it is taken is matchmaking's (matching.take_asset), not this page's."""
    asset = for_update(IdleAsset.objects).get(pk=asset.pk)
    _require(by, Action.EDIT, asset.unit)
    before = audit.snapshot(asset)
    for name in IDLE_FIELDS:
        if name in data:
            setattr(asset, name, data[name])
    _clean(asset, ["unit", "created_by", "project"])
    asset.save()
    after = audit.snapshot(asset)
    if after != before:
        audit.record(audit.Entry.Action.UPDATE, asset, by=by, unit=asset.unit, before=before, after=after)
    return asset


@dataclass(frozen=True)
class Summary:
    """What a park's page shows in figures (areas in 畝, money in 萬元, floor area in m²)."""

    profile: ParkProfile | None
    infrastructure_amount: Decimal
    infrastructure: dict[str, Decimal]  # kind -> quantity
    factories: int
    floor_area: Decimal
    occupied_area: Decimal
    idle_assets: int
    enterprises: Totals
    land_mu: Decimal
    tax_per_mu: Decimal | None
    output_per_mu: Decimal | None


def summary(unit: Unit, year: int) -> Summary:
    """The park's figures: its profile, infrastructure investment, factories and idle assets, and its
    enterprises' output, tax and jobs (verified returns of ``year``) with the 畝均 of their land."""
    items = InfrastructureItem.objects.filter(unit=unit)
    occupied = Q(tenant__isnull=False) | Q(project__enterprise__isnull=False)
    factories = StandardFactory.objects.filter(unit=unit).aggregate(
        n=Count("pk"), area=Sum("floor_area"), occupied=Sum("floor_area", filter=occupied)
    )
    enterprises = Enterprise.objects.filter(park=unit)
    figures = totals(enterprises, year)
    land = land_totals(enterprises)
    return Summary(
        profile=ParkProfile.objects.filter(unit=unit).first(),
        infrastructure_amount=items.aggregate(s=Sum("amount"))["s"] or ZERO,
        infrastructure={
            row["kind"]: row["q"] for row in items.values("kind").annotate(q=Sum("quantity")).order_by("kind")
        },
        factories=factories["n"],
        floor_area=factories["area"] or ZERO,
        occupied_area=factories["occupied"] or ZERO,
        idle_assets=IdleAsset.objects.filter(unit=unit, status=AssetStatus.AVAILABLE).count(),
        enterprises=figures,
        land_mu=land,
        tax_per_mu=figures.tax / land if land else None,
        output_per_mu=figures.output / land if land else None,
    )


@dataclass(frozen=True)
class Row:
    """A park's line of the parks list: the figures of ``summary`` that the list shows."""

    profile: ParkProfile | None
    infrastructure_amount: Decimal
    enterprises: Totals
    tax_per_mu: Decimal | None


def rows(parks: list[Unit], year: int) -> dict[int, Row]:
    """The list's line of every park, in four queries whatever their number (``summary`` is a park's
    page and reads each park alone): the same rules, so that a line equals its park's summary."""
    ids = [park.pk for park in parks]
    profiles = {p.unit_id: p for p in ParkProfile.objects.filter(unit__in=ids)}
    infrastructure = dict(
        InfrastructureItem.objects.filter(unit__in=ids)
        .values("unit")
        .annotate(s=Sum("amount"))
        .values_list("unit", "s")
    )
    enterprises = Enterprise.objects.filter(park__in=ids)
    figures = totals(enterprises, year)
    by_park: dict[int, list[tuple[int, bool, Decimal]]] = {pk: [] for pk in ids}
    for pk, park, key, land in enterprises.values_list("pk", "park", "key", "land_mu"):
        by_park[park].append((pk, key, land or ZERO))
    out = {}
    for park_id, members in by_park.items():
        own = [figures.per_enterprise[pk] for pk, _key, _land in members if pk in figures.per_enterprise]
        tax = sum((f["tax"] for f in own), ZERO)
        land = sum((land for _pk, _key, land in members), ZERO)
        park_totals = Totals(
            enterprises=len(members),
            key_enterprises=sum(1 for _pk, key, _land in members if key),
            reporting=len(own),
            output=sum((f["output"] for f in own), ZERO),
            sales=sum((f["sales"] for f in own), ZERO),
            tax=tax,
            jobs=int(sum((f["jobs"] for f in own), ZERO)),
            energy=sum((f["energy"] for f in own), ZERO),
        )
        out[park_id] = Row(
            profile=profiles.get(park_id),
            infrastructure_amount=infrastructure.get(park_id) or ZERO,
            enterprises=park_totals,
            tax_per_mu=tax / land if land else None,
        )
    return out
