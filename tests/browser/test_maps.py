"""Maps in a real browser: the interactive map opens offline (no tiles) and a marker leads to its
work; without JavaScript the SVG map and the "find my neighbourhood" form do the same; with the
browser's location, "Use my location" opens the neighbourhood. axe checks the map pages with the
interactive map open. In the admin, an editor draws a boundary on the widget's map and saves it,
and a pasted boundary whose lines cross is refused with the reason.
"""

import json
import re
from decimal import Decimal

from wagtail.models import Page

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import BROWSER_TEST
from tests.browser.test_accessibility import axe_violations
from works.models import WorkStatus

pytestmark = BROWSER_TEST


def square(west, south, size):
    east, north = west + size, south + size
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


@pytest.fixture(scope="module")
def mapped(live_site, django_db_blocker):
    """A submunicipality with one neighbourhood and two works placed on its map (committed), deleted
    with their copies in the other languages when the module is done."""
    from types import SimpleNamespace

    with django_db_blocker.unblock():
        with factories.aliases_made():
            area = factories.submunicipality("Zona del Mapa", boundary=square(-68.15, -16.52, 0.03))
            barrio = factories.neighborhood(area, "Barrio del Mapa", boundary=square(-68.14, -16.51, 0.01))
            roads = factories.category("Vías del mapa", code="vias-del-mapa")
            building = factories.work(
                barrio,
                "Obra del mapa en curso",
                category=roads,
                status=WorkStatus.IN_PROGRESS,
                latitude=Decimal("-16.507"),
                longitude=Decimal("-68.137"),
            )
            planned = factories.work(
                barrio,
                "Obra del mapa planificada",
                category=roads,
                status=WorkStatus.PLANNED,
                progress=0,
                latitude=Decimal("-16.503"),
                longitude=Decimal("-68.133"),
            )
        yield SimpleNamespace(area=area, neighborhood=barrio, building=building, planned=planned)
        copies = Page.objects.filter(translation_key=area.translation_key).exclude(pk=area.pk)
        for page in copies:
            page.delete()
        Page.objects.get(pk=area.pk).delete()
        roads.delete()


def offline_tiles(page):
    """No tile server answers (as on a machine without internet, or with tiles blocked)."""
    page.route(re.compile(r"^https?://(?!localhost).*"), lambda route: route.abort())


def test_a_resident_opens_the_interactive_map_offline_and_clicks_a_marker(page, mapped):
    offline_tiles(page)
    page.goto(mapped.neighborhood.url)
    figure = page.locator("figure.map")
    expect(figure.locator("svg.map-svg")).to_be_visible()

    figure.locator("button.map-open").click()

    expect(figure.locator(".leaflet-container")).to_be_visible()
    expect(figure.locator("svg.map-svg")).to_be_hidden()
    # No tile loaded, and still the boundary and both works are drawn.
    expect(figure.locator(".leaflet-overlay-pane path.leaflet-interactive")).to_have_count(1)
    expect(figure.locator(".leaflet-marker-icon")).to_have_count(2)
    assert figure.locator(".leaflet-tile-loaded").count() == 0
    # The attribution from MAP_TILE_ATTRIBUTION is shown.
    expect(figure.locator(".leaflet-control-attribution")).to_contain_text("OpenStreetMap")

    figure.locator(".leaflet-marker-icon[title^='Obra del mapa en curso']").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(mapped.building.url)}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Obra del mapa en curso")


def test_the_interactive_map_can_be_closed_back_to_the_svg(page, mapped):
    offline_tiles(page)
    page.goto(mapped.area.url)
    button = page.locator("button.map-open")
    button.click()
    expect(page.locator(".leaflet-container")).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")

    button.click()

    expect(page.locator("svg.map-svg")).to_be_visible()
    expect(page.locator(".leaflet-container")).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")


def test_without_javascript_the_svg_map_links_to_the_works_and_the_form_finds_the_neighbourhood(new_page, mapped):
    page = new_page(java_script_enabled=False)
    page.goto(mapped.neighborhood.url)

    svg = page.locator("figure.map svg.map-svg")
    expect(svg).to_be_visible()
    expect(page.locator("button.map-open")).to_have_count(0)
    expect(svg.locator("a.map-marker")).to_have_count(2)
    svg.locator("a.map-marker--planned").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(mapped.planned.url)}$"))

    page.goto("/es/")
    form = page.locator("#map-find-form")
    form.locator("#map-find-lat").fill("-16.505")
    form.locator("#map-find-lon").fill("-68.135")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(mapped.neighborhood.url)}$"))


def test_use_my_location_opens_the_neighbourhood_i_am_in(new_page, mapped):
    page = new_page(geolocation={"latitude": -16.505, "longitude": -68.135}, permissions=["geolocation"])
    page.goto("/es/mapa/donde/")

    page.locator("button.map-locate").click()

    expect(page).to_have_url(re.compile(rf"{re.escape(mapped.neighborhood.url)}$"))


def test_a_click_on_the_city_map_fills_in_the_form(page, mapped):
    offline_tiles(page)
    page.goto("/es/")
    page.locator("button.map-open").click()
    container = page.locator(".leaflet-container")
    expect(container.locator(".leaflet-overlay-pane path.leaflet-interactive").first).to_be_visible()

    container.click(position={"x": 60, "y": 60})

    latitude = float(page.locator("#map-find-lat").input_value())
    longitude = float(page.locator("#map-find-lon").input_value())
    assert -16.6 < latitude < -16.4 and -68.3 < longitude < -67.9
    expect(page.locator("#map-find-form .map-find-status")).not_to_be_empty()


@pytest.mark.parametrize("opened", [False, True], ids=["svg", "interactive"])
def test_the_map_pages_pass_axe(new_page, mapped, axe_source, opened):
    page = new_page()
    offline_tiles(page)
    found = {}
    for url in ("/es/", mapped.area.url, mapped.neighborhood.url, "/es/mapa/donde/", "/es/mapa/donde/?lat=1&lon=1"):
        page.goto(url)
        if opened and page.locator("button.map-open").count():
            page.locator("button.map-open").click()
            expect(page.locator(".leaflet-container")).to_be_visible()
        violations = axe_violations(page, axe_source)
        if violations:
            found[url] = violations
    assert not found, json.dumps(found, indent=2, ensure_ascii=False)


# ---- the admin's boundary widget ------------------------------------------------------------------

EDITOR_PASSWORD = "pass-1234"  # noqa: S105 - a throw-away account of the test database


@pytest.fixture(scope="module")
def map_editor(live_site, django_db_blocker):
    """An administrator (committed, deleted when the module is done)."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser("editor-del-mapa", "mapa@example.org", EDITOR_PASSWORD)
        yield user
        user.delete()


def log_in(page, user):
    page.goto("/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", EDITOR_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def test_an_editor_draws_a_boundary_on_the_admin_map_and_a_crossing_one_is_refused(
    page, mapped, map_editor, django_db_blocker
):
    offline_tiles(page)
    log_in(page, map_editor)
    page.goto(f"/admin/pages/{mapped.neighborhood.pk}/edit/")
    widget = page.locator("[data-boundary-widget]")
    drawing = widget.locator(".boundary-draw-map")
    drawing.scroll_into_view_if_needed()
    expect(drawing.locator("path[fill-opacity='0.2']")).to_have_count(1)  # the boundary already saved
    status = widget.locator("[data-status]")
    textarea = page.locator(f"#{widget.get_attribute('data-textarea')}")

    widget.locator("[data-action=close]").click()  # too early: the editor is told to click corners
    expect(status).not_to_be_empty()
    assert json.loads(textarea.input_value()) == mapped.neighborhood.boundary

    for x, y in ((140, 100), (320, 110), (240, 260)):
        drawing.click(position={"x": x, "y": y})
    expect(status).to_contain_text("3")
    widget.locator("[data-action=close]").click()

    drawn = json.loads(textarea.input_value())
    ring = drawn["coordinates"][0]
    west, south, east, north = map(float, widget.get_attribute("data-city-bbox").split(","))
    assert drawn["type"] == "Polygon" and len(ring) == 4 and ring[0] == ring[-1]
    assert all(west <= lng <= east and south <= lat <= north for lng, lat in ring)
    assert len({tuple(point) for point in ring}) == 3
    save_draft(page)
    assert json.loads(textarea.input_value()) == drawn
    with django_db_blocker.unblock():
        assert latest_boundary(mapped.neighborhood) == drawn

    # A pasted boundary whose lines cross is refused with the reason, and the box keeps it.
    corners = [[-68.14, -16.51], [-68.12, -16.49], [-68.12, -16.51], [-68.14, -16.49], [-68.14, -16.51]]
    bow_tie = {"type": "Polygon", "coordinates": [corners]}
    textarea.fill(json.dumps(bow_tie))
    save_draft(page)
    expect(page.locator(".error-message").filter(has_text="[-68.12, -16.51]")).to_be_visible()  # where it crosses
    assert json.loads(textarea.input_value()) == bow_tie
    with django_db_blocker.unblock():
        assert latest_boundary(mapped.neighborhood) == drawn  # the draft before it is kept
        assert Page.objects.get(pk=mapped.neighborhood.pk).specific.boundary == mapped.neighborhood.boundary

    # A work's editor (date pickers, inline panels: the inline scripts of Wagtail's admin) works
    # under the admin's Content-Security-Policy: the page fixture fails on any refusal.
    page.goto(f"/admin/pages/{mapped.building.pk}/edit/")
    planned_start = page.locator("input[name=planned_start]")
    expect(planned_start).to_be_visible()
    planned_start.click()
    expect(page.locator(".xdsoft_datetimepicker:visible").first).to_be_visible()  # the date picker opened


def save_draft(page):
    with page.expect_navigation():
        page.locator("#page-edit-form button.action-save").first.click()  # "Save draft"


def latest_boundary(page):
    return Page.objects.get(pk=page.pk).specific.get_latest_revision_as_object().boundary
