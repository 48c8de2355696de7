"""What searches keep in memory (search/memo.py) is read again when it must be, and kind lexemes.

Each test searches once first, so the worker holds the locales, private sections, promoted
queries and areas, then changes something and searches again through the search page: a
renamed, new, unpublished, deleted or moved area, a private section, a promotion, a new area's
budget, a new site are seen at once; a lost version in the cache, a cache that keeps nothing, and MAX_AGE
make the worker read again even without signals; the version is bumped again when the change
commits. On PostgreSQL, non-page index rows carry their kind lexeme (``mbkind<content type
id>``), a budget search needs it, and migration search.0004 adds it back to rows that lack it,
once, and never to pages' rows; only live pages carry their locale lexeme, so a search of a
whole tree ranks from the index alone and still never shows or counts an unpublished page, and
migration search.0005 removes the lexeme from rows of pages not live.
"""

import importlib
import re
import time
import types

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page, PageViewRestriction, Site

import pytest

from search import filters, memo
from search.filters import current_site
from tests import factories

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search")


@pytest.fixture(autouse=True)
def _nothing_kept(monkeypatch):
    """Each test starts with a worker that keeps nothing yet."""
    monkeypatch.setattr(memo, "_kept", {})


# ---- reading the search page ----------------------------------------------------------------------


def search_page(client, query):
    response = client.get("/es/search/", {"q": query})
    assert response.status_code == 200, query
    return response.content.decode()


def results(client, query):
    """The (href, title) of each result, in order, highlighting removed."""
    markup = re.sub(r"</?mark>", "", search_page(client, query))
    return re.findall(r'<h3(?: lang="[a-z]+")?><a href="([^"]+)">([^<]+)</a></h3>', markup)


def hrefs(client, query):
    return [href for href, _title in results(client, query)]


def metas(client, query):
    """Each result's line saying what it is and where ("Obra pública · Cotahuma, Sopocachi")."""
    return re.findall(r'<p class="meta">([^<]+)</p>', re.sub(r"</?mark>", "", search_page(client, query)))


def area_links(client, query):
    """The submunicipalities offered as filters (no area chosen), as (page id, title)."""
    nav = re.search(r'<nav class="search-filters".*?</nav>', search_page(client, query), re.S).group()
    return [(int(pk), title) for pk, title in re.findall(r'<a href="\?q=[^"]*&amp;area=(\d+)">([^<]+)</a>', nav)]


def budget_group(client, query):
    """The text of the "Budget" group on the results page ("" when there is none)."""
    markup = re.sub(r"</?mark>", "", search_page(client, query))
    found = re.search(r'<section class="search-group" aria-labelledby="budget-heading">.*?</section>', markup, re.S)
    return found.group() if found else ""


def rename(page, title):
    """Publish ``page`` again under ``title``, like an editor."""
    page.title = title
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def rename_silently(page, title):
    """Change ``page``'s title without any signal (a queryset update), so nobody bumps the version."""
    Page.objects.filter(pk=page.pk).update(title=title)


def promote(query_string, page=None, **fields):
    return SearchPromotion.objects.create(query=Query.get(query_string), page=page, **fields)


def city():
    """Cotahuma with Sopocachi and a water tank in it, and a second submunicipality."""
    area = factories.submunicipality(title="Subalcaldía Cotahuma")
    barrio = factories.neighborhood(area, title="Sopocachi")
    work = factories.work(barrio, title="Tanque de agua")
    other = factories.submunicipality(title="Subalcaldía Max Paredes")
    return {"area": area, "barrio": barrio, "work": work, "other": other}


# ---- changes editors make are seen at once --------------------------------------------------------


def test_a_renamed_neighbourhood_is_named_first_by_its_new_name_at_once(client):
    """Renamed and published after a search: its new name puts it first, its old one no longer does."""
    area = factories.submunicipality(title="Subalcaldía Cotahuma")
    barrio = factories.neighborhood(area, title="Sopocachi")
    for n in range(3):
        factories.work(barrio, title=f"Villa Armonía: obra {n} de Villa Armonía en Villa Armonía")
    assert results(client, "sopocachi")[0] == (barrio.url, "Sopocachi")  # the worker now holds the areas

    barrio = rename(barrio, "Villa Armonía")

    assert results(client, "villa armonia")[0] == (barrio.url, "Villa Armonía")
    assert barrio.url not in hrefs(client, "sopocachi")
    assert "Obra pública · Subalcaldía Cotahuma, Villa Armonía" in metas(client, "villa armonia")


def test_submunicipalities_published_unpublished_or_deleted_after_a_search_change_the_filters(client):
    """A new submunicipality is offered as a filter at once; an unpublished or deleted one is not."""
    centro = factories.submunicipality(title="Subalcaldía Centro")
    sur = factories.submunicipality(title="Subalcaldía Sur")
    mallasa = factories.submunicipality(title="Subalcaldía Mallasa")
    assert area_links(client, "agua") == [
        (centro.pk, "Subalcaldía Centro"),
        (mallasa.pk, "Subalcaldía Mallasa"),
        (sur.pk, "Subalcaldía Sur"),
    ]

    periferica = factories.submunicipality(title="Subalcaldía Periférica")
    assert (periferica.pk, "Subalcaldía Periférica") in area_links(client, "agua")

    sur.unpublish()
    assert sur.pk not in dict(area_links(client, "agua"))

    mallasa.delete()
    assert area_links(client, "agua") == [(centro.pk, "Subalcaldía Centro"), (periferica.pk, "Subalcaldía Periférica")]


def test_a_neighbourhood_published_after_a_search_is_offered_in_its_submunicipality(client):
    """Once a submunicipality is chosen, its neighbourhoods are offered: a new one at once."""
    places = city()
    chosen = {"q": "tanque", "area": places["area"].pk}
    assert f'href="?q=tanque&amp;area={places["barrio"].pk}"' in client.get("/es/search/", chosen).content.decode()

    barrio = factories.neighborhood(places["area"], title="San Pedro")

    assert f'href="?q=tanque&amp;area={barrio.pk}">San Pedro</a>' in client.get("/es/search/", chosen).content.decode()
    narrowed = client.get("/es/search/", {**chosen, "area": barrio.pk}).content.decode()
    assert f'href="?q=tanque&amp;area={barrio.pk}" aria-current="true"' in narrowed


def test_a_neighbourhood_moved_after_a_search_is_shown_in_its_new_submunicipality(client):
    """Moving a neighbourhood (post_page_move) changes where its works are said to be at once."""
    places = city()
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Sopocachi"]

    places["barrio"].move(places["other"], pos="last-child")

    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Max Paredes, Sopocachi"]


def test_a_section_made_private_after_a_search_leaves_the_filters_and_the_named_places(client):
    """A view restriction on a submunicipality hides it and its neighbourhoods at once; lifting it
    brings them back."""
    places = city()
    cotahuma = (places["area"].pk, "Subalcaldía Cotahuma")
    assert cotahuma in area_links(client, "sopocachi")
    assert results(client, "sopocachi")[0] == (places["barrio"].url, "Sopocachi")

    restriction = PageViewRestriction.objects.create(
        page=places["area"], restriction_type=PageViewRestriction.PASSWORD, password="solo-vecinos"
    )

    assert area_links(client, "sopocachi") == [(places["other"].pk, "Subalcaldía Max Paredes")]
    assert places["barrio"].url not in hrefs(client, "sopocachi")
    assert hrefs(client, "cotahuma") == []
    chosen = client.get("/es/search/", {"q": "sopocachi", "area": places["area"].pk}).content.decode()
    assert 'role="status"' in chosen  # no longer an area to narrow to

    restriction.delete()

    assert cotahuma in area_links(client, "sopocachi")
    assert results(client, "sopocachi")[0] == (places["barrio"].url, "Sopocachi")


def test_a_promotion_added_after_a_search_of_the_same_words_is_shown_at_once(client):
    """The promoted query strings are read again when a promotion is added or removed."""
    office = factories.neighborhood(title="Oficina de reclamos")
    factories.work(title="Agua potable para todos")
    assert "recommended" not in search_page(client, "agua")

    promotion = promote("agua", office, description="Para reclamos por cortes de agua")

    assert results(client, "Agua")[0] == (office.url, "Oficina de reclamos")
    assert '<li class="card search-result recommended">' in search_page(client, "agua")

    promotion.delete()

    assert office.url not in hrefs(client, "agua")


def test_the_budget_of_a_neighbourhood_published_after_a_search_is_shown_at_once(client):
    """Budget lines are mapped to the areas the worker holds: a new neighbourhood's are shown at
    once, and a private one's leave with it."""
    area = factories.submunicipality(title="Subalcaldía Sur")
    assert budget_group(client, "estadio") == ""

    barrio = factories.neighborhood(area, title="Miraflores")
    factories.budget_line(barrio, description="Mantenimiento del estadio")

    assert f'<a href="{barrio.url}presupuesto/">' in budget_group(client, "estadio")

    PageViewRestriction.objects.create(page=area, restriction_type=PageViewRestriction.PASSWORD, password="x")

    assert budget_group(client, "estadio") == ""


def test_a_site_added_after_a_search_is_the_one_its_host_is_served_for(rf):
    """The site a host is served for is kept, and read again when sites change."""
    default = Site.objects.get(is_default_site=True)

    def site_for_a_request():
        return current_site(rf.get("/es/search/", HTTP_HOST="distrito.example"))

    assert site_for_a_request() == default

    district = Site.objects.create(hostname="distrito.example", root_page=default.root_page, site_name="Distrito")

    assert site_for_a_request() == district
    district.delete()
    assert site_for_a_request() == default


def test_a_worker_keeps_the_sites_of_a_bounded_number_of_hosts(rf, monkeypatch):
    monkeypatch.setattr(filters, "MAX_HOSTS", 3)
    default = Site.objects.get(is_default_site=True)

    sites = [current_site(rf.get("/es/search/", HTTP_HOST=f"barrio{n}.example")) for n in range(10)]

    assert sites == [default] * 10
    assert 0 < len(memo.held("sites", dict)) <= 3


def test_the_search_page_is_titled_with_the_site_its_host_is_served_for(client):
    default = Site.objects.get(is_default_site=True)

    def title():
        markup = client.get("/es/search/", {"q": "agua"}, HTTP_HOST="distrito.example").content.decode()
        return re.search(r"<title>(.*?)</title>", markup, re.S).group(1)

    assert title().endswith(f"· {default.site_name}")

    Site.objects.create(hostname="distrito.example", root_page=default.root_page, site_name="Distrito")

    assert title().endswith("· Distrito")


# ---- the shared version, a cache that keeps nothing, and MAX_AGE ----------------------------------


def test_a_copy_is_kept_while_the_version_stands_and_read_again_when_the_cache_loses_it(client):
    """A change without signals is not seen while the version stands; once the cache has lost the
    version (a Redis restart), the next search reads everything again."""
    places = city()
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Sopocachi"]

    rename_silently(places["barrio"], "Villa Armonía")
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Sopocachi"]  # kept

    cache.clear()

    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Villa Armonía"]


def test_without_a_working_cache_every_search_reads_fresh_data(client, settings):
    """A cache that keeps nothing gives no version: nothing is kept, even what was before."""
    places = city()
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Sopocachi"]  # kept, working cache
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    rename_silently(places["barrio"], "Villa Armonía")
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Villa Armonía"]

    rename_silently(places["area"], "Subalcaldía Centro")
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Centro, Villa Armonía"]
    assert area_links(client, "tanque") == [
        (places["area"].pk, "Subalcaldía Centro"),
        (places["other"].pk, "Subalcaldía Max Paredes"),
    ]


def test_a_kept_copy_is_read_again_after_max_age_whatever_the_cache_says(client, monkeypatch):
    """With a working cache and no signal, the old copy lasts until MAX_AGE seconds, not longer."""
    places = city()
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Sopocachi"]
    rename_silently(places["barrio"], "Villa Armonía")
    started = time.monotonic()

    def clock(seconds):
        monkeypatch.setattr(memo, "time", types.SimpleNamespace(monotonic=lambda: started + seconds))

    clock(memo.MAX_AGE - 10)
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Sopocachi"]

    clock(memo.MAX_AGE + 1)
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Villa Armonía"]


# ---- the version is bumped again at the commit ----------------------------------------------------


def test_changed_bumps_the_version_now_and_again_once_the_transaction_commits(
    client, django_capture_on_commit_callbacks
):
    """What another worker read before the commit, under the version bumped by the change, is
    read again once the change is committed."""
    places = city()
    with django_capture_on_commit_callbacks(execute=True):
        rename(places["barrio"], "Villa Armonía")
        during = cache.get(memo.VERSION_KEY)
        # Another worker, not seeing the uncommitted rename, keeps the old state under the new version.
        assert memo.held("probe", lambda: "before the commit") == "before the commit"
        assert memo.held("probe", lambda: "read again") == "before the commit"

    assert cache.get(memo.VERSION_KEY) not in {None, during}
    assert memo.held("probe", lambda: "after the commit") == "after the commit"
    assert metas(client, "tanque") == ["Obra pública · Subalcaldía Cotahuma, Villa Armonía"]


def test_changed_alone_queues_one_bump_for_the_commit(django_capture_on_commit_callbacks):
    """``changed`` bumps at once and leaves one more bump for the commit."""
    before = memo._version()
    with django_capture_on_commit_callbacks() as callbacks:
        memo.changed()
    during = cache.get(memo.VERSION_KEY)
    assert during != before
    assert len(callbacks) == 1

    callbacks[0]()

    assert cache.get(memo.VERSION_KEY) not in {before, during}


# ---- kind and locale lexemes (PostgreSQL) ---------------------------------------------------------


def index_titles(content_type_id, object_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title::text FROM wagtailsearch_indexentry WHERE content_type_id = %s AND object_id = %s",
            [content_type_id, str(object_id)],
        )
        return [title for (title,) in cursor.fetchall()]


def add_kind_lexemes():
    """Run migration search.0004's function, as ``migrate`` would."""
    migration = importlib.import_module("search.migrations.0004_kind_lexemes")
    with connection.schema_editor() as editor:
        migration.add_kind_lexemes(None, editor)


def pages_rows_with_a_kind_lexeme():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM wagtailsearch_indexentry
            WHERE content_type_id IN (SELECT content_type_id FROM wagtailcore_page) AND title::text LIKE '%%mbkind%%'
            """
        )
        return cursor.fetchone()[0]


@postgresql_only
def test_a_budget_lines_index_row_carries_its_kind_lexeme_and_a_pages_does_not():
    """The line's title vector names BudgetLine; the neighbourhood's names its locale only."""
    from budgets.models import BudgetLine
    from search.backend import kind_lexeme

    barrio = factories.neighborhood(title="Miraflores")
    line = factories.budget_line(barrio, description="Mantenimiento de áreas verdes del estadio")
    kind = ContentType.objects.get_for_model(BudgetLine).pk

    assert len(index_titles(kind, line.pk)) == 1
    assert f"'{kind_lexeme(kind)}'" in index_titles(kind, line.pk)[0]
    barrio_rows = index_titles(ContentType.objects.get_for_model(type(barrio)).pk, barrio.pk)
    assert len(barrio_rows) == 1 and "mbkind" not in barrio_rows[0] and "mblocale" in barrio_rows[0]


@postgresql_only
def test_a_budget_search_finds_a_line_by_the_words_of_its_description(client):
    """The "Budget" group lists the line whose description has the words, not the others, even
    when pages say the same words."""
    barrio = factories.neighborhood(title="Miraflores")
    factories.work(barrio, title="Áreas verdes de la plaza")
    factories.budget_line(barrio, description="Mantenimiento de áreas verdes del estadio")
    factories.budget_line(barrio, description="Alumbrado público")

    group = budget_group(client, "areas verdes")

    assert f'<a href="{barrio.url}presupuesto/">' in group
    assert "Mantenimiento de áreas verdes del estadio" in group
    assert "Alumbrado" not in group
    assert budget_group(client, "alumbrado") and "estadio" not in budget_group(client, "alumbrado")


@postgresql_only
def test_the_migration_gives_a_row_without_it_its_kind_lexeme_once_and_leaves_pages_rows_alone(client):
    """A row written before kind lexemes is not found by a budget search; the migration's function
    adds the lexeme (found again), is idempotent, and adds none to pages' rows."""
    from budgets.models import BudgetLine
    from search.backend import kind_lexeme

    barrio = factories.neighborhood(title="Miraflores")
    line = factories.budget_line(barrio, description="Mantenimiento de áreas verdes del estadio")
    kind = ContentType.objects.get_for_model(BudgetLine).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE wagtailsearch_indexentry SET title = to_tsvector('simple', 'x') "
            "WHERE content_type_id = %s AND object_id = %s",
            [kind, str(line.pk)],
        )
    assert "mbkind" not in index_titles(kind, line.pk)[0]
    assert "estadio" not in budget_group(client, "areas verdes")  # the words alone are not enough

    add_kind_lexemes()

    assert index_titles(kind, line.pk)[0].count(f"'{kind_lexeme(kind)}'") == 1
    assert "Mantenimiento de áreas verdes del estadio" in budget_group(client, "areas verdes")

    add_kind_lexemes()

    assert index_titles(kind, line.pk)[0].count("mbkind") == 1
    assert pages_rows_with_a_kind_lexeme() == 0


def test_the_admin_finds_categories_and_contractors_by_name(admin_client):
    """The snippet lists find names by their beginning, as an editor types, on both databases."""
    factories.contractor(name="Constructora Illimani")
    factories.category(name="Vías y pavimentos", code="vias-pavimentos")
    listing = admin_client.get("/admin/snippets/works/workcategory/", {"q": "pavim"})
    assert listing.status_code == 200
    assert "Vías y pavimentos" in listing.content.decode()
    listing = admin_client.get("/admin/snippets/works/contractor/", {"q": "illim"})
    assert "Constructora Illimani" in listing.content.decode()


@postgresql_only
def test_a_search_of_named_fields_reads_the_objects_not_the_kind_lexeme():
    """A search of named fields matches the objects' own text, which has no kind lexeme."""
    from wagtail.search.backends import get_search_backend

    from works.models import WorkCategory

    category = factories.category(name="Vías y pavimentos", code="vias-pavimentos")
    assert list(get_search_backend().search("pavimentos", WorkCategory.objects.all(), fields=["name"])) == [category]


def result_count(client, query):
    """The number of results the page announces (0 when nothing is found)."""
    found = re.search(r"(\d+) resultados? para", search_page(client, query))
    return int(found.group(1)) if found else 0


@postgresql_only
def test_only_live_pages_carry_the_locale_lexeme_and_a_whole_tree_search_ranks_from_the_index():
    """A search of the whole tree reads the index alone; of an area, or with a private section,
    it joins the pages. An unpublished page's row loses its locale lexeme, a republished one
    gets it back."""
    from search.filters import source_locale
    from search.results import found_pages

    barrio = factories.neighborhood(title="Miraflores")
    work = factories.work(barrio, title="Graderías del estadio Hernando Siles")
    kind = ContentType.objects.get_for_model(type(work)).pk
    spanish = source_locale()

    assert "mblocale" in index_titles(kind, work.pk)[0]
    assert found_pages("graderías", spanish).index_only is not None
    assert found_pages("graderías", spanish, area=barrio).index_only is None

    work.unpublish()
    assert "mblocale" not in index_titles(kind, work.pk)[0]
    work.save_revision().publish()
    assert "mblocale" in index_titles(kind, work.pk)[0]

    PageViewRestriction.objects.create(page=barrio, restriction_type=PageViewRestriction.LOGIN)
    assert found_pages("graderías", spanish).index_only is None


@postgresql_only
def test_an_unpublished_page_is_neither_shown_nor_counted(client):
    barrio = factories.neighborhood(title="Miraflores")
    kept = factories.work(barrio, title="Graderías del estadio Hernando Siles")
    gone = factories.work(barrio, title="Graderías de la cancha de Villa Fátima")
    assert result_count(client, "graderías") == 2

    gone.unpublish()

    assert result_count(client, "graderías") == 1
    assert list(hrefs(client, "graderías")) == [kept.url]


@postgresql_only
def test_the_migration_drops_the_locale_lexeme_of_pages_not_live_only():
    """Rows indexed before the lexeme meant "live" keep it for unpublished pages: the migration's
    function removes it from those and leaves live pages' rows alone."""
    migration = importlib.import_module("search.migrations.0005_locale_lexeme_for_live_pages")
    barrio = factories.neighborhood(title="Miraflores")
    live = factories.work(barrio, title="Graderías del estadio Hernando Siles")
    draft = factories.work(barrio, title="Graderías de la cancha de Villa Fátima")
    draft.unpublish()
    kind = ContentType.objects.get_for_model(type(live)).pk
    with connection.cursor() as cursor:  # as an index written before this migration
        cursor.execute(
            "UPDATE wagtailsearch_indexentry SET title = title || to_tsvector('simple', %s) "
            "WHERE content_type_id = %s AND object_id = %s",
            [f"mblocale{draft.locale_id}", kind, str(draft.pk)],
        )
    assert "mblocale" in index_titles(kind, draft.pk)[0]

    with connection.schema_editor() as editor:
        migration.drop_lexeme_of_pages_not_live(None, editor)

    assert "mblocale" not in index_titles(kind, draft.pk)[0]
    assert "mblocale" in index_titles(kind, live.pk)[0]
