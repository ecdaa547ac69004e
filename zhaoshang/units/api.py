"""The unit tree in the JSON API: list, read, create and change units within one's own subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from ninja import Router, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core import api
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.units import services
from zhaoshang.units.models import Unit
from zhaoshang.units.schemas import UnitIn, UnitOut, UnitPatch
from zhaoshang.units.tables import UNIT_LIST

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

router = Router()

# Field names of the services' errors, as the API calls them.
RENAME = {"parent": "parent_id"}


def visible_unit(user: User, pk: int, field: str) -> Unit:
    """A unit the user may see, or 422: a unit of another subtree is as unknown as a missing one."""
    return api.known_unit(Unit.objects.visible_to(user), pk, field)


list_units = api.list_operation(
    router,
    "",
    UnitOut,
    UNIT_LIST,
    name="list_units",
    summary="List units",
    description="Units of your subtree, filtered like the unit page.",
)


read_unit = api.read_operation(
    router, "/{unit_id}", UnitOut, Unit.objects.visible_to, name="read_unit", summary="Read a unit"
)


@router.post(
    "",
    response={201: UnitOut, **api.CREATE_ERRORS},
    summary="Create a unit",
    description="Needs the right to configure the parent unit (bureau administrators).",
)
def create_unit(request: AuthedRequest, payload: UnitIn) -> Status[Unit]:
    api.require(request.user, Action.CONFIGURE, ObjectType.UNIT)
    parent = visible_unit(request.user, payload.parent_id, "parent_id")
    with api.service_call(RENAME):
        unit = services.create_unit(by=request.user, parent=parent, **payload.dict(exclude={"parent_id"}))
    return Status(201, unit)


@router.patch(
    "/{unit_id}",
    response={200: UnitOut, **api.ERRORS},
    summary="Change a unit",
    description="Only the fields sent change. A new parent_id moves the unit with its whole subtree.",
)
def update_unit(request: AuthedRequest, unit_id: int, payload: UnitPatch) -> Unit:
    unit = api.scoped_object(Unit, request.user, unit_id, Action.CONFIGURE)
    fields = payload.dict(exclude_unset=True)
    parent = unit.parent
    if "parent_id" in fields:
        parent_id = fields.pop("parent_id")
        parent = None if parent_id is None else visible_unit(request.user, parent_id, "parent_id")
    nulls = {name: [_("This field cannot be null.")] for name, value in fields.items() if value is None}
    if nulls:
        raise api.field_errors(nulls)
    with api.service_call(RENAME):
        return services.update_unit(unit, by=request.user, parent=parent, **fields)
