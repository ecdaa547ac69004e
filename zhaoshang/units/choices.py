"""Kinds of unit (單位) and where each may sit in the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    DEPARTMENT = "department", _("Department")
    RESIDENT_OFFICE = "resident_office", _("Resident office")
    PARK = "park", _("Park committee")


_GOVERNMENTS: set[str] = {UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY}

# Kinds that may stand at the root of a deployment: a county bureau can run Zhaoshang alone, and a
# province or the nation can run one above its counties.
ROOT_KINDS = {UnitKind.NATION, UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY}

# Which kinds of parent each kind accepts. Departments, resident offices and parks carry
# targets beside the geographic children of a county (or of a city or province).
ALLOWED_PARENT_KINDS: dict[str, set[str] | None] = {
    UnitKind.NATION: None,
    UnitKind.PROVINCE: {UnitKind.NATION},
    UnitKind.CITY: {UnitKind.PROVINCE},
    UnitKind.COUNTY: {UnitKind.CITY, UnitKind.PROVINCE},
    UnitKind.TOWNSHIP: {UnitKind.COUNTY},
    UnitKind.VILLAGE: {UnitKind.TOWNSHIP},
    UnitKind.DEPARTMENT: _GOVERNMENTS,
    UnitKind.RESIDENT_OFFICE: _GOVERNMENTS,
    UnitKind.PARK: _GOVERNMENTS,
}
