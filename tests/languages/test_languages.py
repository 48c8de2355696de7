"""Five languages: the interface switches with the prefix, every page exists in every language
(a translation, or an alias of the Spanish page with a notice), the switcher and hreflang
alternates point to each language's own URL, and ``/`` goes to the reader's language."""

import html
import re

from django.core.management import call_command
from django.utils import translation

from wagtail.models import Page

import pytest

from home.models import HomePage
from languages.aliases import synchronize_all_locales
from tests import factories
from works.models import PublicWorkPage

pytestmark = pytest.mark.django_db

LANGUAGES = ["es", "ay", "qu", "gn", "en"]
NAMES = {"es": "Español", "ay": "Aymar aru", "qu": "Runasimi", "gn": "Avañe'ẽ", "en": "English"}


def get_html(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, url
    return response.content.decode()


def in_language(page, code):
    return type(page).objects.get(translation_key=page.translation_key, locale__language_code=code)


def switcher(markup):
    match = re.search(r'<nav class="language-switcher".*?</nav>', markup, re.S)
    assert match, "no language switcher"
    return match.group(0)


def switcher_links(markup):
    """{language code: href} of the switcher's links, checking each link's lang and hreflang."""
    links = {}
    for attributes, label in re.findall(r"<a ([^>]*)>([^<]*)</a>", switcher(markup)):
        href = re.search(r'href="([^"]*)"', attributes).group(1)
        lang = re.search(r'lang="([^"]*)"', attributes).group(1)
        assert f'hreflang="{lang}"' in attributes
        assert html.unescape(label) == NAMES[lang]
        links[lang] = html.unescape(href)
    return links


def alternates(markup):
    return {
        code: html.unescape(href)
        for code, href in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', markup)
    }


def work_in_five_languages():
    """A Spanish work translated into English; Aymara, Quechua and Guaraní have aliases of it."""
    with factories.aliases_made():
        work = factories.work(title="Pavimentación de la calle Sucre")
        english = factories.translation(work, "en", title="Paving of Sucre street", slug="paving-sucre-street")
    return work, english


# ---- the interface ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", LANGUAGES)
def test_each_prefix_serves_the_home_page_with_that_interface_language(client, code):
    response = client.get(f"/{code}/")

    assert response.status_code == 200
    assert response["Content-Language"] == code
    assert f'<html lang="{code}">' in response.content.decode()


def test_django_strings_are_translated_for_the_prefix(client):
    with translation.override("en"):
        english = translation.gettext("Page not found")
    with translation.override("es"):
        spanish = translation.gettext("Page not found")
    assert english != spanish

    assert f"<h1>{english}</h1>" in get_html(client, "/en/no-such-page/", status=404)
    assert f"<h1>{spanish}</h1>" in get_html(client, "/es/no-such-page/", status=404)


def test_every_page_kind_has_the_switcher_including_search_and_not_found(client):
    for url, status in [("/es/", 200), ("/es/search/?q=agua", 200), ("/es/no-such-page/", 404)]:
        markup = get_html(client, url, status=status)
        assert '<span lang="es" aria-current="true">Español</span>' in switcher(markup)
        assert set(switcher_links(markup)) == {"ay", "qu", "gn", "en"}
        assert set(alternates(markup)) == {*LANGUAGES, "x-default"}


def test_search_switcher_keeps_the_query(client):
    links = switcher_links(get_html(client, "/en/search/?q=agua"))

    assert links["qu"] == "/qu/search/?q=agua"
    assert links["es"] == "/es/search/?q=agua"


def test_not_found_switcher_links_to_each_languages_home(client):
    links = switcher_links(get_html(client, "/ay/no-such-page/", status=404))

    assert links == {"es": "/es/", "qu": "/qu/", "gn": "/gn/", "en": "/en/"}


# ---- every page in every language -------------------------------------------------------------


def test_a_fresh_database_has_an_alias_home_page_in_every_other_language():
    spanish = HomePage.objects.get(locale__language_code="es", depth=2)

    for code in ["ay", "qu", "gn", "en"]:
        home = HomePage.objects.get(locale__language_code=code, depth=2)
        assert home.alias_of_id == spanish.pk and home.live
    assert synchronize_all_locales() == 0  # nothing missing: nothing done


def test_pages_published_in_code_get_an_alias_in_each_other_language(client):
    with factories.aliases_made():
        work = factories.work(title="Alcantarillado de Villa Fátima")

    copies = Page.objects.filter(translation_key=work.translation_key)
    assert sorted(copies.values_list("locale__language_code", flat=True)) == sorted(LANGUAGES)
    for code in ["ay", "qu", "gn", "en"]:
        alias = in_language(work, code)
        assert alias.alias_of_id == work.pk and alias.live
        assert alias.url.startswith(f"/{code}/")
        assert "Alcantarillado de Villa Fátima" in get_html(client, alias.url)


def test_publishing_again_creates_no_second_alias_and_updates_the_aliases(client):
    with factories.aliases_made():
        work = factories.work(title="Muro de contención")
    with factories.aliases_made():
        work.title = "Muro de contención del río"
        work.save_revision().publish()

    assert Page.objects.filter(translation_key=work.translation_key).count() == len(LANGUAGES)
    assert in_language(work, "qu").title == "Muro de contención del río"


def test_synchronize_all_locales_restores_a_missing_alias():
    with factories.aliases_made():
        work = factories.work()
    in_language(work, "gn").delete()

    assert synchronize_all_locales() == 1
    assert in_language(work, "gn").alias_of_id == work.pk
    assert synchronize_all_locales() == 0


def test_a_locale_with_a_translation_gets_no_alias():
    work, english = work_in_five_languages()

    assert english.alias_of_id is None and english.live
    assert in_language(work, "en").pk == english.pk
    assert in_language(work, "ay").alias_of_id == work.pk


def test_menus_and_lists_in_another_language_show_the_same_pages_under_its_prefix(client):
    with factories.aliases_made():
        area = factories.submunicipality(title="Max Paredes")
        barrio = factories.neighborhood(area, title="Gran Poder")
        work = factories.work(barrio, title="Mercado de Gran Poder")

    home = get_html(client, "/ay/")
    assert f'<a href="{in_language(area, "ay").url}">Max Paredes</a>' in home
    assert in_language(area, "ay").url.startswith("/ay/")

    barrio_markup = get_html(client, in_language(barrio, "ay").url)
    aymara_work = in_language(work, "ay")
    assert aymara_work.url.startswith("/ay/")
    assert f'<a href="{aymara_work.url}">Mercado de Gran Poder</a>' in barrio_markup


def test_pages_of_the_demo_city_exist_in_every_language(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "demo-media"
    with factories.aliases_made():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    work = PublicWorkPage.objects.filter(locale__language_code="es").order_by("path").first()
    quechua = in_language(work, "qu")
    assert quechua.url.startswith("/qu/")
    assert work.title in get_html(client, quechua.url)
    spanish_pages = Page.objects.filter(locale__language_code="es", depth__gt=1).count()
    for code in ["ay", "qu", "gn", "en"]:
        assert Page.objects.filter(locale__language_code=code, depth__gt=1).count() == spanish_pages


# ---- the language switcher and hreflang alternates --------------------------------------------


def test_switcher_links_to_each_translations_own_url(client):
    work, english = work_in_five_languages()

    markup = get_html(client, work.url)
    links = switcher_links(markup)

    assert '<span lang="es" aria-current="true">Español</span>' in switcher(markup)
    assert links["en"] == english.url
    assert english.url.startswith("/en/") and english.url.endswith("/paving-sucre-street/")
    for code in ["ay", "qu", "gn"]:
        assert links[code] == in_language(work, code).url


def test_switcher_on_an_alias_marks_its_own_language_and_links_back_to_spanish(client):
    work, english = work_in_five_languages()

    markup = get_html(client, in_language(work, "gn").url)
    links = switcher_links(markup)

    assert '<span lang="gn" aria-current="true">Avañe&#x27;ẽ</span>' in switcher(markup)
    assert links["es"] == work.url
    assert links["en"] == english.url


def test_alternate_links_name_every_language_version_with_absolute_urls(client):
    work, english = work_in_five_languages()

    found = alternates(get_html(client, in_language(work, "qu").url))

    assert found["es"] == f"http://testserver{work.url}"
    assert found["en"] == f"http://testserver{english.url}"
    for code in ["ay", "qu", "gn"]:
        assert found[code] == f"http://testserver{in_language(work, code).url}"
    assert found["x-default"] == found["es"]


# ---- the notice on pages not yet translated ---------------------------------------------------


def test_an_alias_says_it_is_not_translated_and_links_the_spanish_original(client):
    work, _english = work_in_five_languages()

    markup = get_html(client, in_language(work, "qu").url)

    notice = re.search(r'<aside class="untranslated-notice".*?</aside>', markup, re.S).group(0)
    assert '<span lang="qu">Runasimi</span>' in notice
    assert f'<a href="{work.url}" hreflang="es">' in notice
    assert '<html lang="qu">' in markup
    assert '<div class="page-content" lang="es">' in markup


def test_the_notice_is_in_the_readers_interface_language(client):
    work, _english = work_in_five_languages()
    barrio = in_language(work.get_parent(), "en")  # English translates the work, not its neighbourhood
    assert barrio.alias_of_id is not None

    markup = get_html(client, barrio.url)

    assert 'This page has not been translated into <span lang="en">English</span> yet' in markup
    assert "Read the original in Spanish" in markup


def test_spanish_pages_and_real_translations_have_no_notice_and_no_content_language(client):
    work, english = work_in_five_languages()

    for url in (work.url, english.url):
        markup = get_html(client, url)
        assert "untranslated-notice" not in markup
        assert '<div class="page-content">' in markup


# ---- choosing the language ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("qu", "/qu/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("ay,es;q=0.5", "/ay/"),
        ("fr", "/es/"),
        (";;;q=abc,,", "/es/"),
        ("", "/es/"),
    ],
)
def test_the_root_redirects_to_the_best_language_from_accept_language(client, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})

    assert response.status_code == 302
    assert response["Location"] == expected


def test_reading_under_a_prefix_remembers_the_language_for_the_root(client):
    response = client.get("/ay/", headers={"accept-language": "es"})
    assert response.cookies["django_language"].value == "ay"

    later = client.get("/", headers={"accept-language": "es"})
    assert later["Location"] == "/ay/"


def test_the_cookie_is_set_only_when_it_changes_and_only_for_pages_served(client):
    client.cookies["django_language"] = "qu"

    assert "django_language" not in client.get("/qu/").cookies
    assert "django_language" not in client.get("/en/no-such-page/").cookies
    assert client.get("/en/").cookies["django_language"].value == "en"


def test_an_unknown_language_prefix_is_a_spanish_not_found_page(client):
    response = client.get("/xx/barrios/", follow=True)

    assert response.status_code == 404
    assert '<html lang="es">' in response.content.decode()
    with translation.override("es"):
        assert translation.gettext("Page not found") in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v2/pages/999999/", "/documents/999999/nada.pdf", "/static/no-existe.css"])
def test_a_missing_file_or_api_object_outside_the_language_prefix_is_a_plain_404(client, path):
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_missing_public_page_without_prefix_still_goes_to_the_spanish_site(client):
    response = client.get("/no-existe/")
    assert response.status_code == 302
    assert response["Location"] == "/es/no-existe/"


def test_interface_text_a_catalog_lacks_is_marked_as_the_spanish_it_is_shown_in(client):
    """Aymara's catalog is still empty: its readers see the header and notice in Spanish, marked so."""
    work, _english = work_in_five_languages()
    with translation.override("es"):
        skip, search = translation.gettext("Skip to main content"), translation.gettext("Search")

    aymara = get_html(client, in_language(work, "ay").url)
    english = get_html(client, in_language(work.get_parent(), "en").url)

    assert '<html lang="ay">' in aymara
    assert f'<span lang="es">{skip}</span>' in aymara
    assert f'<button type="submit"><span lang="es">{search}</span></button>' in aymara
    assert re.search(r'<aside class="untranslated-notice" role="note" lang="es">', aymara)
    # English has these strings: nothing is marked.
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in english
    assert re.search(r'<aside class="untranslated-notice" role="note" lang="en">', english)
    assert '<span lang="es">' not in english.split('<main id="main"')[0]
