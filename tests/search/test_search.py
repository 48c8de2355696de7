"""Finding anything: the search page's relevance, languages, filters, pages of results, marked
words, accents, places named first, editors' recommendations, budgets and categories, odd input
and a fixed number of queries. Runs on SQLite and PostgreSQL; the language-by-language stemming
is tests/search/test_search_languages.py."""

import re
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale, Page

import pytest

from search.filters import RESULT_TYPES, ResultType, available_types
from search.text import clean_query, excerpt, fold, highlight, highlight_terms
from tests import factories

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search")


def search_page(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return response.content.decode()


def results(client, url, params=None):
    """The (href, title) of each result on a search page, in order, highlighting removed."""
    markup = re.sub(r"</?mark>", "", search_page(client, url, params))
    return re.findall(r'<h3(?: lang="[a-z]+")?><a href="([^"]+)">([^<]+)</a></h3>', markup)


def titles(client, url, params=None):
    return [title for _href, title in results(client, url, params)]


def with_summary(page, summary):
    """``page`` published again with ``summary`` when given (the factories write a fixed one)."""
    if summary is not None:
        page.summary = summary
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def new_work(parent=None, title=None, summary=None, **fields):
    return with_summary(factories.work(parent, title, **fields), summary)


def new_neighborhood(parent=None, title=None, summary=None, **fields):
    return with_summary(factories.neighborhood(parent, title, **fields), summary)


def in_language(page, code):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code=code)


# ---- the box --------------------------------------------------------------------------------------


def test_every_page_has_a_labelled_search_box_that_sends_a_plain_get(client):
    barrio = factories.neighborhood(title="Sopocachi")

    for url in ["/es/", barrio.url]:
        markup = search_page(client, url)
        form = re.search(r'<form class="site-search"[^>]*>.*?</form>', markup, re.S).group()
        assert 'method="get"' in form and 'action="/es/search/"' in form
        assert re.search(r'<label for="site-search-q">[^<]+</label>', form)  # visible, not hidden
        assert 'name="q"' in form and "<script" not in form


def test_the_query_stays_in_both_boxes(client):
    markup = search_page(client, "/es/search/", {"q": "agua <potable>"})

    assert markup.count('value="agua &lt;potable&gt;"') == 2


# ---- relevance and languages ---------------------------------------------------------------------


def test_a_page_with_the_words_in_its_title_comes_before_one_with_them_in_its_text(client):
    barrio = factories.neighborhood(title="Villa Fátima")
    mention = new_work(barrio, title="Arreglo de aceras", summary="Cerca del mercado de Rodríguez")
    titled = new_work(barrio, title="Mercado de Rodríguez")
    new_work(barrio, title="Puente peatonal")

    assert [href for href, _title in results(client, "/es/search/", {"q": "mercado rodríguez"})] == [
        titled.url,
        mention.url,
    ]


@pytest.mark.parametrize("in_area", [False, True], ids=["whole tree", "one neighbourhood"])
def test_among_pages_with_the_words_in_their_text_the_one_that_says_them_more_comes_first(client, in_area):
    barrio = factories.neighborhood(title="Villa Fátima")
    often = new_work(
        barrio,
        title="Subida Las Nieves",
        summary="Empedrado de la subida, empedrado del pasaje y empedrado de la plaza, con empedrado nuevo",
    )
    once = new_work(barrio, title="Pasaje Los Andes", summary="Empedrado de un tramo corto")

    params = {"q": "empedrado", **({"area": barrio.pk} if in_area else {})}
    assert [href for href, _title in results(client, "/es/search/", params)] == [often.url, once.url]


def test_all_the_words_must_be_found(client):
    new_work(title="Alumbrado público en Obrajes")
    water = new_work(title="Agua potable en Obrajes")

    assert titles(client, "/es/search/", {"q": "agua obrajes"}) == [water.title]


def test_an_aymara_reader_sees_an_untranslated_page_under_ay_marked_as_spanish(client):
    with factories.aliases_made():
        work = new_work(title="Empedrado de la calle Jaén")
    alias = in_language(work, "ay")

    markup = search_page(client, "/ay/search/", {"q": "empedrado"})

    assert results(client, "/ay/search/", {"q": "empedrado"}) == [(alias.url, "Empedrado de la calle Jaén")]
    assert alias.url.startswith("/ay/")
    assert f'<h3 lang="es"><a href="{alias.url}">' in markup
    assert re.search(r'<p class="excerpt" lang="es">', markup)


def test_a_spanish_reader_gets_no_lang_mark_on_spanish_results(client):
    new_work(title="Empedrado de la calle Jaén")

    markup = search_page(client, "/es/search/", {"q": "empedrado"})

    assert "<h3><a " in markup and 'lang="es"><a' not in markup


def test_a_result_says_what_it_is_and_where(client):
    area = factories.submunicipality(title="Cotahuma")
    barrio = factories.neighborhood(area, title="Sopocachi")
    new_work(barrio, title="Plaza Abaroa renovada")

    markup = search_page(client, "/es/search/", {"q": "Abaroa"})

    assert re.search(r'<p class="meta">Obra pública · Cotahuma, Sopocachi</p>', markup)


# ---- filters --------------------------------------------------------------------------------------


def city_with_kinds():
    area = factories.submunicipality(title="Subalcaldía Max Paredes")
    other_area = factories.submunicipality(title="Subalcaldía Periférica")
    barrio = new_neighborhood(area, title="Gran Poder", summary="Barrio del agua y la fiesta")
    other = new_neighborhood(other_area, title="Villa Fátima", summary="Zona del agua")
    work = new_work(barrio, title="Tanque de agua de Gran Poder")
    other_work = new_work(other, title="Red de agua de Villa Fátima")
    news = factories.news(barrio, title="Corte de agua en Gran Poder")
    return {"area": area, "barrio": barrio, "work": work, "other_work": other_work, "news": news, "other": other}


def test_filter_by_kind_with_plain_links(client):
    city = city_with_kinds()

    everything = search_page(client, "/es/search/", {"q": "agua"})
    assert 'href="?q=agua&amp;tipo=obra"' in everything
    assert 'href="?q=agua&amp;tipo=noticia"' in everything
    assert set(titles(client, "/es/search/", {"q": "agua", "tipo": "obra"})) == {
        city["work"].title,
        city["other_work"].title,
    }
    assert titles(client, "/es/search/", {"q": "agua", "tipo": "noticia"}) == [city["news"].title]
    assert set(titles(client, "/es/search/", {"q": "agua", "tipo": "barrio"})) == {"Gran Poder", "Villa Fátima"}


def test_filter_by_submunicipality_and_by_neighbourhood(client):
    city = city_with_kinds()

    in_area = search_page(client, "/es/search/", {"q": "agua", "area": city["area"].pk})
    assert set(titles(client, "/es/search/", {"q": "agua", "area": city["area"].pk})) == {
        "Gran Poder",
        city["work"].title,
        city["news"].title,
    }
    # The submunicipality's neighbourhoods are offered once it is chosen.
    assert f'href="?q=agua&amp;area={city["barrio"].pk}"' in in_area
    assert f'href="?q=agua&amp;area={city["other"].pk}"' not in in_area
    assert set(titles(client, "/es/search/", {"q": "agua", "area": city["barrio"].pk, "tipo": "obra"})) == {
        city["work"].title
    }


def test_filters_work_without_words_as_a_list(client):
    city = city_with_kinds()

    assert titles(client, "/es/search/", {"tipo": "noticia"}) == [city["news"].title]


def test_an_unknown_filter_is_left_out_with_a_note(client):
    city = city_with_kinds()

    for params in [{"tipo": "nave"}, {"area": "abc"}, {"area": "99999999"}, {"area": str(city["work"].pk)}]:
        markup = search_page(client, "/es/search/", {"q": "agua", **params})
        assert "no se entendió" in markup or "was not understood" in markup, params
        assert len(results(client, "/es/search/", {"q": "agua", **params})) == 5


def test_a_kind_whose_model_is_missing_is_not_offered_and_one_that_exists_is():
    missing = ResultType("nada", "Nothing", ("neighborhoods.NoSuchPage",))
    assert missing.models() == []
    keys = [t.key for t in available_types()]
    assert {"obra", "noticia", "barrio"} <= set(keys)
    consultation = next(t for t in RESULT_TYPES if t.key == "consulta")
    assert ("consulta" in keys) == bool(consultation.models())


def test_an_area_of_another_language_is_not_a_filter(client):
    with factories.aliases_made():
        city = city_with_kinds()
    aymara_area = in_language(city["area"], "ay")

    spanish_area = search_page(client, "/ay/search/", {"q": "agua", "area": city["area"].pk})

    assert len(results(client, "/ay/search/", {"q": "agua", "area": city["area"].pk})) == 5
    assert 'role="status"' in spanish_area
    assert len(results(client, "/ay/search/", {"q": "agua", "area": aymara_area.pk})) == 3


# ---- pages of results -----------------------------------------------------------------------------


def test_results_come_ten_a_page_and_odd_page_numbers_give_a_normal_page(client):
    barrio = factories.neighborhood(title="Achumani")
    with factories.without_search_index_updates():
        works = [new_work(barrio, title=f"Bacheo de calles tramo {n:02d}") for n in range(23)]
    for page in works:
        page.save_revision().publish()  # indexed

    first = titles(client, "/es/search/", {"q": "bacheo"})
    second = titles(client, "/es/search/", {"q": "bacheo", "page": "2"})
    third = titles(client, "/es/search/", {"q": "bacheo", "page": "3"})
    assert len(first) == 10 and len(second) == 10 and len(third) == 3
    assert len(set(first + second + third)) == 23
    for page in ["-1", "abc", "0", "99999999999999999999999", "2.5", ""]:
        assert len(titles(client, "/es/search/", {"q": "bacheo", "page": page})) in {10, 3}, page
    markup = search_page(client, "/es/search/", {"q": "bacheo", "page": "2"})
    assert 'href="?q=bacheo&amp;page=1" rel="prev"' in markup
    assert 'href="?q=bacheo&amp;page=3" rel="next"' in markup
    assert "23 resultados" in markup or "23 results" in markup


# ---- highlighted words ----------------------------------------------------------------------------


def test_the_words_found_are_marked_in_titles_and_excerpts(client):
    new_work(title="Canalización del río Choqueyapu", summary="Muros y canalización en la ribera del río.")

    markup = search_page(client, "/es/search/", {"q": "canalizacion rio"})

    assert "<mark>Canalización</mark> del <mark>río</mark> Choqueyapu" in markup
    assert "<mark>canalización</mark> en la ribera del <mark>río</mark>" in markup


def test_highlighting_escapes_the_text_and_the_query(client):
    new_work(title="Plaza <script>alert(1)</script> & fuente")

    markup = search_page(client, "/es/search/", {"q": "<script> plaza"})

    assert "<script>alert" not in markup
    assert "<mark>Plaza</mark> &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; &amp; fuente" in markup


def test_highlight_helpers_mark_forms_of_a_word_and_cut_long_texts():
    terms = highlight_terms("Calle canalización")
    assert terms == ["calle", "canalizacion"]
    assert str(highlight("Las calles y canalizaciones", terms)) == (
        "Las <mark>calles</mark> y <mark>canalizaciones</mark>"
    )
    long_text = "palabra " * 200 + "agua potable " + "relleno " * 200
    cut = str(excerpt(long_text, highlight_terms("agua")))
    assert cut.startswith("…") and cut.endswith("…") and "<mark>agua</mark>" in cut and len(cut) < 300


def test_highlighting_an_adversarial_query_is_fast():
    text = "a" * 5000 + "!" + ("ab" * 2000)
    query = ("(a+)+$ " * 40) + ("a" * 10_000)

    started = time.perf_counter()
    terms = highlight_terms(clean_query(query)[0])
    highlight(text, terms)
    excerpt(text, terms)

    assert time.perf_counter() - started < 0.5
    assert len(terms) <= 10 and all(len(term) <= 50 for term in terms)


# ---- accents --------------------------------------------------------------------------------------


def test_fold_removes_marks_from_letters():
    assert fold("Vías públicas, señalización, pingüino, Avañe'ẽ") == "Vias publicas, senalizacion, pinguino, Avane'e"
    assert fold("u\u0301") == "u"


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Obras públicas en Sopocachi", "obras publicas"),
        ("Obras publicas en Sopocachi", "obras públicas"),
        ("Señalización vial en Achumani", "senalizacion vial"),
        ("Canalización del río Orkojahuira", "CANALIZACION rio"),
        ("Pavimentación de la avenida Buenos Aires", "pavimentacion"),
        ("Pavimentación de la avenida Buenos Aires", "pavimentación"),
        ("Pavimentacion de la avenida Buenos Aires", "pavimentación"),
        ("Obras públicas en Sopocachi", "obras pu\u0301blicas"),  # an accent typed as a combining mark
    ],
)
def test_accents_are_optional_both_ways(client, title, query):
    work = new_work(title=title)
    new_work(title="Alumbrado en Obrajes")

    assert [href for href, _ in results(client, "/es/search/", {"q": query})] == [work.url]


@postgresql_only
def test_folding_accents_keeps_spanish_stemming(client):
    """The forms Spanish stemming joins are still joined with accents optional: folding before
    stemming would lose "canalización" → "Canalizaciones" and "policía" → "Policías"."""
    pairs = [
        ("Canalizaciones del río", "canalización"),
        ("Pavimentaciones nuevas", "pavimentación"),
        ("Módulos policiales y policías", "policía"),
        ("Calles empedradas", "calle"),
    ]
    pages = {query: new_work(title=title) for title, query in pairs}

    for query, work in pages.items():
        assert [href for href, _ in results(client, "/es/search/", {"q": query})] == [work.url], query


@postgresql_only
def test_a_search_of_one_language_tree_reads_only_that_trees_index_rows():
    from search.backend import InLocale, locale_lexeme

    with factories.aliases_made():
        work = new_work(title="Canalización del río Orkojahuira")
    aymara = Locale.objects.get(language_code="ay")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM wagtailsearch_indexentry WHERE title @@ to_tsquery('simple', %s)",
            [locale_lexeme(aymara.pk)],
        )
        assert cursor.fetchone()[0] >= 1
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'mb_search_indexentry_title_body_gin'")
        assert "(title || body)" in cursor.fetchone()[0]

    found = list(Page.objects.search(InLocale("Orkojahuira", aymara.pk)))

    assert [page.pk for page in found] == [in_language(work, "ay").pk]


# ---- places named first ---------------------------------------------------------------------------


def test_typing_a_neighbourhoods_name_puts_it_first(client):
    area = factories.submunicipality(title="Subalcaldía Cotahuma")
    sopocachi = new_neighborhood(area, title="Sopocachi", summary="Barrio residencial")
    for n in range(4):
        new_work(sopocachi, title=f"Sopocachi: obra {n} de Sopocachi en Sopocachi", summary="Sopocachi " * 5)
    factories.news(sopocachi, title="Sopocachi Sopocachi Sopocachi")

    for query in ["Sopocachi", "sopocachi", "SOPOCACHÍ", "sopoca"]:
        assert results(client, "/es/search/", {"q": query})[0] == (sopocachi.url, "Sopocachi"), query
    assert results(client, "/es/search/", {"q": "cotahuma"})[0][1] == "Subalcaldía Cotahuma"
    assert results(client, "/es/search/", {"q": "subalcaldia cotahuma"})[0][1] == "Subalcaldía Cotahuma"
    # Shown once, and counted once.
    assert [title for _, title in results(client, "/es/search/", {"q": "sopocachi"})].count("Sopocachi") == 1


def test_a_place_named_in_another_language_tree_is_found_there(client):
    with factories.aliases_made():
        barrio = factories.neighborhood(title="Ñuñoa Alta")
        new_work(barrio, title="Obra en Ñuñoa Alta")

    assert results(client, "/qu/search/", {"q": "nunoa alta"})[0] == (in_language(barrio, "qu").url, "Ñuñoa Alta")


def test_a_short_prefix_does_not_pull_places_first(client):
    factories.neighborhood(title="Obrajes")
    work = new_work(title="Obra de teatro municipal")

    assert titles(client, "/es/search/", {"q": "ob"}) in ([], [work.title])


# ---- editors' recommendations ---------------------------------------------------------------------


def promote(query_string, page=None, **fields):
    return SearchPromotion.objects.create(query=Query.get(query_string), page=page, **fields)


def test_an_editors_recommendation_comes_first_marked_recommended(client):
    with factories.aliases_made():
        office = new_neighborhood(title="Oficina de reclamos", summary="Dónde reclamar por el agua")
        new_work(title="Agua potable para todos", summary="agua agua agua")
    promote("Agua", office, description="Para reclamos por cortes de agua")

    markup = search_page(client, "/es/search/", {"q": "agua"})
    found = results(client, "/es/search/", {"q": "agua"})

    assert found[0] == (office.url, "Oficina de reclamos")
    assert [title for _, title in found].count("Oficina de reclamos") == 1
    assert '<li class="card search-result recommended">' in markup
    assert re.search(r'<p class="badge">(Recomendado|Recommended)</p>', markup)
    assert "Para reclamos por cortes de <mark>agua</mark>" in markup
    # In Aymara, the same recommendation leads to the page in the Aymara tree.
    assert results(client, "/ay/search/", {"q": "AGUA"})[0] == (in_language(office, "ay").url, "Oficina de reclamos")


def test_a_recommendation_of_an_english_page_is_for_english_readers_only(client):
    with factories.aliases_made():
        work = new_work(title="Mercado Rodríguez")
        english = factories.translation(work, "en", title="Rodriguez market", slug="rodriguez-market")
    promote("market", english)

    assert results(client, "/en/search/", {"q": "market"})[0] == (english.url, "Rodriguez market")
    assert "recommended" not in search_page(client, "/es/search/", {"q": "market"})


def test_an_external_recommendation_and_a_draft_one(client):
    draft = new_work(title="Obra en borrador")
    draft.unpublish()
    promote("tramites", external_link_url="https://example.org/tramites", external_link_text="Trámites en línea")
    promote("tramites", draft)

    found = results(client, "/es/search/", {"q": "trámites"})

    assert found == [("https://example.org/tramites", "Trámites en línea")]


# ---- budgets and categories -----------------------------------------------------------------------


def test_budget_lines_mentioning_the_words_link_to_their_areas_budget(client):
    with factories.aliases_made():
        barrio = factories.neighborhood(title="Miraflores")
    factories.budget_line(barrio, description="Mantenimiento de áreas verdes del estadio")
    factories.budget_line(barrio, description="Alumbrado público")
    area = barrio.get_parent().specific
    factories.budget_line(area, description="Áreas verdes de la subalcaldía", fiscal_year=2025)

    markup = search_page(client, "/es/search/", {"q": "areas verdes"})
    aymara = search_page(client, "/ay/search/", {"q": "areas verdes"})

    assert f'<a href="{barrio.url}presupuesto/">' in markup
    assert f'<a href="{area.url}presupuesto/">' in markup
    assert "Mantenimiento de <mark>áreas</mark> <mark>verdes</mark> del estadio" in markup
    assert "Alumbrado" not in markup.split('id="budget-heading"')[1].split("</section>")[0]
    assert f'<a href="{in_language(barrio, "ay").url}presupuesto/">' in aymara
    assert 'id="budget-heading"' not in search_page(client, "/es/search/", {"q": "puente"})


def test_a_category_named_by_the_words_links_to_its_works(client):
    roads = factories.category(name="Vías y pavimentos", code="vias")
    other = factories.category(name="Parques", code="parques")
    barrio = factories.neighborhood()
    paving = new_work(barrio, title="Asfaltado de la avenida", category=roads)
    new_work(barrio, title="Plaza nueva", category=other)

    markup = search_page(client, "/es/search/", {"q": "pavimentos"})

    assert 'href="/es/search/?tipo=obra&amp;categoria=vias"' in markup
    assert titles(client, "/es/search/", {"tipo": "obra", "categoria": "vias"}) == [paving.title]
    assert "Vías y pavimentos" in search_page(client, "/es/search/", {"categoria": "vias"})


# ---- odd input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query_string",
    [
        "q=",
        "q=%20%20",
        "q=" + "agua" * 2500,
        "q=obra%00de%07agua",
        "q=%E2%80%8F%E2%80%AEagua%E2%80%8E",  # right-to-left marks
        "q=%F0%9F%9A%A7%F0%9F%92%A7",  # emoji
        "q=a%CC%81%CC%81%CC%81%CC%81gua",  # combining marks
        "q=%ED%A0%80agua",  # a lone surrogate
        "q=%FF%FE",  # not UTF-8
        "q=%26%20%7C%20!%20%3A%20*%20(%20)%20'%20%22",  # & | ! : * ( ) ' "
        "q=agua%20OR%20luz",
        "q=-agua",
        "q=agua%20-luz%20--",
        "q=a:*%20%26%20b%20%3C-%3E%20c",
        "q=%5C%5C%27%27",
        "q=agua&page=-1",
        "q=agua&page=abc",
        "q=agua&page=1e9999",
        "q=agua&tipo=%00&area=-1&categoria=%F0%9F%9A%A7",
        "q=agua&q=luz",
        "tipo=obra&page=99999999999999999999",
    ],
)
def test_odd_input_gives_a_normal_page_quickly(client, query_string):
    new_work(title="Agua potable para Achumani")

    started = time.perf_counter()
    response = client.get(f"/es/search/?{query_string}")

    assert response.status_code == 200
    assert '<form class="search-form"' in response.content.decode()
    assert time.perf_counter() - started < 5


def test_a_long_query_is_cut_with_a_polite_note(client):
    new_work(title="Agua potable para Achumani")

    response = client.get("/es/search/", {"q": "agua " + "x" * 10_000})

    assert len(response.context["search_query"]) == 200
    assert "Su búsqueda se acortó a sus primeros 200 caracteres." in response.content.decode() or (
        "shortened to its first 200 characters" in response.content.decode()
    )
    assert "acortó" not in search_page(client, "/es/search/", {"q": "agua"})


def test_clean_query_drops_what_databases_refuse():
    assert clean_query('a\x00b\u202ec"d') == ("a b c d", False)
    assert clean_query("u\u0301") == ("ú", False)
    assert clean_query("x" * 300) == ("x" * 200, True)


# ---- queries --------------------------------------------------------------------------------------

#: The results page once the worker keeps what every search shares (``search/memo.py``, the site
#: included): the search (on PostgreSQL counted with its first page, what it shows and the
#: language of each alias's text, in one query), budget lines, categories (measured: 3 in Spanish
#: and in Aymara on PostgreSQL; 5 and 6 on SQLite, which counts apart, fetches the pages found
#: and looks up the language of aliases apart; 1 and 3 with an area and a kind chosen).
SEARCH_QUERIES = 6
#: The first search after a change also reads the locales, private sections, promoted queries,
#: the site and the areas of the reader's and the Spanish trees again (measured: 6 more).
KEPT_QUERIES = 6


def city_of_works(count):
    area = factories.submunicipality(title="Subalcaldía Sur")
    barrio = factories.neighborhood(area, title="Calacoto")
    with factories.without_search_index_updates():
        works = [new_work(barrio, title=f"Mejoramiento vial {n}") for n in range(count)]
    for page in works:
        page.save_revision().publish()
    factories.budget_line(barrio, description="Mejoramiento vial de la zona")
    return barrio


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_results_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with factories.aliases_made():
        city_of_works(3)
    few = count_queries(client, "/ay/search/?q=mejoramiento")
    with factories.aliases_made():
        barrio = city_of_works(12)
    many = count_queries(client, "/ay/search/?q=mejoramiento")

    assert few == many
    client.get(f"/es/search/?q=mejoramiento&area={barrio.pk}&tipo=obra")
    with django_assert_max_num_queries(SEARCH_QUERIES):
        assert client.get("/ay/search/?q=mejoramiento").status_code == 200
    with django_assert_max_num_queries(SEARCH_QUERIES):
        assert client.get(f"/es/search/?q=mejoramiento&area={barrio.pk}&tipo=obra").status_code == 200
    barrio.save_revision().publish()  # what searches keep is read again
    with django_assert_max_num_queries(SEARCH_QUERIES + KEPT_QUERIES):
        assert client.get("/ay/search/?q=mejoramiento").status_code == 200


# ---- the generated city of the benchmark ----------------------------------------------------------


def test_generate_city_builds_a_valid_searchable_city_in_every_language(client):
    from io import StringIO

    from django.core.management import call_command

    from budgets.models import BudgetLine
    from neighborhoods.models import NeighborhoodPage, NewsPage, SubmunicipalityPage
    from works.models import PublicWorkPage

    output = StringIO()
    call_command(
        "generate_city", "--submunicipalities=2", "--neighborhoods=3", "--works=5", "--news=2",
        "--budget-lines=1", verbosity=0, stdout=output,
    )  # fmt: skip

    spanish = {"locale__language_code": "es"}
    assert SubmunicipalityPage.objects.filter(**spanish).count() == 2
    assert NeighborhoodPage.objects.filter(**spanish).count() == 3
    assert PublicWorkPage.objects.filter(**spanish).count() == 5
    assert NewsPage.objects.filter(**spanish).count() == 2
    assert BudgetLine.objects.count() == 3 * 2
    assert PublicWorkPage.objects.filter(locale__language_code="ay", alias_of__isnull=False).count() == 5
    assert "Generated in" in output.getvalue()
    problems = Page.find_problems()
    assert all(not found for found in problems), problems

    work = PublicWorkPage.objects.filter(**spanish).first()
    alias = in_language(work, "ay")
    assert client.get(work.url).status_code == 200
    assert client.get(alias.url).status_code == 200
    assert (alias.url, work.title) in results(client, "/ay/search/", {"q": work.title})
    # Growing the city keeps the tree valid.
    call_command(
        "generate_city",
        "--submunicipalities=0",
        "--neighborhoods=1",
        "--works=2",
        "--news=0",
        verbosity=0,
        stdout=output,
    )
    assert PublicWorkPage.objects.filter(**spanish).count() == 7
    assert all(not found for found in Page.find_problems())


def test_generate_city_refuses_a_database_with_real_content():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    factories.neighborhood(title="Sopocachi")

    with pytest.raises(CommandError, match="real pages"):
        call_command("generate_city", "--works=1", verbosity=0)
    call_command(
        "generate_city", "--submunicipalities=1", "--neighborhoods=1", "--works=1", "--news=0", "--force", verbosity=0
    )
