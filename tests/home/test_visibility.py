"""The one public rule (``home.visibility``), and the surfaces that ask it.

A Spanish section made private after its aliases and translations exist stays private in every
language: the rule itself, the API, the sitemap, the home page's lists and the search.
"""

import re

from wagtail.models import Locale, Page, PageViewRestriction

import pytest

from home.visibility import is_restricted, private_q, public_pages, restricted_paths
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_area():
    """A Spanish submunicipality with a neighbourhood and a news item, its aliases and an English
    translation, then made private (password) in Spanish only."""
    with factories.aliases_made():
        area = factories.submunicipality(title="Zona Reservada")
        barrio = factories.neighborhood(area, title="Barrio Reservado")
        news = factories.news(barrio, title="Noticia reservada")
        # Real English translations of the area, the neighbourhood and the news item (no aliases
        # above the news item, whose restrictions Wagtail would follow on its own).
        factories.translation(area, "en", title="Private area", slug="private-area")
        factories.translation(barrio, "en", title="Private neighbourhood", slug="private-neighbourhood")
        english = factories.translation(news, "en", title="Private news item", slug="private-news")
        open_area = factories.submunicipality(title="Zona Abierta")
    PageViewRestriction.objects.create(page=area, restriction_type=PageViewRestriction.PASSWORD, password="x")
    return {"area": area, "barrio": barrio, "news": news, "english": english, "open": open_area}


def versions(page):
    return Page.objects.filter(translation_key=page.translation_key)


def test_every_language_version_of_a_private_page_is_private(private_area):
    for name in ("area", "barrio", "news"):
        page = private_area[name]
        assert versions(page).count() == 5, "the page, its aliases and the English translation"
        assert not public_pages(versions(page)).exists(), name
    assert public_pages(versions(private_area["open"])).exists()


def test_the_rule_reads_the_restrictions_once(private_area, django_assert_num_queries):
    with django_assert_num_queries(2):  # the restrictions, then the pages (the keys are a subquery)
        ids = list(public_pages(Page.objects.all()).values_list("pk", flat=True))
    assert private_area["open"].pk in ids
    assert private_area["english"].pk not in ids


def test_without_private_sections_nothing_is_left_out_but_drafts():
    with factories.aliases_made():
        barrio = factories.neighborhood(title="Barrio Visible")
    draft = factories.news(barrio, title="Borrador")
    draft.unpublish()
    assert restricted_paths() == []
    assert not Page.objects.filter(private_q()).exists()
    assert public_pages(versions(barrio)).count() == 5
    assert not public_pages(Page.objects.filter(pk=draft.pk)).exists()


def test_rows_without_pages_use_the_same_paths(private_area):
    restricted = restricted_paths()
    assert is_restricted(private_area["barrio"].path, restricted)
    assert not is_restricted(private_area["open"].path, restricted)


def test_the_api_lists_and_shows_no_version_of_a_private_page(client, private_area):
    private_titles = {"Zona Reservada", "Barrio Reservado", "Noticia reservada", "Private news item", "Private area"}
    for language in ("es", "ay", "en"):
        listed = client.get(f"/api/v2/pages/?locale={language}&limit=20&fields=title").json()
        titles = {item["title"] for item in listed["items"]}
        assert listed["meta"]["total_count"] == len(titles), "everything on one page of results"
        assert "Zona Abierta" in titles, language
        assert not titles & private_titles, language
    for page in versions(private_area["news"]):
        assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    area_ids = versions(private_area["area"]).values_list("pk", flat=True)
    for pk in area_ids:
        assert client.get(f"/api/v2/pages/?child_of={pk}").status_code in (400, 404)


def test_the_sitemap_and_the_home_page_list_no_version_of_a_private_page(client, private_area):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "zona-abierta" in sitemap
    assert "zona-reservada" not in sitemap and "private-news" not in sitemap
    for prefix in ("/es/", "/ay/", "/en/"):
        home = client.get(prefix).content.decode()
        assert "Zona Abierta" in home, prefix
        assert "Zona Reservada" not in home and "Noticia reservada" not in home, prefix
        assert "Private news item" not in home, prefix


def test_the_search_finds_no_version_of_a_private_page(client, private_area):
    for prefix in ("/es/", "/ay/", "/en/"):
        results = client.get(f"{prefix}search/", {"q": "reservada"}).content.decode()
        assert "Noticia reservada" not in results and "Barrio Reservado" not in results, prefix
    english = client.get("/en/search/", {"q": "private"}).content.decode()
    assert "Private news item" not in english


def test_a_translation_of_a_private_page_is_served_behind_the_originals_password(client, private_area):
    english = private_area["english"]
    response = client.get(english.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Private news item" not in body
    assert 'name="password"' in body
    assert not english.get_view_restrictions().exists(), "nothing private in the English tree itself"
    action = re.search(r'action="([^"]+)"', body).group(1)
    assert client.post(action, {"password": "wrong", "return_url": english.url}).status_code == 200
    assert "Private news item" not in client.get(english.url).content.decode()
    form = client.post(action, {"password": "x", "return_url": english.url})
    assert form.status_code == 302
    assert "Private news item" in client.get(english.url).content.decode()


def test_a_translation_of_a_public_page_is_served_as_before(client):
    with factories.aliases_made():
        barrio = factories.neighborhood(title="Barrio Abierto")
        news = factories.news(barrio, title="Noticia abierta")
        english = factories.translation(news, "en", title="Open news item", slug="open-news")
    assert "Open news item" in client.get(english.url).content.decode()


def test_area_lists_feeds_and_maps_show_no_version_of_a_private_page(client, private_area):
    sub = private_area["open"]
    with factories.aliases_made():
        factories.neighborhood(sub, title="Barrio Vecino")
    for language in ("es", "ay", "en"):
        open_page = sub.get_translation(Locale.objects.get(language_code=language))
        home = open_page.get_parent()
        geojson = client.get(f"/{language}/mapa/{home.pk}/geojson/").content.decode()
        assert "Zona Abierta" in geojson, language
        assert "Zona Reservada" not in geojson, language
        for page in versions(private_area["area"]).filter(locale__language_code=language):
            assert client.get(f"/{language}/mapa/{page.pk}/geojson/").status_code == 404
            assert "Noticia reservada" not in client.get(f"{page.url}feed/rss/").content.decode()
