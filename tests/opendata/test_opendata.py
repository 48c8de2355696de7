"""Open data downloads and the read-only API show published content only, with a licence and a date.

Every format is parsed as a reuser would parse it (the csv module, json, GeoJSON checked
structurally and against the editors' boundary validator), and the no-leak rule is tested with
a draft, a work with unpublished changes, a private page and an unpublished area.
"""

import csv
import io
import json
from decimal import Decimal

from django.http import StreamingHttpResponse

from wagtail.models import PageViewRestriction

import pytest

from neighborhoods.geo import validate_boundary
from tests import factories
from works.models import PublicWorkPage

pytestmark = pytest.mark.django_db

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def read_csv(client, url):
    response = get(client, url)
    return response, list(csv.DictReader(io.StringIO(body(response))))


def read_json(client, url):
    response = get(client, url)
    return response, json.loads(body(response))


def city(filename):
    return f"/es/datos/ciudad/{filename}"


def area_url(page, filename, lang="es"):
    scope = "barrio" if page.depth == 4 else "subalcaldia"
    return f"/{lang}/datos/{scope}/{page.pk}/{filename}"


@pytest.fixture
def place():
    """A submunicipality with two neighbourhoods, works and budget lines."""
    roads = factories.category("Vías", code="roads")
    area = factories.submunicipality("Cotahuma")
    sopocachi = factories.neighborhood(
        area,
        "Sopocachi",
        population=1000,
        council_name="Junta Vecinal de Sopocachi",
        council_contact="Juana Pérez",
        council_email="junta@sopocachi.bo",
        council_phone="2-2411111",
        boundary=factories.SQUARE,
    )
    other = factories.neighborhood(area, "Tembladerani", population=500)
    stairs = factories.work(
        sopocachi,
        "Graderías Ecuador",
        category=roads,
        contractor=factories.contractor("Constructora Illimani"),
        budget=Decimal("200000.00"),
        amount_executed=Decimal("50000.00"),
        latitude=Decimal("-16.510000"),
        longitude=Decimal("-68.125000"),
    )
    factories.budget_line(
        sopocachi,
        fiscal_year=2026,
        category=roads,
        amount_allocated=Decimal("300000.00"),
        amount_executed=Decimal("150000.00"),
        work=stairs,
        code="PRE-2026-0001",
        funding_source="IDH",
    )
    factories.budget_line(
        area,
        fiscal_year=2026,
        category=roads,
        amount_allocated=Decimal("100000.00"),
        amount_executed=Decimal("0"),
        code="PRE-2026-0002",
    )
    return {"area": area, "sopocachi": sopocachi, "other": other, "stairs": stairs, "roads": roads}


# -- Formats ------------------------------------------------------------------------------------


def test_works_csv_parses_with_one_row_per_published_work_and_states_its_licence(client, place):
    response, rows = read_csv(client, area_url(place["sopocachi"], "obras.csv"))

    assert response["Content-Type"].startswith("text/csv")
    assert [row["project_code"] for row in rows] == [place["stairs"].project_code]
    row = rows[0]
    assert row["title"] == "Graderías Ecuador"
    assert row["budget"] == "200000.00"
    assert row["execution_rate"] == "25.0"
    assert row["category_code"] == "roads"
    assert row["contractor"] == "Constructora Illimani"
    assert row["neighborhood"] == "Sopocachi"
    assert row["submunicipality"] == "Cotahuma"
    assert row["url"] == "http://testserver" + place["stairs"].url
    assert row["last_published_at"]
    # The licence: a Link header and X-License, and the sidecar metadata file is linked.
    assert f'<{LICENSE_URL}>; rel="license"' in response["Link"]
    assert 'rel="describedby"' in response["Link"] and "obras.csv-metadata.json" in response["Link"]
    assert response["X-License"] == f"CC BY 4.0 {LICENSE_URL}"
    assert response["X-Data-Updated"]


def test_the_csv_sidecar_is_csvw_metadata_with_licence_date_and_every_column(client, place):
    _response, rows = read_csv(client, area_url(place["sopocachi"], "obras.csv"))
    response, meta = read_json(client, area_url(place["sopocachi"], "obras.csv-metadata.json"))

    assert response["Content-Type"] == "application/csvm+json"
    assert meta["@context"] == "http://www.w3.org/ns/csvw"
    assert meta["url"].endswith(area_url(place["sopocachi"], "obras.csv"))
    assert meta["dc:license"] == {"@id": LICENSE_URL}
    assert meta["dc:modified"]
    assert [column["name"] for column in meta["tableSchema"]["columns"]] == list(rows[0])


def test_works_json_carries_licence_and_date_as_top_level_metadata(client, place):
    response, data = read_json(client, area_url(place["area"], "obras.json"))

    assert response["Content-Type"] == "application/json"
    assert data["license"] == {"name": "CC BY 4.0", "url": LICENSE_URL}
    place["stairs"].refresh_from_db()
    assert data["data_updated"] == place["stairs"].last_published_at.isoformat()
    assert data["generated_at"]
    assert data["area"] == {"scope": "subalcaldia", "id": place["area"].pk, "title": "Cotahuma"}
    (item,) = data["items"]
    assert item["budget"] == 200000.0
    assert item["latitude"] == -16.51
    assert item["status"] == "in_progress"


def test_works_geojson_is_a_feature_collection_of_longitude_latitude_points(client, place):
    factories.work(place["other"], latitude=None, longitude=None)  # no location: not on the map
    response, data = read_json(client, city("obras.geojson"))

    assert response["Content-Type"] == "application/geo+json"
    assert data["type"] == "FeatureCollection"
    assert data["license"]["url"] == LICENSE_URL and data["data_updated"]
    (feature,) = data["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "Point"
    lng, lat = feature["geometry"]["coordinates"]
    assert -180 <= lng <= 180 and -90 <= lat <= 90
    assert (lng, lat) == (-68.125, -16.51)
    assert feature["properties"]["project_code"] == place["stairs"].project_code


def check_polygon_features(data):
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        geometry = feature["geometry"]
        assert geometry["type"] in ("Polygon", "MultiPolygon")
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                assert ring[0] == ring[-1], "ring not closed"
                assert all(-180 <= lng <= 180 and -90 <= lat <= 90 for lng, lat in ring)
        validate_boundary(geometry)


def test_areas_geojson_gives_the_citys_submunicipalities_a_submunicipalitys_neighbourhoods_and_one_boundary(
    client, place
):
    _response, city_areas = read_json(client, city("areas.geojson"))
    check_polygon_features(city_areas)
    assert [f["properties"]["title"] for f in city_areas["features"]] == ["Cotahuma"]

    _response, neighbourhoods = read_json(client, area_url(place["area"], "areas.geojson"))
    assert [f["properties"]["title"] for f in neighbourhoods["features"]] == ["Sopocachi", "Tembladerani"]
    # A neighbourhood without a boundary is listed without a geometry (allowed by RFC 7946).
    assert neighbourhoods["features"][1]["geometry"] is None
    check_polygon_features({**neighbourhoods, "features": neighbourhoods["features"][:1]})

    _response, own = read_json(client, area_url(place["sopocachi"], "areas.geojson"))
    check_polygon_features(own)
    (feature,) = own["features"]
    assert feature["properties"]["population"] == 1000
    assert feature["properties"]["council_email"] == "junta@sopocachi.bo"
    assert own["license"]["name"] == "CC BY 4.0" and own["data_updated"]


def test_budget_lines_csv_and_json_give_amounts_areas_and_the_published_work(client, place):
    _response, rows = read_csv(client, area_url(place["area"], "presupuesto.csv"))
    assert [(row["code"], row["area_type"], row["area"]) for row in rows] == [
        ("PRE-2026-0002", "subalcaldia", "Cotahuma"),
        ("PRE-2026-0001", "barrio", "Sopocachi"),
    ]
    line = next(row for row in rows if row["code"] == "PRE-2026-0001")
    assert line["amount_allocated"] == "300000.00"
    assert line["execution_rate"] == "50.0"
    assert line["work_project_code"] == place["stairs"].project_code
    assert line["work_url"].endswith(place["stairs"].url)
    assert line["funding_source"] == "IDH"

    response, data = read_json(client, area_url(place["sopocachi"], "presupuesto.json"))
    assert data["license"]["url"] == LICENSE_URL and data["data_updated"]
    assert [item["code"] for item in data["items"]] == ["PRE-2026-0001"]
    assert response["X-License"].startswith("CC BY 4.0")


def test_budget_lines_can_be_filtered_by_year(client, place):
    factories.budget_line(place["sopocachi"], fiscal_year=2025, code="PRE-2025-0001")
    _response, rows = read_csv(client, city("presupuesto.csv?anio=2025"))
    assert [row["code"] for row in rows] == ["PRE-2025-0001"]


def test_city_exports_stream(client, place):
    for filename in (
        "obras.csv",
        "obras.json",
        "obras.geojson",
        "presupuesto.csv",
        "presupuesto.json",
        "areas.geojson",
    ):
        response = get(client, city(filename))
        assert isinstance(response, StreamingHttpResponse), filename
        assert body(response)


def test_a_translations_id_redirects_to_the_spanish_pages_data(client, place):
    from wagtail.models import Locale

    aymara = place["sopocachi"].copy_for_translation(
        Locale.objects.get(language_code="ay"), copy_parents=True, alias=True
    )
    response = client.get(area_url(aymara, "obras.csv", lang="ay"))
    assert response.status_code == 302
    assert response["Location"] == area_url(place["sopocachi"], "obras.csv", lang="ay")


def test_unknown_files_and_wrong_scopes_are_not_found(client, place):
    get(client, area_url(place["area"], "obras.xml"), status=404)
    get(client, f"/es/datos/barrio/{place['area'].pk}/obras.csv", status=404)  # a submunicipality is not a barrio
    get(client, "/es/datos/barrio/999999/obras.csv", status=404)


# -- Nothing unpublished leaks -------------------------------------------------------------------


def all_exports(client, place):
    """Every file of every scope, as text."""
    texts = []
    for filename in (
        "obras.csv",
        "obras.json",
        "obras.geojson",
        "presupuesto.csv",
        "presupuesto.json",
        "areas.geojson",
    ):
        texts.append(body(get(client, city(filename))))
        for page in (place["area"], place["sopocachi"], place["other"]):
            texts.append(body(get(client, area_url(page, filename))))
    return "\n".join(texts)


def test_a_draft_work_never_leaks(client, place):
    draft = PublicWorkPage(
        title="Obra en borrador secreta",
        project_code="OB-DRAFT-1",
        category=place["roads"],
        budget=Decimal("1"),
        latitude=Decimal("-16.5"),
        longitude=Decimal("-68.1"),
        live=False,
    )
    place["sopocachi"].add_child(instance=draft)
    draft.save_revision()
    factories.budget_line(place["sopocachi"], work=draft, code="PRE-DRAFT-LINK")

    text = all_exports(client, place)
    assert "Obra en borrador secreta" not in text
    assert "OB-DRAFT-1" not in text
    # The line is public, its link to the unpublished work is not.
    _response, rows = read_csv(client, area_url(place["sopocachi"], "presupuesto.csv"))
    line = next(row for row in rows if row["code"] == "PRE-DRAFT-LINK")
    assert line["work_id"] == "" and line["work_project_code"] == "" and line["work_url"] == ""


def test_a_work_with_unpublished_changes_is_exported_with_its_live_values(client, place):
    work = PublicWorkPage.objects.get(pk=place["stairs"].pk)
    work.title = "Título del borrador"
    work.budget = Decimal("999999.00")
    work.summary = "Resumen no publicado"
    work.save_revision()  # saved, not published

    text = all_exports(client, place)
    assert "Título del borrador" not in text and "Resumen no publicado" not in text and "999999" not in text
    _response, data = read_json(client, area_url(place["sopocachi"], "obras.json"))
    assert data["items"][0]["title"] == "Graderías Ecuador"
    assert data["items"][0]["budget"] == 200000.0


def test_a_private_work_and_a_private_neighbourhood_never_leak(client, place):
    secret = factories.work(place["sopocachi"], "Obra privada", project_code="OB-PRIVATE-1")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x")
    hidden = factories.neighborhood(place["area"], "Barrio privado")
    factories.work(hidden, "Obra del barrio privado", project_code="OB-PRIVATE-2")
    factories.budget_line(hidden, code="PRE-PRIVATE-AREA", description="Línea del barrio privado")
    factories.budget_line(place["sopocachi"], work=secret, code="PRE-PRIVATE-WORK")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)

    text = all_exports(client, place)
    for secret_text in (
        "Obra privada",
        "OB-PRIVATE-1",
        "Barrio privado",
        "OB-PRIVATE-2",
        "PRE-PRIVATE-AREA",
        "Línea del barrio privado",
    ):
        assert secret_text not in text, secret_text
    get(client, area_url(hidden, "obras.csv"), status=404)


def test_an_unpublished_area_its_works_and_its_lines_never_leak(client, place):
    closed = factories.neighborhood(place["area"], "Barrio despublicado")
    factories.work(closed, "Obra de barrio despublicado", project_code="OB-UNPUB-1")
    factories.budget_line(closed, code="PRE-UNPUB-1", description="Línea de barrio despublicado")
    closed.unpublish()
    closed_area = factories.submunicipality("Subalcaldía despublicada")
    inner = factories.neighborhood(closed_area, "Barrio de subalcaldía despublicada")
    factories.work(inner, "Obra de subalcaldía despublicada", project_code="OB-UNPUB-2")
    factories.budget_line(inner, code="PRE-UNPUB-2")
    closed_area.unpublish()

    text = all_exports(client, place)
    for secret_text in ("despublicad", "OB-UNPUB-1", "OB-UNPUB-2", "PRE-UNPUB-1", "PRE-UNPUB-2"):
        assert secret_text not in text, secret_text
    get(client, area_url(closed, "obras.csv"), status=404)
    get(client, area_url(inner, "presupuesto.csv"), status=404)


def test_no_personal_data_is_exported(client, place):
    from django.contrib.auth import get_user_model

    editor = factories.user("editora")
    work = PublicWorkPage.objects.get(pk=place["stairs"].pk)
    work.owner = editor
    work.save_revision(user=editor).publish()
    place["stairs"].contractor.tax_id = "1020304050"
    place["stairs"].contractor.email = "gerente@constructora.bo"
    place["stairs"].contractor.save()

    text = all_exports(client, place)
    assert "Juana Pérez" not in text  # the council's contact person
    assert "editora" not in text and "@example.org" not in text
    assert "1020304050" not in text and "gerente@constructora.bo" not in text
    assert get_user_model().objects.filter(username="editora").exists()


def test_the_reason_for_an_overrun_is_exported_only_when_the_budget_was_exceeded(client, place):
    within = factories.work(
        place["sopocachi"],
        overrun_note="Nota que la página no muestra",
        budget=Decimal("10"),
        amount_executed=Decimal("5"),
    )
    over = factories.work(
        place["sopocachi"],
        overrun_note="Aumentó el precio del cemento",
        budget=Decimal("10"),
        amount_executed=Decimal("12"),
    )
    _response, rows = read_csv(client, area_url(place["sopocachi"], "obras.csv"))
    notes = {row["id"]: row["overrun_note"] for row in rows}
    assert notes[str(within.pk)] == ""
    assert notes[str(over.pk)] == "Aumentó el precio del cemento"


# -- The pages link to the data ------------------------------------------------------------------


def test_area_pages_link_to_their_downloads_and_budget(client, place):
    html = get(client, place["sopocachi"].url).content.decode()
    assert area_url(place["sopocachi"], "obras.csv") in html
    assert area_url(place["sopocachi"], "areas.geojson") in html
    assert place["sopocachi"].url + "presupuesto/" in html
    html = get(client, place["area"].url).content.decode()
    assert area_url(place["area"], "presupuesto.json") in html
    html = get(client, factories.home_page().url).content.decode()
    assert city("obras.geojson") in html
    assert "/es/presupuesto/" in html


# -- The Wagtail API v2 --------------------------------------------------------------------------


def test_the_api_lists_live_pages_with_their_api_fields_and_hides_drafts_and_private_pages(client, place):
    draft = PublicWorkPage(
        title="Borrador de la API",
        project_code="OB-API-DRAFT",
        category=place["roads"],
        budget=Decimal("1"),
        live=False,
    )
    place["sopocachi"].add_child(instance=draft)
    secret = factories.work(place["sopocachi"], "Obra privada de la API")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)

    _response, listing = read_json(
        client, "/api/v2/pages/?type=works.PublicWorkPage&fields=budget,category_code,contractor_name&limit=20"
    )
    titles = [item["title"] for item in listing["items"]]
    assert "Graderías Ecuador" in titles
    assert "Borrador de la API" not in titles and "Obra privada de la API" not in titles
    item = next(item for item in listing["items"] if item["title"] == "Graderías Ecuador")
    assert Decimal(item["budget"]) == Decimal("200000.00")
    assert item["category_code"] == "roads"
    assert item["contractor_name"] == "Constructora Illimani"

    _response, detail = read_json(client, f"/api/v2/pages/{place['stairs'].pk}/")
    assert detail["project_code"] == place["stairs"].project_code
    assert "overrun_note" not in detail
    for hidden in (draft, secret):
        # The API answers 404; Django's LocaleMiddleware then tries the path under /es/, which 404s too.
        response = client.get(f"/api/v2/pages/{hidden.pk}/", follow=True)
        assert response.status_code == 404
        assert hidden.title not in response.content.decode()

    _response, neighbourhood = read_json(client, f"/api/v2/pages/{place['sopocachi'].pk}/")
    assert neighbourhood["population"] == 1000
    assert "council_contact" not in neighbourhood
    assert neighbourhood["boundary"]["type"] == "Polygon"


def test_the_api_is_read_only_and_has_images_and_documents(client, place):
    assert client.post("/api/v2/pages/", {}).status_code == 405
    get(client, "/api/v2/images/")
    get(client, "/api/v2/documents/")


def test_text_a_spreadsheet_would_run_is_written_inert_and_the_metadata_says_how(client, place):
    stairs = place["stairs"]
    stairs.title = '  =HYPERLINK("http://malo.example","clic")'
    stairs.summary = "-2+3"
    stairs.save_revision().publish()
    factories.budget_line(
        place["sopocachi"], fiscal_year=2026, category=place["roads"], code="PRE-2026-0003",
        description="@SUM(1+1)", amount_allocated=Decimal("10.00"),
    )  # fmt: skip
    _response, works = read_csv(client, area_url(place["sopocachi"], "obras.csv"))
    row = next(row for row in works if row["project_code"] == stairs.project_code)
    assert row["title"] == '\'  =HYPERLINK("http://malo.example","clic")'
    assert row["summary"] == "'-2+3"
    assert row["budget"] == "200000.00", "numbers are never quoted"
    _response, lines = read_csv(client, area_url(place["sopocachi"], "presupuesto.csv"))
    assert "'@SUM(1+1)" in {line["description"] for line in lines}
    _response, metadata = read_json(client, area_url(place["sopocachi"], "obras.csv-metadata.json"))
    assert "apostrophe" in metadata["rdfs:comment"]
    _response, data = read_json(client, area_url(place["sopocachi"], "obras.json"))
    assert next(item for item in data["items"] if item["project_code"] == stairs.project_code)["title"].startswith(
        "  =HYPERLINK"
    ), "JSON keeps the text as it is"
