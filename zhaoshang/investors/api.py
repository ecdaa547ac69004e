"""Investors in the JSON API: the same filter set, sort keys, scoping and services as the pages."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router, Status

from zhaoshang.accounts.http import AuthedRequest
from zhaoshang.core import api
from zhaoshang.core.permissions import Action, ObjectType
from zhaoshang.investors import services
from zhaoshang.investors.duplicates import likely_duplicates
from zhaoshang.investors.forms import editable_units
from zhaoshang.investors.models import Investor
from zhaoshang.investors.schemas import DuplicatesOut, InvestorFieldsIn, InvestorIn, InvestorOut
from zhaoshang.investors.tables import INVESTOR_LIST, SELECT

if TYPE_CHECKING:
    from zhaoshang.accounts.models import User

router = Router()
RENAME = {"unit": "unit_id"}


def _queryset(user: User) -> QuerySet:
    return Investor.objects.visible_to(user).select_related(*SELECT).prefetch_related("contacts__unit")


def _data(user: User, payload: InvestorFieldsIn, action: str) -> tuple[dict[str, Any], Any]:
    """The fields sent, with unit ids resolved among the units the user may use (an invisible
    unit is reported like a missing one, as 422)."""
    data = payload.dict(exclude_unset=True, exclude={"contacts", "allow_duplicates"})
    units = editable_units(user, action)
    errors: dict[Any, list[str]] = {}
    if "unit_id" in data:
        data["unit"] = units.filter(pk=data.pop("unit_id")).first()
        if data["unit"] is None:
            errors["unit_id"] = [_("Unknown unit.")]
    contacts = None
    if payload.contacts is not None:
        contacts = []
        for index, c in enumerate(payload.contacts):
            unit = None
            if c.unit_id is not None:
                unit = units.filter(pk=c.unit_id).first()
                if unit is None:
                    errors[("contacts", index, "unit_id")] = [_("Unknown unit.")]
            contacts.append(services.ContactData(c.name, c.position, c.phone, c.email, c.wechat, unit))
    for key in [
        k for k, v in data.items() if v is None and k not in ("registered_capital", "next_follow_up_on")
    ]:
        data[key] = ""
    if errors:
        raise api.field_errors(errors)
    return data, contacts


def _listed(queryset: QuerySet, user: Any) -> QuerySet:
    # The page's rows, and each contact's unit, which the API shows.
    return INVESTOR_LIST.decorate(queryset, user).prefetch_related("contacts__unit")


list_investors = api.list_operation(
    router,
    "",
    InvestorOut,
    replace(INVESTOR_LIST, decorate=_listed),
    name="list_investors",
    summary="List investors",
    description="Investors of your subtree, filtered like the investor list page.",
)


read_investor = api.read_operation(
    router, "/{investor_id}", InvestorOut, _queryset, name="read_investor", summary="Read an investor"
)


@router.post(
    "",
    response={201: InvestorOut, 409: DuplicatesOut, **api.CREATE_ERRORS},
    summary="Record an investor",
    description="Likely duplicates among the investors you may see (same credit code, same or similar "
    "name, a contact with the same phone or e-mail) answer 409 with the list, unless allow_duplicates.",
)
def create_investor(request: AuthedRequest, payload: InvestorIn) -> Any:
    user = request.user
    api.require(user, Action.CREATE, ObjectType.INVESTOR)
    data, contacts = _data(user, payload, Action.CREATE)
    if not payload.allow_duplicates:
        matches = likely_duplicates(
            Investor.objects.visible_to(user),
            name=data["name"],
            credit_code=(data.get("credit_code") or "").strip().upper(),
            phones=[c.phone for c in contacts or []],
            emails=[c.email for c in contacts or []],
        )
        if matches:
            duplicates = [
                {"id": m.investor.pk, "name": m.investor.name, "reason": m.reason, "exact": m.exact}
                for m in matches
            ]
            return Status(409, {"detail": _("Likely duplicates already on file."), "duplicates": duplicates})
    with api.service_call(RENAME):
        investor = services.create_investor(by=user, data=data, contacts=contacts or [])
    return Status(201, _queryset(user).get(pk=investor.pk))


@router.patch("/{investor_id}", response={200: InvestorOut, **api.ERRORS}, summary="Change an investor")
def update_investor(request: AuthedRequest, investor_id: int, payload: InvestorFieldsIn) -> Investor:
    user = request.user
    investor = api.scoped_object(Investor, user, investor_id, Action.EDIT)
    data, contacts = _data(user, payload, Action.EDIT)
    with api.service_call(RENAME):
        services.update_investor(investor, by=user, data=data, contacts=contacts)
    return _queryset(user).get(pk=investor.pk)
