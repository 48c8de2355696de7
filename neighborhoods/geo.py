"""Validation of the places' geography: GeoJSON boundaries and latitude/longitude points.

Boundaries are stored as plain GeoJSON (RFC 7946: longitude first, then latitude), so they can
be exported as-is and drawn by any map library. Errors are worded for the editor who pasted
the boundary into the admin.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

latitude_validators = [
    MinValueValidator(Decimal("-90"), message=_("Latitude must be between -90 and 90.")),
    MaxValueValidator(Decimal("90"), message=_("Latitude must be between -90 and 90.")),
]
longitude_validators = [
    MinValueValidator(Decimal("-180"), message=_("Longitude must be between -180 and 180.")),
    MaxValueValidator(Decimal("180"), message=_("Longitude must be between -180 and 180.")),
]

POLYGON_TYPES = ("Polygon", "MultiPolygon")


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _validate_ring(ring):
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            _("Each ring of the polygon needs at least four positions (the last repeats the first).")
        )
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(_is_number(c) for c in position[:2])
        ):
            raise ValidationError(
                _("Each position must be a pair of numbers: [longitude, latitude].")
            )
        lng, lat = position[0], position[1]
        if not -180 <= lng <= 180 or not -90 <= lat <= 90:
            raise ValidationError(
                _(
                    "Position [%(lng)s, %(lat)s] is outside the valid range: longitude comes "
                    "first (-180 to 180), then latitude (-90 to 90)."
                ),
                params={"lng": lng, "lat": lat},
            )
    if ring[0][:2] != ring[-1][:2]:
        raise ValidationError(
            _("The polygon is not closed: its last position must repeat its first.")
        )


def _validate_polygon_coordinates(rings):
    if not isinstance(rings, list) or not rings:
        raise ValidationError(_("A polygon needs at least one ring of positions."))
    for ring in rings:
        _validate_ring(ring)


def validate_boundary(value):
    """Check a boundary is a GeoJSON Polygon or MultiPolygon (bare or inside a Feature).

    Raises ``ValidationError`` with a message an editor can act on.
    """
    if value in (None, ""):
        return
    if not isinstance(value, dict):
        raise ValidationError(_("The boundary must be a GeoJSON object, e.g. {\"type\": \"Polygon\", ...}."))
    geometry = value.get("geometry") if value.get("type") == "Feature" else value
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise ValidationError(
            _("The boundary must be a GeoJSON Polygon or MultiPolygon, not %(type)s."),
            params={"type": (geometry or {}).get("type") if isinstance(geometry, dict) else type(geometry).__name__},
        )
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        _validate_polygon_coordinates(coordinates)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise ValidationError(_("A MultiPolygon needs at least one polygon."))
        for polygon in coordinates:
            _validate_polygon_coordinates(polygon)


def boundary_geometry(value):
    """Return the geometry of a stored boundary (unwrapping a Feature), or None."""
    if not value:
        return None
    return value.get("geometry") if value.get("type") == "Feature" else value
