"""Coordinates of records on the map: longitude and latitude as Decimal (6 places, about 0.1 m), in
GCJ-02, the coordinate system of the boundary the map draws (高德/Amap data, see
static/zhaoshang/geo/README.md). A GPS reading (WGS-84) is converted on entry; nothing stored is
WGS-84, so points and outline agree. Both or neither: a record has a place or has none."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# China's bounding box (the Nansha islands to Mohe, Pamir to the Wusu river confluence).
MIN_LONGITUDE, MAX_LONGITUDE = Decimal("73.5"), Decimal("135.1")
MIN_LATITUDE, MAX_LATITUDE = Decimal("3.8"), Decimal("53.6")
PLACES = Decimal("0.000001")

LONGITUDE_VALIDATORS = [MinValueValidator(MIN_LONGITUDE), MaxValueValidator(MAX_LONGITUDE)]
LATITUDE_VALIDATORS = [MinValueValidator(MIN_LATITUDE), MaxValueValidator(MAX_LATITUDE)]


def _stored(label: Any, max_digits: int, validators: list[Any]) -> models.DecimalField:
    """A stored coordinate: 6 places, empty where the record has no place."""
    return models.DecimalField(
        label, max_digits=max_digits, decimal_places=6, null=True, blank=True, validators=validators
    )


def longitude_field() -> models.DecimalField:
    return _stored(_("longitude (GCJ-02)"), 9, LONGITUDE_VALIDATORS)


def latitude_field() -> models.DecimalField:
    return _stored(_("latitude (GCJ-02)"), 8, LATITUDE_VALIDATORS)


def _typed(
    label: Any, max_digits: int, bounds: tuple[Decimal, Decimal], help_text: Any
) -> forms.DecimalField:
    """A coordinate typed on a form: 6 places, optional, within China's bounding box."""
    low, high = bounds
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=max_digits,
        decimal_places=6,
        min_value=low,
        max_value=high,
        help_text=help_text,
    )


def check_pair(longitude: Any, latitude: Any) -> None:
    """Both coordinates or neither (a point with one coordinate is nowhere)."""
    if (longitude is None) != (latitude is None):
        field = "latitude" if latitude is None else "longitude"
        raise ValidationError({field: _("Give both longitude and latitude, or neither.")})


class CoordinateSystem(models.TextChoices):
    GCJ02 = "gcj02", _("GCJ-02 (Amap, Tencent maps)")
    WGS84 = "wgs84", _("WGS-84 (GPS)")


_A = 6378245.0
_EE = 0.00669342162296594323


def _out_of_china(lon: float, lat: float) -> bool:
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _lat(x: float, y: float) -> float:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _lon(x: float, y: float) -> float:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(longitude: Decimal, latitude: Decimal) -> tuple[Decimal, Decimal]:
    """The published GCJ-02 offset (an offset of a few hundred metres, not money: float is fine
    here), rounded back to 6 places."""
    lon, lat = float(longitude), float(latitude)
    if _out_of_china(lon, lat):
        return longitude, latitude
    d_lat, d_lon = _lat(lon - 105.0, lat - 35.0), _lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return Decimal(str(lon + d_lon)).quantize(PLACES), Decimal(str(lat + d_lat)).quantize(PLACES)


SECONDS = Decimal("0.01")


def dms(value: Decimal) -> str:
    """A coordinate in degrees, minutes and seconds to the hundredth (113°35′22.12″, about 0.3 m),
    the way documents write a place (东经113°35′22.12″). Decimal arithmetic, so 28.5 is 28°30′00.00″."""
    seconds = (abs(Decimal(value)) * 3600).quantize(SECONDS)
    degrees, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{int(degrees)}°{int(minutes):02d}′{seconds:05.2f}″"


def display(longitude: Decimal | None, latitude: Decimal | None) -> str:
    """A stored point as a reader sees it: "东经113°35′22.12″，北纬28°42′10.30″" (in English "113°35′22.12″
    E, 28°42′10.30″ N"); empty without one. Every stored point lies in China, east and north."""
    if longitude is None or latitude is None:
        return ""
    return _("%(longitude)s E, %(latitude)s N") % {"longitude": dms(longitude), "latitude": dms(latitude)}


def map_url(longitude: Decimal, latitude: Decimal) -> str:
    """The map page centred on a point (``centre`` reads it back)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('parks:map')}?{urlencode({'lon': longitude, 'lat': latitude})}"


def centre(params: Any) -> tuple[Decimal, Decimal] | None:
    """The point a map page is asked to centre on (``?lon=&lat=``), None when missing or not a
    point in China (the page then shows the whole county)."""
    from decimal import InvalidOperation

    try:
        longitude, latitude = Decimal(params.get("lon", "")), Decimal(params.get("lat", ""))
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not (longitude.is_finite() and latitude.is_finite()):
        return None
    if MIN_LONGITUDE <= longitude <= MAX_LONGITUDE and MIN_LATITUDE <= latitude <= MAX_LATITUDE:
        return longitude.quantize(PLACES), latitude.quantize(PLACES)
    return None


def both_or_neither(prefix: str) -> models.CheckConstraint:
    """The database's half of ``check_pair``: a row has both coordinates or neither."""
    return models.CheckConstraint(
        condition=models.Q(longitude__isnull=True, latitude__isnull=True)
        | models.Q(longitude__isnull=False, latitude__isnull=False),
        name=f"{prefix}_coordinates_both_or_neither",
        violation_error_message=_("Give both longitude and latitude, or neither."),
    )


class CoordinatesForm(forms.Form):
    """The coordinates of a form (a project's site, an enterprise, a park): typed or read from a
    phone, in either system; stored in GCJ-02."""

    longitude = _typed(
        _("Longitude"), 9, (MIN_LONGITUDE, MAX_LONGITUDE), _("Within China: 73.5 to 135.1 (east).")
    )
    latitude = _typed(_("Latitude"), 8, (MIN_LATITUDE, MAX_LATITUDE), _("Within China: 3.8 to 53.6 (north)."))
    coordinate_system = forms.ChoiceField(
        label=_("Coordinates read from"),
        choices=CoordinateSystem.choices,
        initial=CoordinateSystem.GCJ02,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("longitude", "latitude", "coordinate_system"):  # after the form's own fields
            self.fields[name] = self.fields.pop(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        longitude, latitude = data.get("longitude"), data.get("latitude")
        if "longitude" in self.errors or "latitude" in self.errors:
            return data
        try:
            check_pair(longitude, latitude)
        except ValidationError as error:
            self.add_error(None, error)
            return data
        if (
            longitude is not None
            and latitude is not None
            and data.get("coordinate_system") == CoordinateSystem.WGS84
        ):
            data["longitude"], data["latitude"] = wgs84_to_gcj02(longitude, latitude)
        data.pop("coordinate_system", None)
        return data
