"""Search in the reader's language: results come from the reader's language tree, which includes
the Spanish pages not yet translated (their aliases, under the reader's prefix); on PostgreSQL
each text is stemmed in its own language (``search/backend.py``)."""

import io
import re

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

import pytest

from search.backend import (
    TITLE_LENGTH_CACHE_KEY,
    LanguageAwareSearchBackend,
    config_for_language,
    content_languages,
    reader_configs,
)
from tests import factories
from works.models import Contractor

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text-search configurations")


def result_links(client, url):
    """The (href, title) of each result on a search page."""
    response = client.get(url)
    assert response.status_code == 200, url
    markup = re.sub(r"</?mark>", "", response.content.decode())  # matched words are highlighted
    return re.findall(r'<h3(?: lang="[a-z]+")?><a href="([^"]+)">([^<]+)</a></h3>', markup)


def result_urls(client, url):
    return [href for href, _title in result_links(client, url)]


def in_language(page, code):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code=code)


# ---- which configuration for which language (any database) ------------------------------------


def test_languages_postgresql_can_stem_get_their_configuration_and_the_others_simple():
    assert config_for_language("es") == "spanish"
    assert config_for_language("en") == "english"
    assert config_for_language("en-gb") == "english"
    for code in ["ay", "qu", "gn", "", None]:
        assert config_for_language(code) == "simple"


def test_readers_search_in_their_language_and_in_spanish():
    assert reader_configs("es") == ("spanish",)
    assert reader_configs("en") == ("english", "spanish")
    for code in ["ay", "qu", "gn"]:
        assert reader_configs(code) == ("simple", "spanish")
    with translation.override("qu"):
        assert reader_configs() == ("simple", "spanish")


def test_content_is_in_the_language_it_is_written_in_not_the_tree_it_is_in():
    with factories.aliases_made():
        work = factories.work(title="Canalización en Achumani")
        english = factories.translation(work, "en", title="Drainage in Achumani", slug="drainage-achumani")
        aymara = factories.translation(work, "ay", title="Achumani uma jalsu", slug="achumani-uma")
    quechua_alias = in_language(work, "qu")
    assert quechua_alias.alias_of_id == work.pk
    budget = factories.budget_line(work.get_parent().specific)  # no locale: written in Spanish
    builder = Contractor.objects.create(name="Qhapaq Ñan SRL", locale=Locale.objects.get(language_code="gn"))

    assert content_languages([work, english, aymara, quechua_alias, budget, builder]) == [
        "es", "en", "ay", "es", "es", "gn",
    ]  # fmt: skip


def test_an_alias_of_an_alias_is_written_in_the_language_of_the_page_at_the_end():
    with factories.aliases_made():
        work = factories.work(title="Puente peatonal")
    english_alias = in_language(work, "en")
    # An alias made from the English alias (as a chain es → en → ay would make) shows Spanish.
    in_language(work, "ay").delete()
    chained = english_alias.copy_for_translation(Locale.objects.get(language_code="ay"), alias=True)

    assert chained.alias_of_id == english_alias.pk
    assert content_languages([chained]) == ["es"]


def test_the_postgresql_database_gets_the_language_aware_backend():
    backend = get_search_backend()
    assert isinstance(backend, LanguageAwareSearchBackend) == (connection.vendor == "postgresql")


# ---- the search page in each language (any database) ------------------------------------------


def test_a_spanish_reader_finds_a_spanish_page(client):
    work = factories.work(title="Canalización del río Orkojahuira")

    assert result_urls(client, "/es/search/?q=Orkojahuira") == [work.url]


def test_an_aymara_reader_finds_the_alias_of_a_spanish_page_under_ay(client):
    with factories.aliases_made():
        work = factories.work(title="Canalización del río Orkojahuira")
    alias = in_language(work, "ay")

    links = result_links(client, "/ay/search/?q=Orkojahuira")

    assert links == [(alias.url, "Canalización del río Orkojahuira")]
    assert alias.url.startswith("/ay/") and alias.alias_of_id == work.pk
    assert work.url not in [href for href, _title in links]


def test_an_english_reader_finds_the_english_translation_not_the_spanish_source(client):
    with factories.aliases_made():
        work = factories.work(title="Pavimentación de la calle Sucre")
        english = factories.translation(
            work, "en", title="Paving of Sucre street", slug="paving-sucre-street", summary="Cobbled roadway"
        )

    assert result_urls(client, "/en/search/?q=Paving") == [english.url]
    assert result_urls(client, "/en/search/?q=Pavimentación") == []
    assert result_urls(client, "/es/search/?q=Paving") == []


def test_the_query_stays_in_the_box_and_pages_of_results_follow_it(client):
    for n in range(12):
        factories.work(title=f"Mantenimiento de plazas {n}")

    first = client.get("/es/search/?q=Mantenimiento").content.decode()
    second = client.get("/es/search/?q=Mantenimiento&page=2").content.decode()

    assert 'value="Mantenimiento"' in first
    assert first.count("<h3>") == 10 and second.count("<h3>") == 2
    assert 'href="?q=Mantenimiento&amp;page=2"' in first


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "agua" * 2500},
        {"q": "obra\x00de\x07agua"},
        {"q": "🚧 ñandú ẽ Avañe'ẽ ǂ 漢字 \u200b\u202e"},
        {"q": "' \" \\ & | ! :* ( ) <-> -"},
        {"q": '"'},
        {"q": 'agua "potable'},
        {"q": "-"},
        {"q": "agua", "page": "-1"},
        {"q": "agua", "page": "abc"},
        {"q": "agua", "page": "99999999999999999999"},
        {"page": "2"},
    ],
    ids=lambda params: repr(params)[:40],
)
def test_odd_input_gets_a_normal_search_page(client, params):
    factories.work(title="Agua potable para Achumani")

    response = client.get("/ay/search/", params)

    assert response.status_code == 200
    assert '<form class="search-form"' in response.content.decode()


def test_a_very_long_query_is_cut_to_the_length_of_the_box(client):
    response = client.get("/es/search/", {"q": "agua " * 2000})

    assert response.status_code == 200
    assert len(response.context["search_query"]) <= 200


# ---- PostgreSQL: each text stemmed in its own language -----------------------------------------


def tsvector(config, text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector(%s::regconfig, %s)::text", [config, text])
        return cursor.fetchone()[0]


def lexemes(vector_text):
    """The lexemes of a tsvector written as text ("'canaliz':1B 'rio':3B" → {"canaliz", "rio"})."""
    found = set(re.findall(r"'((?:[^']|'')+)'", vector_text or ""))
    return {lexeme for lexeme in found if not lexeme.startswith("mblocale")}  # the tree's marker (backend.py)


def index_entry_text(page):
    """The page's index entry's title and body vectors, as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title::text, body::text FROM wagtailsearch_indexentry WHERE object_id = %s",
            [str(page.pk)],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, rows
    return rows[0]


@postgresql_only
def test_postgresql_stems_spanish_as_the_tests_expect():
    # The Spanish stemmer conflates these pairs; it does not conflate "obra" and "obras".
    assert lexemes(tsvector("spanish", "canalización")) == lexemes(tsvector("spanish", "canalizaciones"))
    assert lexemes(tsvector("spanish", "calle")) == lexemes(tsvector("spanish", "calles"))
    assert lexemes(tsvector("spanish", "utanaka")) != {"utanaka"}  # it would mangle Aymara
    assert lexemes(tsvector("simple", "utanaka")) == {"utanaka"}


@postgresql_only
def test_a_spanish_reader_finds_other_forms_of_a_spanish_word(client):
    work = factories.work(title="Canalizaciones en Achumani")
    work.summary = "Trabajos en las calles del barrio para el agua de lluvia"
    work.save_revision().publish()
    factories.work(title="Alumbrado público en Obrajes")

    assert result_urls(client, "/es/search/?q=canalización") == [work.url]
    assert result_urls(client, "/es/search/?q=calle lluvias") == [work.url]


@postgresql_only
def test_a_spanish_page_and_its_aliases_are_indexed_with_the_spanish_configuration():
    with factories.aliases_made():
        work = factories.work(title="Canalizaciones del río Orkojahuira")
        work.summary = "Muros de contención"
        work.save_revision().publish()
    alias = in_language(work, "ay")

    for page in [work, alias]:
        title, body = index_entry_text(page)
        assert lexemes(title) == lexemes(tsvector("spanish", "Canalizaciones del río Orkojahuira"))
        assert {"canaliz", "orkojahuir"} <= lexemes(title)
        assert "del" not in lexemes(title)  # a Spanish stop word
        assert {"mur", "contencion"} <= lexemes(body) or {"mur", "contención"} <= lexemes(body)


@postgresql_only
def test_a_real_aymara_translation_is_indexed_without_spanish_stemming(client):
    with factories.aliases_made():
        work = factories.work(title="Mercado de Gran Poder")
        aymara = factories.translation(
            work, "ay", title="Jach'a qhathu utanaka", slug="jacha-qhathu", summary="Markachirinakataki"
        )

    title, body = index_entry_text(aymara)
    assert lexemes(title) == lexemes(tsvector("simple", "Jach'a qhathu utanaka"))
    assert "utanaka" in lexemes(title) and "utanak" not in lexemes(title)
    assert "markachirinakataki" in lexemes(body)
    # An Aymara reader finds it by the word as written.
    assert result_urls(client, "/ay/search/?q=utanaka") == [aymara.url]


@postgresql_only
def test_an_english_translation_is_indexed_and_found_with_english_stemming(client):
    with factories.aliases_made():
        work = factories.work(title="Pavimentación de calles en Sopocachi")
        english = factories.translation(work, "en", title="Paving streets in Sopocachi", slug="paving-sopocachi")

    title, _body = index_entry_text(english)
    assert lexemes(title) == lexemes(tsvector("english", "Paving streets in Sopocachi"))
    assert result_urls(client, "/en/search/?q=paved street") == [english.url]


@postgresql_only
@pytest.mark.parametrize("code", ["ay", "qu", "gn", "en"])
def test_a_reader_of_another_language_finds_a_spanish_fallback_by_another_form_of_its_words(client, code):
    with factories.aliases_made():
        work = factories.work(title="Canalizaciones del río Orkojahuira")
    alias = in_language(work, code)

    assert result_urls(client, f"/{code}/search/?q=canalización") == [alias.url]
    assert alias.url.startswith(f"/{code}/")


@postgresql_only
def test_autocomplete_still_finds_prefixes():
    work = factories.work(title="Canalizaciones del río Orkojahuira")

    results = Page.objects.filter(locale=work.locale).autocomplete("Orkoja")

    assert [page.pk for page in results] == [work.pk]


def index_writes():
    """Rows inserted and updated in the index table by this transaction (the test's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_tup_ins, n_tup_upd FROM pg_stat_xact_user_tables WHERE relname = 'wagtailsearch_indexentry'"
        )
        return cursor.fetchone()


@postgresql_only
def test_indexing_writes_each_row_once_with_its_title_norm():
    factories.work(title="Alumbrado público en Obrajes")
    work = factories.work(title="Canalizaciones del río Orkojahuira")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM wagtailsearch_indexentry WHERE object_id = %s", [str(work.pk)])
        cursor.execute("SELECT avg(length(title)) FROM wagtailsearch_indexentry WHERE length(title) > 0")
        average = float(cursor.fetchone()[0])
    cache.delete(TITLE_LENGTH_CACHE_KEY)
    backend = get_search_backend()

    inserted, updated = index_writes()
    backend.add(work)  # a new row
    assert index_writes() == (inserted + 1, updated)
    backend.add(work)  # the same row again
    assert index_writes() == (inserted + 1, updated + 1)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title_norm, length(title) FROM wagtailsearch_indexentry WHERE object_id = %s", [str(work.pk)]
        )
        norm, title_length = cursor.fetchone()
    assert norm == pytest.approx(average / title_length)
    assert norm != pytest.approx(1.0)


@postgresql_only
def test_rebuilding_the_index_keeps_each_text_in_its_own_language(client):
    with factories.aliases_made():
        work = factories.work(title="Canalizaciones del río Orkojahuira")
        aymara = factories.translation(work, "ay", title="Jach'a qhathu utanaka", slug="jacha-qhathu")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM wagtailsearch_indexentry")

    output = io.StringIO()
    call_command("update_index", stdout=output)

    assert "indexed" in output.getvalue()
    assert "canaliz" in lexemes(index_entry_text(work)[0])
    assert "canaliz" in lexemes(index_entry_text(in_language(work, "qu"))[0])
    assert "utanaka" in lexemes(index_entry_text(aymara)[0])
    assert result_urls(client, "/es/search/?q=canalización") == [work.url]
    assert result_urls(client, "/qu/search/?q=canalización") == [in_language(work, "qu").url]
    assert result_urls(client, "/ay/search/?q=utanaka") == [aymara.url]
