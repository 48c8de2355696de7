"""Validation of the places' geography: GeoJSON boundaries and latitude/longitude points.

Boundaries are stored as plain GeoJSON (RFC 7946: longitude first, then latitude), so they can
be exported as-is and drawn by any map library. Errors are worded for the editor who pasted
the boundary into the admin.
"""

from decimal import Decimal

from django.conf import settings
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
        raise ValidationError(_("Each ring of the polygon needs at least four positions (the last repeats the first)."))
    for position in ring:
        if not isinstance(position, list) or len(position) < 2 or not all(_is_number(c) for c in position[:2]):
            raise ValidationError(_("Each position must be a pair of numbers: [longitude, latitude]."))
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
        raise ValidationError(_("The polygon is not closed: its last position must repeat its first."))
    if len({tuple(position[:2]) for position in ring}) < 3:
        raise ValidationError(
            _("Each ring of the polygon needs at least three different positions: this one is a line or a point.")
        )


def _validate_polygon_coordinates(rings):
    if not isinstance(rings, list) or not rings:
        raise ValidationError(_("A polygon needs at least one ring of positions."))
    for ring in rings:
        _validate_ring(ring)


def validate_boundary(value):
    """Check a boundary is a GeoJSON Polygon or MultiPolygon (bare or inside a Feature).

    Then its positions must lie in the city's box (``CITY_BBOX``) and its lines must not cross.
    Raises ``ValidationError`` with a message an editor can act on.
    """
    if value in (None, ""):
        return
    if not isinstance(value, dict):
        raise ValidationError(_('The boundary must be a GeoJSON object, e.g. {"type": "Polygon", ...}.'))
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
    polygons = polygons_of(geometry)
    _validate_inside_city(polygons)
    for polygon in polygons:
        _validate_no_crossing(polygon)


def city_bbox():
    """The city's box ``(west, south, east, north)`` from the ``CITY_BBOX`` setting."""
    return tuple(float(v) for v in settings.CITY_BBOX)


def _validate_inside_city(polygons):
    west, south, east, north = city_bbox()
    for polygon in polygons:
        for ring in polygon:
            for lng, lat in ring:
                if not (west <= lng <= east and south <= lat <= north):
                    raise ValidationError(
                        _(
                            "Position [%(lng)s, %(lat)s] is outside the city's area (longitude %(west)s to "
                            "%(east)s, latitude %(south)s to %(north)s). Check that longitude comes first."
                        ),
                        params={"lng": lng, "lat": lat, "west": west, "east": east, "south": south, "north": north},
                    )


def _orientation(a, b, c):
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (value > 0) - (value < 0)


def _segments_touch(a, b, c, d):
    """Whether the segments a–b and c–d have at least one point in common."""
    o1, o2, o3, o4 = _orientation(a, b, c), _orientation(a, b, d), _orientation(c, d, a), _orientation(c, d, b)
    if o1 != o2 and o3 != o4:
        return True

    def within(p, q, r):  # r on the line p–q: is it between them?
        return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(p[1], q[1])

    return (
        (o1 == 0 and within(a, b, c))
        or (o2 == 0 and within(a, b, d))
        or (o3 == 0 and within(c, d, a))
        or (o4 == 0 and within(c, d, b))
    )


def _validate_no_crossing(polygon):
    """Refuse a polygon whose lines cross or touch, other than each ring's consecutive edges.

    A sweep from west to east compares only edges whose longitudes overlap, so a long outline
    is checked quickly.
    """
    edges = []
    for ring_number, positions in enumerate(polygon):
        # A position repeated right after itself (common in exported files) is one vertex.
        ring = [p for k, p in enumerate(positions) if k == 0 or p != positions[k - 1]]
        last = len(ring) - 2  # index of the ring's last edge
        for i in range(len(ring) - 1):
            a, b = ring[i], ring[i + 1]
            edges.append((min(a[0], b[0]), max(a[0], b[0]), ring_number, i, last, a, b))
    edges.sort(key=lambda edge: edge[0])
    active = []
    for edge in edges:
        west, east, ring_number, i, last, a, b = edge
        active = [other for other in active if other[1] >= west]
        for _w, _e, other_ring, j, _last, c, d in active:
            if other_ring == ring_number and (abs(i - j) == 1 or {i, j} == {0, last}):
                continue  # neighbouring edges share a vertex
            if _segments_touch(a, b, c, d):
                raise ValidationError(
                    _(
                        "The boundary crosses itself near [%(lng)s, %(lat)s]: draw the outline without "
                        "crossing lines (and each hole inside it, apart from it)."
                    ),
                    params={"lng": round(a[0], 6), "lat": round(a[1], 6)},
                )
        active.append(edge)


def boundary_geometry(value):
    """Return the geometry of a stored boundary (unwrapping a Feature), or None."""
    if not value:
        return None
    return value.get("geometry") if value.get("type") == "Feature" else value


# -- Geometry: bounding boxes and point-in-polygon -----------------------------------------------

#: How close (in degrees, about a millimetre) a point must be to an edge to count as on it.
EDGE_TOLERANCE = 1e-9


def polygons_of(value):
    """The polygons of a stored boundary as lists of rings of ``(longitude, latitude)`` tuples.

    A Polygon gives one polygon, a MultiPolygon several; no boundary gives none. The first ring
    of each polygon is its outline, the others are its holes.
    """
    geometry = boundary_geometry(value)
    if not geometry:
        return []
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    return [[[(float(p[0]), float(p[1])) for p in ring] for ring in polygon] for polygon in polygons]


def bounding_box(value):
    """``(west, south, east, north)`` of a stored boundary, or None when it has none."""
    positions = [p for polygon in polygons_of(value) for ring in polygon for p in ring]
    if not positions:
        return None
    longitudes = [p[0] for p in positions]
    latitudes = [p[1] for p in positions]
    return min(longitudes), min(latitudes), max(longitudes), max(latitudes)


def _on_segment(x, y, a, b):
    (x1, y1), (x2, y2) = a, b
    if not (min(x1, x2) - EDGE_TOLERANCE <= x <= max(x1, x2) + EDGE_TOLERANCE):
        return False
    if not (min(y1, y2) - EDGE_TOLERANCE <= y <= max(y1, y2) + EDGE_TOLERANCE):
        return False
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    length = max(abs(x2 - x1), abs(y2 - y1), EDGE_TOLERANCE)
    return abs(cross) / length <= EDGE_TOLERANCE


def _on_ring(x, y, ring):
    return any(_on_segment(x, y, ring[i], ring[i + 1]) for i in range(len(ring) - 1))


def _inside_ring(x, y, ring):
    """Ray casting: does a ray from the point towards the east cross the ring an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def point_in_polygons(longitude, latitude, polygons):
    """Whether the point lies in one of the polygons (as given by ``polygons_of``).

    A point on an outline or on the edge of a hole counts as inside: the boundary line belongs
    to the area, so a point on a border shared by two areas is in both.
    """
    for outline, *holes in polygons:
        if _on_ring(longitude, latitude, outline) or any(_on_ring(longitude, latitude, h) for h in holes):
            return True
        if _inside_ring(longitude, latitude, outline) and not any(_inside_ring(longitude, latitude, h) for h in holes):
            return True
    return False


def point_in_boundary(longitude, latitude, value):
    """Whether the point (longitude, latitude) lies in the stored boundary ``value``."""
    return point_in_polygons(longitude, latitude, polygons_of(value))


def tile_settings():
    """The interactive map's background tiles: URL template and attribution (settings)."""
    return {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION}
