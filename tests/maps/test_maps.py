"""Maps: the server's SVG maps on the three place pages, their GeoJSON for the interactive map,
point-in-polygon and "find my neighbourhood" (without JavaScript), and the boundary checks an
editor meets in the admin.
"""

import json
import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Locale, PageViewRestriction

import pytest

from maps.place_maps import build_map, candidates, find_neighborhood
from neighborhoods.geo import bounding_box, point_in_boundary
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
from tests import factories
from works.models import WorkStatus

pytestmark = pytest.mark.django_db


def square(west, south, size=0.01):
    """A closed square ring, longitude first."""
    east, north = west + size, south + size
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(ring) for ring in rings]}


# Two neighbourhoods side by side sharing the border at longitude -68.13; the western one has a
# hole; a third is a MultiPolygon of two separate squares.
WEST = polygon(square(-68.14, -16.51), square(-68.137, -16.507, 0.004))
EAST = polygon(square(-68.13, -16.51))
SPLIT = {"type": "MultiPolygon", "coordinates": [[square(-68.11, -16.51)], [square(-68.09, -16.51)]]}


def on_the_map(title):
    """The accessible name of an outline's link in the Spanish map (apart from the list's link)."""
    with translation.override("es"):
        return translation.gettext("%(title)s (on the map)") % {"title": title}


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def city():
    area = factories.submunicipality("Centro", boundary=polygon(square(-68.15, -16.52, 0.07)))
    west = factories.neighborhood(area, "Sopocachi", boundary=WEST)
    east = factories.neighborhood(area, "San Pedro", boundary=EAST)
    split = factories.neighborhood(area, "Miraflores", boundary=SPLIT)
    return area, west, east, split


# --- The SVG maps ------------------------------------------------------------------------------


def test_the_home_page_map_outlines_each_submunicipality_with_a_link(client, city):
    area = city[0]
    other = factories.submunicipality("Sur", boundary=polygon(square(-68.10, -16.56, 0.03)))

    markup = html(client, "/es/")

    assert '<figure class="map map--city"' in markup
    assert re.search(r'<svg class="map-svg" viewBox="[-\d. ]+" role="group" aria-labelledby="map-title"', markup)
    assert '<title id="map-title">' in markup and "<figcaption" in markup
    for page in (area, other):
        assert (
            f'<a href="{page.url}" class="map-area" aria-label="{on_the_map(page.title)}"><title>{page.title}</title><path d="M'
            in markup
        )
    # The city map offers "find my neighbourhood" as a plain form.
    assert '<form class="map-find" id="map-find-form" method="get" action="/es/mapa/donde/"' in markup
    assert f'data-geojson-url="/es/mapa/{factories.home_page().pk}/geojson/"' in markup


def test_the_submunicipality_map_draws_its_outline_and_links_its_neighbourhoods(client, city):
    area, west, east, split = city

    markup = html(client, area.url)

    assert '<figure class="map map--submunicipality"' in markup
    assert markup.count('<path class="map-area map-area--current"') == 1
    for barrio in (west, east, split):
        assert f'<a href="{barrio.url}" class="map-area" aria-label="{on_the_map(barrio.title)}">' in markup
    # Holes and MultiPolygons: one subpath per ring.
    west_path = re.search(rf'<a href="{west.url}"[^>]*><title>[^<]*</title><path d="([^"]+)"', markup).group(1)
    split_path = re.search(rf'<a href="{split.url}"[^>]*><title>[^<]*</title><path d="([^"]+)"', markup).group(1)
    assert west_path.count("M") == 2 and split_path.count("M") == 2


def test_the_neighbourhood_map_marks_each_work_by_status_with_a_link_and_a_legend(client, city):
    barrio = city[2]
    planned = factories.work(
        barrio,
        "Plaza",
        status=WorkStatus.PLANNED,
        progress=0,
        latitude=Decimal("-16.505"),
        longitude=Decimal("-68.125"),
    )
    building = factories.work(
        barrio,
        "Alcantarillado",
        status=WorkStatus.IN_PROGRESS,
        latitude=Decimal("-16.502"),
        longitude=Decimal("-68.122"),
    )
    unplaced = factories.work(
        barrio, "Gradas", status=WorkStatus.COMPLETED, progress=100, latitude=None, longitude=None
    )

    markup = html(client, barrio.url)

    with translation.override("es"):
        planned_label, building_label = str(WorkStatus.PLANNED.label), str(WorkStatus.IN_PROGRESS.label)
    assert '<figure class="map map--neighborhood"' in markup
    assert (
        f'<a href="{planned.url}" class="map-marker map-marker--planned" aria-label="Plaza ({planned_label})">'
        in markup
    )
    assert f'<a href="{building.url}" class="map-marker map-marker--in_progress"' in markup
    assert '<use href="#map-m-in_progress"' in markup
    assert f'href="{unplaced.url}" class="map-marker' not in markup
    # The legend names each status on the map with its count, beside its shape (not colour alone).
    legend = markup[markup.index('<ul class="map-legend">') :]
    legend = legend[: legend.index("</ul>")]
    assert f"{planned_label} (1)" in legend and f"{building_label} (1)" in legend
    assert 'class="map-marker map-marker--planned" d="M' in legend
    assert "completed" not in legend
    # The work without a location is listed, and the caption says it is not on the map.
    assert "Gradas" in markup
    assert markup.count('class="card work-card"') == 3
    with translation.override("es"):
        note = translation.ngettext(
            "One work has no location yet and is not on the map.",
            "%(counter)s works have no location yet and are not on the map.",
            1,
        )
    assert f'<p class="meta">{note}</p>' in markup[markup.index("<figcaption") :]


def test_markers_are_placed_north_up_and_east_right():
    class Work:
        def __init__(self, title, lat, lng):
            self.title, self.latitude, self.longitude, self.status = title, lat, lng, WorkStatus.PLANNED
            self.url = f"/{title}/"

        def get_url(self, request=None):
            return self.url

    place = build_map("neighborhood", None, works=[Work("sw", -16.52, -68.15), Work("ne", -16.50, -68.13)])

    south_west, north_east = place.markers
    assert float(south_west.x) < float(north_east.x)
    assert float(south_west.y) > float(north_east.y)
    # The box is 0.02° by 0.02°: at this latitude a degree of longitude is shorter (cos 16.5°).
    assert place.height == 600 and place.width == pytest.approx(600 * 0.9588, abs=0.5)


def test_a_page_with_nothing_to_draw_has_no_map(client):
    barrio = factories.neighborhood()  # no boundary
    factories.work(barrio, latitude=None, longitude=None)

    assert 'class="map map--' not in html(client, barrio.url)


def test_the_map_uses_the_reader_language_links(client):
    with factories.aliases_made():
        area = factories.submunicipality("Centro")
        barrio = factories.neighborhood(area, "Sopocachi", boundary=EAST)
    english = barrio.get_translation(Locale.objects.get(language_code="en"))

    markup = html(client, area.get_translation(Locale.objects.get(language_code="en")).url)

    assert english.url.startswith("/en/")
    assert f'<a href="{english.url}" class="map-area"' in markup


# --- The GeoJSON for the interactive map -----------------------------------------------------


def features(client, page_id, status=200):
    response = client.get(f"/es/mapa/{page_id}/geojson/")
    assert response.status_code == status
    if status != 200:
        return None
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)["features"]


def test_the_geojson_of_a_neighbourhood_has_its_outline_and_only_its_published_public_works(client, city):
    barrio = city[3]
    shown = factories.work(barrio, "Visible")
    draft = factories.work(barrio, "Borrador")
    draft.unpublish()
    private = factories.work(barrio, "Privada")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")

    found = features(client, barrio.pk)

    outline = [f for f in found if f["geometry"]["type"] != "Point"]
    points = [f for f in found if f["geometry"]["type"] == "Point"]
    assert outline == [
        {"type": "Feature", "geometry": SPLIT, "properties": {"title": "Miraflores", "url": "", "current": True}}
    ]
    assert [p["properties"]["title"] for p in points] == ["Visible"]
    assert points[0]["properties"]["url"] == shown.url
    assert points[0]["properties"]["status"] == "in_progress"
    assert points[0]["geometry"]["coordinates"] == [-68.13, -16.5]


def test_the_geojson_of_a_submunicipality_leaves_out_draft_and_private_neighbourhoods(client, city):
    area, west, east, split = city
    east.unpublish()
    PageViewRestriction.objects.create(page=split, restriction_type=PageViewRestriction.PASSWORD, password="x")

    found = features(client, area.pk)

    assert [(f["properties"]["title"], f["properties"]["current"]) for f in found] == [
        ("Centro", True),
        ("Sopocachi", False),
    ]
    assert found[1]["properties"]["url"] == west.url


def test_the_geojson_of_draft_private_or_other_pages_is_not_found(client, city):
    area, west, east, split = city
    work = factories.work(west)
    east.unpublish()
    PageViewRestriction.objects.create(page=split, restriction_type=PageViewRestriction.PASSWORD, password="x")

    for page_id in (east.pk, split.pk, work.pk, 999_999):
        features(client, page_id, status=404)
    assert [f["properties"]["title"] for f in features(client, factories.home_page().pk)] == ["Centro"]


# --- Point in polygon --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("longitude", "latitude", "boundary", "inside"),
    [
        (-68.139, -16.509, WEST, True),  # inside, away from the hole
        (-68.135, -16.505, WEST, False),  # in the hole
        (-68.137, -16.505, WEST, True),  # on the hole's edge: the edge belongs to the area
        (-68.14, -16.505, WEST, True),  # on the outline
        (-68.14, -16.51, WEST, True),  # on a corner
        (-68.1405, -16.505, WEST, False),  # just outside
        (-68.13, -16.505, EAST, True),  # on the shared border: in both
        (-68.13, -16.505, WEST, True),
        (-68.105, -16.505, SPLIT, True),  # first part of the MultiPolygon
        (-68.085, -16.505, SPLIT, True),  # second part
        (-68.095, -16.505, SPLIT, False),  # between the parts
        (-68.0, -16.0, SPLIT, False),  # far away
        (-68.125, -16.505, None, False),  # no boundary
    ],
)
def test_point_in_boundary(longitude, latitude, boundary, inside):
    assert point_in_boundary(longitude, latitude, boundary) is inside


def test_a_concave_outline_leaves_out_its_notch():
    notched = polygon(
        [[-68.14, -16.51], [-68.12, -16.51], [-68.12, -16.49], [-68.13, -16.50], [-68.14, -16.49], [-68.14, -16.51]]
    )
    assert point_in_boundary(-68.135, -16.505, notched)
    assert not point_in_boundary(-68.13, -16.495, notched)  # in the notch, below the top edge's ends


def test_saving_a_boundary_stores_its_bounding_box(city):
    area, west, east, split = city
    stored = NeighborhoodPage.objects.get(pk=split.pk)
    assert (stored.bbox_west, stored.bbox_south, stored.bbox_east, stored.bbox_north) == pytest.approx(
        (-68.11, -16.51, -68.08, -16.50)
    )
    assert bounding_box(SPLIT) == pytest.approx((-68.11, -16.51, -68.08, -16.50))

    split.boundary = EAST
    split.save_revision().publish()
    stored = NeighborhoodPage.objects.get(pk=split.pk)
    assert (stored.bbox_west, stored.bbox_east) == pytest.approx((-68.14 + 0.01, -68.12))

    split.boundary = None
    split.save()
    assert NeighborhoodPage.objects.get(pk=split.pk).bbox_west is None


def test_the_database_hands_over_only_neighbourhoods_whose_box_holds_the_point(city):
    area, west, east, split = city
    near = candidates(-68.105, -16.505, "es")

    assert list(near) == [split.specific]
    assert "bbox_west" in str(near.query)
    assert list(candidates(-68.13, -16.505, "es")) == [west.specific, east.specific]
    assert list(candidates(-67.5, -16.505, "es")) == []
    assert list(candidates(-68.105, -16.505, "ay")) == []  # no Aymara copies were made


# --- Find my neighbourhood ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        ("-16.509", "-68.139", "Sopocachi"),
        ("-16,505", "-68,125", "San Pedro"),  # a decimal comma
        ("-16.505", "-68.085", "Miraflores"),  # the MultiPolygon's second part
        ("-16.505", "-68.13", "Sopocachi"),  # the shared border: the first in the page tree
    ],
)
def test_find_my_neighbourhood_goes_to_the_neighbourhood_holding_the_point(client, city, lat, lon, expected):
    response = client.get("/es/mapa/donde/", {"lat": lat, "lon": lon})

    assert response.status_code == 302
    assert response["Location"] == NeighborhoodPage.objects.get(title=expected).url


def test_find_my_neighbourhood_answers_in_the_reader_language(client):
    with factories.aliases_made():
        barrio = factories.neighborhood(factories.submunicipality(), "San Pedro", boundary=EAST)
    aymara = barrio.get_translation(Locale.objects.get(language_code="ay"))

    response = client.get("/ay/mapa/donde/", {"lat": "-16.505", "lon": "-68.125"})

    assert response.status_code == 302
    assert response["Location"] == aymara.url and aymara.url.startswith("/ay/")


def test_a_point_in_no_neighbourhood_gets_a_message_with_links_to_the_list_and_to_search(client, city):
    for lat, lon in (("-16.505", "-68.135"), ("-16.40", "-68.00")):  # in a hole; outside every boundary
        response = client.get("/es/mapa/donde/", {"lat": lat, "lon": lon})
        assert response.status_code == 404
        markup = response.content.decode()
        assert 'id="map-find-result"' in markup
        assert f"{lat}" in markup and f"{lon}" in markup
        assert '<a href="/es/">' in markup and '<a href="/es/search/">' in markup
        assert f'name="lat" value="{lat}"' in markup  # the form keeps the point to correct it


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        ("abc", "-68.1"),
        ("-16.5", ""),
        ("", "-68.1"),
        ("nan", "-68.1"),
        ("-16.5", "inf"),
        ("-95", "-68.1"),
        ("1e309", "0"),
    ],
)
def test_a_bad_point_gets_the_form_back_with_what_is_wrong(client, lat, lon):
    response = client.get("/es/mapa/donde/", {"lat": lat, "lon": lon})

    assert response.status_code == 400
    markup = response.content.decode()
    assert '<p class="error" id="map-find-error">' in markup
    assert 'aria-invalid="true"' in markup


def test_the_find_form_works_without_javascript(client):
    markup = html(client, "/es/mapa/donde/")

    assert '<form class="map-find" id="map-find-form" method="get" action="/es/mapa/donde/"' in markup
    assert (
        '<label for="map-find-lat">' in markup
        and '<input type="text" inputmode="decimal" id="map-find-lat" name="lat"' in markup
    )
    assert '<label for="map-find-lon">' in markup and 'id="map-find-lon" name="lon"' in markup
    assert '<button type="submit">' in markup
    assert '<meta name="robots" content="noindex">' in markup


def test_finding_among_500_neighbourhoods_takes_a_fixed_few_queries(client, django_assert_max_num_queries):
    """A 25 × 20 grid of square neighbourhoods with gaps between them; lookups at many points."""
    area = factories.submunicipality("Grande")
    size, step = 0.008, 0.01
    with factories.without_search_index_updates():
        for row in range(20):
            for column in range(25):
                west, south = -68.28 + column * step, -16.68 + row * step
                area.add_child(
                    instance=NeighborhoodPage(
                        title=f"Barrio {row:02d}-{column:02d}",
                        slug=f"b-{row}-{column}",
                        boundary=polygon(square(west, south, size)),
                    )
                )
    assert NeighborhoodPage.objects.count() == 500

    # In the reader's language: the box query and Wagtail's view-restriction lookup.
    with django_assert_max_num_queries(2):
        found = find_neighborhood(-68.28 + 17 * step + 0.004, -16.68 + 13 * step + 0.002)
    assert found.title == "Barrio 13-17"
    # Corners, edges, gaps and far away.
    assert find_neighborhood(-68.28 + 24 * step, -16.68 + 19 * step).title == "Barrio 19-24"
    assert find_neighborhood(-68.28 + 3 * step + size, -16.68 + 5 * step + size / 2).title == "Barrio 05-03"
    assert find_neighborhood(-68.28 + 3 * step + 0.009, -16.68 + 5 * step + 0.004) is None  # in a gap
    assert find_neighborhood(-68.0, -16.0) is None

    target = NeighborhoodPage.objects.get(title="Barrio 07-11")
    client.get("/es/mapa/donde/", {"lat": -16.68 + 7 * step + 0.004, "lon": -68.28 + 11 * step + 0.004})
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/es/mapa/donde/", {"lat": -16.68 + 7 * step + 0.004, "lon": -68.28 + 11 * step + 0.004})
    assert response["Location"] == target.url
    assert len(queries.captured_queries) <= 5, [q["sql"] for q in queries.captured_queries]


# --- Boundaries in the admin ---------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    from wagtail.users.models import UserProfile

    admin = factories.user("admin", superuser=True)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin)
    return client


def area_form(area, boundary):
    return {
        "title": area.title,
        "slug": area.slug,
        "summary": "",
        "office_address": "",
        "opening_hours": "",
        "phone": "",
        "email": "",
        "image": "",
        "boundary": json.dumps(boundary) if not isinstance(boundary, str) else boundary,
    }


CROSSING = polygon([[-68.14, -16.51], [-68.12, -16.49], [-68.12, -16.51], [-68.14, -16.49], [-68.14, -16.51]])
HOLE_ACROSS = polygon(square(-68.14, -16.51, 0.02), square(-68.13, -16.50, 0.02))


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        (CROSSING, "The boundary crosses itself near"),
        (HOLE_ACROSS, "The boundary crosses itself near"),
        (polygon(square(-68.14, -16.51)[:4]), "The polygon is not closed"),
        (polygon(square(-68.14, -16.51)[:3]), "at least four positions"),
        (
            polygon([[-68.14, -16.51], [-68.12, -16.51], [-68.12, -16.51], [-68.14, -16.51]]),
            "at least three different positions",
        ),
        (polygon(square(-70.14, -16.51)), "is outside the city's area"),
        (polygon([[p[1], p[0]] for p in square(-68.14, -16.51)]), "is outside the city's area"),  # latitude first
        (
            {"type": "LineString", "coordinates": square(-68.14, -16.51)},
            "GeoJSON Polygon or MultiPolygon, not LineString",
        ),
        ('{"type": "Polygon", "coordinates": [[[', "JSON"),  # Django's own message
    ],
)
def test_the_admin_refuses_each_invalid_geometry_on_the_boundary_field(admin_client, boundary, message):
    area = factories.submunicipality()
    revisions = area.revisions.count()

    response = admin_client.post(f"/admin/pages/{area.pk}/edit/", area_form(area, boundary))

    assert response.status_code == 200
    errors = response.context["form"].errors["boundary"]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    stored = SubmunicipalityPage.objects.get(pk=area.pk)
    assert stored.revisions.count() == revisions and stored.boundary == factories.SQUARE


def test_the_admin_saves_a_drawn_boundary_and_its_box(admin_client):
    area = factories.submunicipality()
    drawn = polygon([[-68.141, -16.511], [-68.121, -16.512], [-68.125, -16.49], [-68.141, -16.511]])

    response = admin_client.post(
        f"/admin/pages/{area.pk}/edit/", {**area_form(area, drawn), "action-publish": "action-publish"}
    )

    assert response.status_code == 302
    stored = SubmunicipalityPage.objects.get(pk=area.pk)
    assert stored.boundary == drawn
    assert (stored.bbox_west, stored.bbox_south, stored.bbox_east, stored.bbox_north) == pytest.approx(
        (-68.141, -16.512, -68.121, -16.49)
    )


def test_the_boundary_field_has_a_text_box_and_the_drawing_map(admin_client):
    barrio = factories.neighborhood(boundary=EAST)

    markup = html(admin_client, f"/admin/pages/{barrio.pk}/edit/")

    assert re.search(r'<textarea name="boundary"[^>]*>', markup)
    assert "data-boundary-widget" in markup and 'data-city-bbox="-68.3,-16.7,-67.9,-16.3"' in markup
    assert "/static/vendor/leaflet/leaflet.js" in markup and "/static/js/boundary-widget.js" in markup
    assert "Close polygon" in markup


def test_a_neighbourhood_not_yet_copied_into_the_reader_language_is_given_in_spanish(client, city):
    response = client.get("/ay/mapa/donde/", {"lat": "-16.505", "lon": "-68.125"})

    assert response.status_code == 302
    assert response["Location"] == city[2].url and city[2].url.startswith("/es/")


def circle(corners, radius=0.02, center=(-68.13, -16.5)):
    import math

    ring = [
        [
            center[0] + radius * math.cos(2 * math.pi * i / corners),
            center[1] + radius * math.sin(2 * math.pi * i / corners),
        ]
        for i in range(corners)
    ]
    return [*ring, ring[0]]


def test_a_long_outline_is_checked_for_crossings_without_false_alarms():
    from django.core.exceptions import ValidationError

    from neighborhoods.geo import validate_boundary

    ring = circle(3000)
    validate_boundary(polygon(ring))  # a fine, round outline: no crossing

    ring[1500], ring[1501] = ring[1501], ring[1500]  # two corners swapped: the outline crosses itself
    with translation.override("en"), pytest.raises(ValidationError, match="crosses itself"):
        validate_boundary(polygon(ring))


def test_a_malformed_boundary_stored_without_the_admin_checks_is_left_off_the_map(client, city):
    area, west, east, split = city
    NeighborhoodPage.objects.filter(pk=east.pk).update(boundary={"type": "Polygon", "coordinates": [[["x"]]]})
    NeighborhoodPage.objects.filter(pk=split.pk).update(boundary=[1, 2])

    markup = html(client, area.url)

    assert f'<a href="{west.url}" class="map-area"' in markup
    assert (
        f'<a href="{east.url}" class="map-area"' not in markup
        and f'<a href="{split.url}" class="map-area"' not in markup
    )
    assert [f["properties"]["title"] for f in features(client, area.pk)] == ["Centro", "Sopocachi"]
