"""Maps of the city, of a submunicipality and of a neighbourhood, and "find my neighbourhood".

Every map is first a small SVG drawn on the server: the boundaries as linked outlines, the
works as linked markers whose shape and colour tell their status (the legend names each), inside
a figure whose caption says what it shows. It needs no JavaScript, prints, and is read by screen
readers and keyboards like the rest of the page. ``portal/static/js/map.js`` then offers an
interactive map (Leaflet, loaded only when asked for) drawn from the same features, which it
fetches from ``geojson`` (``maps/views.py``).

Coordinates are GeoJSON's: longitude first. The SVG uses a plain equirectangular projection
corrected for latitude, exact enough at a city's scale.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from wagtail.coreutils import get_supported_content_language_variant

from home.models import HomePage
from home.visibility import public_pages
from neighborhoods.geo import boundary_geometry, bounding_box, point_in_boundary, polygons_of
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from works.models import WorkStatus, published_works

#: The SVG's longest side, in its own units (the page scales it to the screen).
SVG_SIZE = 600
#: Room around the drawing, in SVG units, so that markers at the edge are whole.
SVG_MARGIN = 18
#: Around a map with a single point and no boundary: half its side, in degrees (about 500 m).
POINT_MARGIN = 0.005

#: Each status's marker shape, drawn around (0, 0) and defined once per map (``<defs>``). The
#: shapes differ so that the status can be told without colour; CSS gives each its colour.
MARKER_SHAPES = {
    "planned": "M-10 0a10 10 0 1 0 20 0a10 10 0 1 0-20 0Z",  # hollow circle
    "in_progress": "M0-13L12 9H-12Z",  # triangle
    "paused": "M-10-10H10V10H-10Z",  # square
    "completed": "M0-13L13 0L0 13L-13 0Z",  # diamond
    "cancelled": "M-9-9L9 9M9-9L-9 9",  # cross
}


@dataclass
class Shape:
    """An outline on the map: a submunicipality, a neighbourhood, or the page's own area."""

    title: str
    url: str
    d: str
    current: bool = False
    label_x: str = "0"  # SVG numbers are written here, never localised by the template
    label_y: str = "0"


@dataclass
class Marker:
    """A work on the map."""

    title: str
    url: str
    x: str
    y: str
    status: str
    status_label: str


@dataclass
class LegendEntry:
    status: str
    label: str
    shape: str
    count: int


@dataclass
class PlaceMap:
    """What the map component draws; ``features`` is the same as GeoJSON for the interactive map."""

    kind: str  # "city", "submunicipality" or "neighborhood"
    width: float = SVG_SIZE
    height: float = SVG_SIZE
    shapes: list = field(default_factory=list)
    markers: list = field(default_factory=list)
    legend: list = field(default_factory=list)
    unlocated: int = 0
    features: list = field(default_factory=list)

    @property
    def view_box(self):
        return f"{-SVG_MARGIN} {-SVG_MARGIN} {self.width + 2 * SVG_MARGIN:g} {self.height + 2 * SVG_MARGIN:g}"

    @property
    def is_empty(self):
        return not self.shapes and not self.markers

    def geojson(self):
        return {"type": "FeatureCollection", "features": self.features}


class Projection:
    """Longitude/latitude to SVG units: north up, the box filling ``SVG_SIZE`` on its longer side."""

    def __init__(self, west, south, east, north):
        if east - west < 1e-9 and north - south < 1e-9:
            west, east, south, north = (
                west - POINT_MARGIN,
                east + POINT_MARGIN,
                south - POINT_MARGIN,
                north + POINT_MARGIN,
            )
        self.west, self.north = west, north
        self.k = math.cos(math.radians((south + north) / 2))
        width, height = max((east - west) * self.k, 1e-9), max(north - south, 1e-9)
        self.scale = SVG_SIZE / max(width, height)
        self.width, self.height = round(width * self.scale, 1), round(height * self.scale, 1)

    def __call__(self, longitude, latitude):
        return (
            round((longitude - self.west) * self.k * self.scale, 1),
            round((self.north - latitude) * self.scale, 1),
        )

    def path(self, polygons):
        """An SVG path for the polygons (holes included: the CSS fills with ``evenodd``)."""
        parts = []
        for polygon in polygons:
            for ring in polygon:
                points = []
                for longitude, latitude in ring:
                    point = self(longitude, latitude)
                    if not points or point != points[-1]:
                        points.append(point)
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        return "".join(parts)


def _status_labels():

    return {status.value: status.label for status in WorkStatus}


def _url(page, request):
    return page.get_url(request) or ""


def _box(page):
    """The page's boundary box, or None: no boundary, or one stored without the admin's checks
    (an import, the shell) that is not GeoJSON, which the map leaves out rather than fail."""
    try:
        return bounding_box(page.boundary)
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        return None


def _location(work):
    if work.latitude is None or work.longitude is None:
        return None
    return float(work.longitude), float(work.latitude)


def build_map(kind, request, outline=None, areas=(), works=()):
    """The map of a place: its own ``outline`` page (drawn, not linked), ``areas`` (linked
    outlines) and ``works`` (linked markers). Pages without a boundary or a location are left
    out of the drawing; they are in the page's lists all the same.
    """
    place_map = PlaceMap(kind=kind)
    outlines = [(outline, True)] if outline is not None else []
    outlines += [(area, False) for area in areas]
    outlines = [(page, current) for page, current in outlines if _box(page)]
    located = [(work, _location(work)) for work in works]
    place_map.unlocated = sum(1 for _work, location in located if location is None)
    located = [(work, location) for work, location in located if location is not None]

    boxes = [_box(page) for page, _current in outlines]
    boxes += [(lng, lat, lng, lat) for _work, (lng, lat) in located]
    boxes = [box for box in boxes if box]
    if not boxes:
        return place_map
    project = Projection(
        min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
    )
    place_map.width, place_map.height = project.width, project.height

    for page, current in outlines:
        url = "" if current else _url(page, request)
        west, south, east, north = _box(page)
        label_x, label_y = project((west + east) / 2, (south + north) / 2)
        path = project.path(polygons_of(page.boundary))
        place_map.shapes.append(Shape(page.title, url, path, current, f"{label_x:g}", f"{label_y:g}"))
        place_map.features.append(
            {
                "type": "Feature",
                "geometry": boundary_geometry(page.boundary),
                "properties": {"title": page.title, "url": url, "current": current},
            }
        )

    labels = _status_labels()
    counts = {}
    for work, (longitude, latitude) in located:
        x, y = project(longitude, latitude)
        url = _url(work, request)
        label = str(labels.get(work.status, work.status))
        place_map.markers.append(Marker(work.title, url, f"{x:g}", f"{y:g}", work.status, label))
        counts[work.status] = counts.get(work.status, 0) + 1
        place_map.features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {"title": work.title, "url": url, "status": work.status, "status_label": label},
            }
        )
    place_map.legend = [
        LegendEntry(status, str(label), MARKER_SHAPES[status], counts[status])
        for status, label in labels.items()
        if status in counts
    ]
    return place_map


def map_for_page(page, items, request):
    """The map a page shows: ``items`` are the areas (home page, submunicipality) or works
    (neighbourhood) the page lists, already fetched for its lists, so no query is added per item.
    """

    items = list(items)
    if isinstance(page, NeighborhoodPage):
        return build_map("neighborhood", request, outline=page, works=items)
    if isinstance(page, SubmunicipalityPage):
        return build_map("submunicipality", request, outline=page, areas=items)
    if isinstance(page, HomePage):
        return build_map("city", request, areas=items)
    return PlaceMap(kind="none")


def map_items(page):
    """What a page's map shows, as the page itself lists it (published and public only)."""

    if isinstance(page, NeighborhoodPage):
        return published_works(page)
    if isinstance(page, SubmunicipalityPage):
        return public_pages(NeighborhoodPage.objects.child_of(page)).order_by("title")
    if isinstance(page, HomePage):
        return public_pages(SubmunicipalityPage.objects.child_of(page)).order_by("title")
    return []


# -- Find my neighbourhood ------------------------------------------------------------------------


def parse_point(latitude, longitude):
    """``(longitude, latitude)`` as floats from a form's text, or an error message to show.

    Accepts a decimal comma as well as a point (``-16,5``).
    """
    try:
        lat = float(str(latitude).strip().replace(",", "."))
        lng = float(str(longitude).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None, _("Give the latitude and the longitude as numbers, e.g. -16.5 and -68.13.")
    if not (math.isfinite(lat) and math.isfinite(lng)) or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, _("The latitude must be between -90 and 90 and the longitude between -180 and 180.")
    return (lng, lat), None


def candidates(longitude, latitude, language_code):
    """Published, public neighbourhoods in a language whose bounding box holds the point.

    The box columns are indexed, so the database hands over only the few neighbourhoods near the
    point, however many the city has; the exact test is then made on their boundaries.
    """

    # The boxes are read from the neighbourhoods' own table first (its indexes), so the database
    # does not walk every page of the language to find the few neighbourhoods near the point.
    near = (
        NeighborhoodPage.objects.filter(
            bbox_west__lte=longitude,
            bbox_east__gte=longitude,
            bbox_south__lte=latitude,
            bbox_north__gte=latitude,
        )
        .order_by()
        .values("pk")
    )
    return (
        public_pages(NeighborhoodPage.objects)
        .filter(pk__in=near, locale__language_code=language_code)
        .order_by("path")
        # What the exact test and the page's address need, nothing more.
        .only("id", "path", "depth", "url_path", "title", "slug", "locale_id", "live", "boundary")
    )


def find_neighborhood(longitude, latitude, language_code=None):
    """The neighbourhood whose boundary contains the point, in the reader's language, or None.

    A point on a border shared by two neighbourhoods goes to the first in the page tree. When the
    reader's language has no copy of the neighbourhood yet, the Spanish page is given.
    """
    language_code = language_code or get_supported_content_language_variant(translation.get_language())
    for code in dict.fromkeys([language_code, settings.LANGUAGE_CODE]):
        for page in candidates(longitude, latitude, code):
            if point_in_boundary(longitude, latitude, page.boundary):
                return page
    return None
