"""PostgreSQL full-text search that stems each text in the language it is written in.

modelsearch's PostgreSQL backend indexes and queries everything with one text-search
configuration. The portal holds five languages, and the language of a page's *content* is not
always the language of its tree: a page not yet translated appears in the Aymara, Quechua,
Guaraní and English trees as an alias whose text is the Spanish original. So:

- **Indexing**: each object is indexed with the configuration of its content's language — a
  Spanish page and every alias of it with ``spanish``, a real English translation with
  ``english``, a real Aymara, Quechua or Guaraní translation with ``simple`` (PostgreSQL has no
  stemmer for them: words are only lower-cased), a snippet by its locale, anything else as
  Spanish, the language content is written in first. ``SEARCH_CONFIG_BY_LANGUAGE`` maps
  languages to configurations; a language it does not name gets ``simple``.
- **Querying**: the words are looked up with the configuration of the reader's language *or*
  that of the source language (``to_tsquery(a, q) || to_tsquery(b, q)``), since the reader's
  tree mixes translations and Spanish aliases: ``spanish`` for a Spanish reader,
  ``english`` or ``spanish`` for an English one, ``simple`` or ``spanish`` for the others.
  The reader's language is the active one (``/ay/search/`` activates Aymara). In the admin it
  is the editor's interface language, so an editor finds stemmed Spanish and their own
  language's words; Aymara, Quechua and Guaraní text is found by the exact word wherever the
  Spanish stemmer leaves it unchanged.

Autocomplete keeps modelsearch's ``simple`` configuration (prefixes must not be stemmed), and
fuzzy search does not use configurations at all.

**Accents.** Residents type ``obras publicas`` for ``obras públicas`` and editors sometimes
forget an accent, so every word written with accents (or ñ, ü, Guaraní's nasal marks…) is
indexed twice: as written, and folded (``públicas`` and ``publicas``); and every word of a query
is looked up as typed *or* folded (``('canalización' | 'canalizacion') & 'obras'``). Folding
happens in Python (``search.text.fold``), so no PostgreSQL extension is needed. Indexing the
folded form *besides* the written one, rather than instead of it, keeps Spanish stemming whole:
the stemmer needs the accent to recognise some endings ("canalización" and "canalizaciones"
both become ``canaliz``, but "canalizacion" stays ``canalizacion``), so folding before stemming
would stop "canalización" from finding "canalizaciones" (``tests/search/test_search.py`` measures it).

**Speed.** Every page exists in five trees (translations or aliases), so a word common in
Spanish matches five index rows for each page a reader can see. Each live page's title vector
therefore carries one more lexeme naming its locale (``mblocale<id>``, unstemmed, weight D;
a page unpublished is indexed again without it), and a search of one language tree
(``InLocale``, used by the search page) adds it to the query: the GIN index on ``title || body``
(``search/migrations/0001``; modelsearch indexes the two columns apart but searches their
concatenation, so without it every search reads the whole table) intersects it with the words,
and only the reader's tree's live rows are read and ranked — from the index alone when nothing
else needs the pages (``found_rows``). Likewise
every other object's title vector names its model (``mbkind<content type id>``), and a search
of such a model (budget lines, categories, images…) adds it: modelsearch filters the model's
rows only after reading every row that holds the words, five for each page that mentions
"agua" to find the few budget lines that do.

**Title norms.** modelsearch's PostgreSQL index recomputes, after every update, the average title
length over the whole index and rewrites every row whose norm is the default: two scans of the
index table for each page published, which grows with the city (``bench/search.py`` measures
it). Here each row is written once with its norm, from an average cached for an hour (writing
it, then updating its norm, left a dead copy of every row behind); a full ``update_index``
recomputes every norm as before.

Selected in ``portal/settings/base.py`` when the database is PostgreSQL (the module imports
anywhere; the functions deciding languages and configurations are tested on SQLite too).
"""

import copy
import operator
import re
from collections import defaultdict
from functools import cache as cache_result
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connections
from django.db.models import Avg, F, IntegerField, TextField, Value
from django.db.models.functions import Cast, Length
from django.db.models.sql.subqueries import InsertQuery
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import get_supported_language_variant

from modelsearch.backends.database.postgres.postgres import (
    EMPTY_VECTOR,
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.query import Fuzzy, MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from search.filters import locales
from search.text import fold

#: The configuration of a language missing from ``SEARCH_CONFIG_BY_LANGUAGE``: no stemming.
UNSTEMMED = "simple"


def config_for_language(language_code):
    """The PostgreSQL text-search configuration for text in ``language_code``."""
    mapping = getattr(settings, "SEARCH_CONFIG_BY_LANGUAGE", {})
    code = (language_code or "").lower()
    return mapping.get(code) or mapping.get(code.split("-")[0]) or UNSTEMMED


def source_language():
    """The language content is written in first (Spanish): the default locale's language."""
    return get_supported_language_variant(settings.LANGUAGE_CODE)


def reader_configs(language_code=None):
    """The configurations to query with for a reader of ``language_code`` (default: active).

    The reader's own language's, then the source language's (their fallback pages), without
    repeats: ``("spanish",)`` for Spanish, ``("english", "spanish")`` for English.
    """
    language = language_code or translation.get_language() or settings.LANGUAGE_CODE
    return tuple(dict.fromkeys([config_for_language(language), config_for_language(source_language())]))


def content_languages(objs):
    """The language each of ``objs`` is written in, in order.

    A page is written in its locale's language unless it is an alias: an alias shows the text
    of the page it is an alias of (possibly an alias itself, as in a chain es → en → ay), so it
    is written in that page's language. Another object with a locale (a snippet) is written in
    its locale's language; one without, in the source language. None, or one or two queries
    when there are aliases, for any number of objects.
    """
    from wagtail.models import Page

    objs = list(objs)
    if not objs:
        return []
    languages = {locale.pk: code for code, locale in locales().items()}
    source = source_language()

    # Follow alias_of to the page whose text each alias shows, level by level (unless the page
    # came with it: ``text_locale_id``, set by ``ranked_page_and_total``).
    alias_locale = {}  # id of a page that is aliased → locale id of the text it shows
    pending = {
        obj.alias_of_id
        for obj in objs
        if isinstance(obj, Page) and obj.alias_of_id and getattr(obj, "text_locale_id", None) is None
    }
    seen = set()
    links = {}  # page id → (locale id, alias_of id)
    while pending - seen:
        batch = pending - seen
        seen |= batch
        for pk, locale_id, alias_of_id in Page.objects.filter(pk__in=batch).values_list(
            "pk", "locale_id", "alias_of_id"
        ):
            links[pk] = (locale_id, alias_of_id)
            if alias_of_id:
                pending.add(alias_of_id)

    def shown_locale(page_id):
        if page_id not in alias_locale:
            locale_id, alias_of_id, hops = None, page_id, 0
            while alias_of_id in links and hops <= len(links):
                locale_id, alias_of_id = links[alias_of_id]
                hops += 1
            alias_locale[page_id] = locale_id
        return alias_locale[page_id]

    result = []
    for obj in objs:
        locale_id = getattr(obj, "locale_id", None)
        if isinstance(obj, Page) and obj.alias_of_id:
            locale_id = getattr(obj, "text_locale_id", None) or shown_locale(obj.alias_of_id) or locale_id
        result.append(languages.get(locale_id, source))
    return result


class InLocale(PlainText):
    """Words to look for among the pages of one locale (other backends: plain text)."""

    def __init__(self, query_string, locale_id, operator=PlainText.DEFAULT_OPERATOR):
        super().__init__(query_string, operator=operator)
        self.locale_id = locale_id


def locale_lexeme(locale_id):
    """The lexeme a live page's title vector carries to say which locale's tree it is in."""
    return f"mblocale{int(locale_id)}"


def kind_lexeme(content_type_id):
    """The lexeme an object other than a page carries in its title vector to say what it is."""
    return f"mbkind{int(content_type_id)}"


def marker_vector(lexeme):
    return SearchVector(Value(lexeme, output_field=TextField()), weight="D", config=UNSTEMMED)


def folded_words(text):
    """The words of ``text`` that change when folded, folded: "Vías públicas de El Alto" → "Vias publicas"."""
    return " ".join(folded for word in text.split() if (folded := fold(word)) != word)


#: Cache key of the average title length (in lexemes) that title norms are computed from.
TITLE_LENGTH_CACHE_KEY = "search:average-title-length"
TITLE_LENGTH_CACHE_SECONDS = 60 * 60


class FoldingObjectIndexer(ObjectIndexer):
    """modelsearch's indexer, adding each text's words that have accents, folded (see the module)."""

    def as_vector(self, texts, for_autocomplete=False):
        texts = [(text, weight) for text, weight in texts if text and text.strip()]
        extra = [(folded, weight) for text, weight in texts if (folded := folded_words(text))]
        return super().as_vector(texts + extra, for_autocomplete=for_autocomplete)

    @cached_property
    def title(self):
        """The title's vector, plus the locale lexeme of a live page or the kind lexeme of anything
        else (see the module)."""
        from wagtail.models import Page

        vector = super().title
        if isinstance(self.obj, Page):
            if not (self.obj.locale_id and self.obj.live):
                return vector
            marker = marker_vector(locale_lexeme(self.obj.locale_id))
        else:
            marker = marker_vector(kind_lexeme(get_content_type_pk(self.obj._meta.model)))
        return marker if vector is EMPTY_VECTOR else vector + marker


class LanguageAwareIndex(PostgresIndex):
    """Index each object with its content language's configuration, accents both ways."""

    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        objs = list(objs)
        if not objs:
            return
        groups = defaultdict(list)
        for obj, language in zip(objs, content_languages(objs), strict=True):
            groups[config_for_language(language)].append(obj)
        content_type_pk = get_content_type_pk(model)
        average = self.average_title_length()
        for config, group in groups.items():
            indexers = [FoldingObjectIndexer(obj, self.backend.with_config(config)) for obj in group]
            self._upsert(content_type_pk, indexers, average)

    def _upsert(self, content_type_pk, indexers, average_title_length):
        """Write the index rows of ``indexers`` (modelsearch's ``add_items``), each with its title
        norm: the index's average title length over its own (the new rows' average in an empty
        index), 1.0 without a title."""
        compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
        rows, params = [], []
        for indexer in indexers:
            values = [content_type_pk, indexer.id]
            placeholders = ["%s", "%s"]
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(IndexEntry._meta.get_field(name), getattr(indexer, name))
                sql, sql_params = value.as_sql(compiler, self.write_connection)
                placeholders.append(sql)
                values.extend(sql_params)
            values.extend([indexer.title_text, indexer.body_text])
            rows.append(f"({', '.join(placeholders)}, %s, %s)")
            params.extend(values)
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table}
                    (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
                SELECT content_type_id, object_id, title, autocomplete, body,
                       CASE WHEN length(title) > 0
                            THEN coalesce(%s::float8, avg(nullif(length(title), 0)) OVER ()) / length(title)
                            ELSE 1.0 END,
                       title_text, body_text
                FROM (VALUES {", ".join(rows)})
                    AS new (content_type_id, object_id, title, autocomplete, body, title_text, body_text)
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title, title_norm = EXCLUDED.title_norm,
                              autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text, body_text = EXCLUDED.body_text
                """,  # noqa: S608 - table name from the model, values as parameters
                [average_title_length, *params],
            )

    def average_title_length(self):
        """The index's average title length in lexemes, from the cache (recomputed once an hour)."""
        average = cache.get(TITLE_LENGTH_CACHE_KEY)
        if average is None:
            average = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            if average is None:
                return None
            cache.set(TITLE_LENGTH_CACHE_KEY, average, TITLE_LENGTH_CACHE_SECONDS)
        return average

    def _refresh_title_norms(self, full=False):
        """After a full rebuild (``update_index``), every norm from a fresh average, as modelsearch does."""
        cache.delete(TITLE_LENGTH_CACHE_KEY)
        super()._refresh_title_norms(full=full)


class LanguageAwareQueryCompiler(PostgresSearchQueryCompiler):
    """Look the words up with each of the reader's configurations (an OR of tsqueries), each
    word as typed or folded."""

    def get_config(self, backend):
        return reader_configs()

    def build_tsquery(self, query, config=None):
        """The words, and the lexeme saying where to look (a locale's tree, a kind of object)."""
        tsquery = self.words_tsquery(query, config=config)
        if tsquery is None or self.fields is not None:
            return tsquery  # a search of named fields reads the objects' fields, not the index's markers
        if isinstance(query, InLocale):
            tsquery &= SearchQuery(Lexeme(locale_lexeme(query.locale_id)), search_type="raw", config=UNSTEMMED)
        elif kinds := self.kind_lexemes():
            tsquery &= SearchQuery(reduce(operator.or_, kinds), search_type="raw", config=UNSTEMMED)
        return tsquery

    def words_tsquery(self, query, config=None):
        """The words alone, looked up with each of ``config``'s configurations."""
        if not isinstance(config, (list, tuple)):
            return super().build_tsquery(query, config=config)
        tsqueries = [super(LanguageAwareQueryCompiler, self).build_tsquery(query, config=c) for c in config]
        if any(tsquery is None for tsquery in tsqueries):
            return None
        return reduce(operator.or_, tsqueries)

    def build_tsrank(self, vector, query, config=None, boost=1.0):
        """How well a row matches, from the words alone.

        The locale or kind lexeme says which rows to read, not how good they are: ranked with
        it, a text without it (every body) scored nearly zero whatever its words, and a title
        scored by how close the words stand to its end, where the lexeme sits.
        """
        if isinstance(query, (Phrase, PlainText, Not)):
            rank = SearchRank(vector, self.words_tsquery(query, config=config), weights=self.sql_weights)
            return rank * boost if boost != 1.0 else rank
        return super().build_tsrank(vector, query, config=config, boost=boost)

    def kind_lexemes(self):
        """For a search of a model other than pages, the kind lexemes of it and its subclasses."""
        from wagtail.models import Page

        model = self.queryset.model
        if issubclass(model, Page):
            return []
        return [Lexeme(kind_lexeme(pk)) for pk in sorted(get_descendants_content_types_pks(model))]

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, PlainText):
            lexemes = [self.either_form(term, invert) for term in re.split(r"[\s\-]+", query.query_string) if term]
            if not lexemes:
                return None
            combine = operator.and_ if query.operator == "and" else operator.or_
            return SearchQuery(reduce(combine, lexemes), search_type="raw", config=config)
        if isinstance(query, Phrase) and (folded := fold(query.query_string)) != query.query_string:
            phrases = [SearchQuery(text, search_type="phrase", config=config) for text in (query.query_string, folded)]
            return ~(phrases[0] | phrases[1]) if invert else phrases[0] | phrases[1]
        return super().build_tsquery_content(query, config=config, invert=invert)

    def search(self, config, start, stop, score_field=None, backend=None):
        """modelsearch's search, without returning each row's whole vector.

        modelsearch selects ``title || body`` as a column to filter on it, so PostgreSQL built
        that vector for every row found, thousands for a common word, before ranking and keeping
        ten (and sent those ten's vectors to Python, unused). Filtering on an alias costs nothing.
        """
        if isinstance(self.query, (MatchAll, Fuzzy)) or (
            isinstance(self.query, Not) and isinstance(self.query.subquery, MatchAll)
        ):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        search_query = self.build_tsquery(self.query, config=config)
        vectors = self.get_search_vectors(search_query)
        rank_expression = self._build_rank_expression(vectors, config)
        combined_vector = vectors[0][0]
        for vector, _boost in vectors[1:]:
            combined_vector = combined_vector._combine(vector, "||", False)
        queryset = self.queryset.alias(_vector_=combined_vector).filter(_vector_=search_query)
        return self._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)

    @staticmethod
    def either_form(term, invert=False):
        """The term as typed or folded ("públicas" → 'públicas' | 'publicas'); inverted, neither."""
        lexeme = Lexeme(term, invert=invert)
        folded = fold(term)
        if folded == term:
            return lexeme
        other = Lexeme(folded, invert=invert)
        return lexeme & other if invert else lexeme | other


def found_rows(results, index_only=None):
    """The rows a page search finds, as a queryset of (page id, content type id, rank).

    By default modelsearch's: the index joined to the pages, with every filter of the searched
    queryset. ``index_only`` — ``(content type ids, page ids left out)`` — reads the index alone,
    for a search of a whole language tree without private sections: the locale lexeme names the
    live pages of the tree (``FoldingObjectIndexer.title``), so joining thousands of pages only to
    check that (the larger part of a common word's time) is not needed.
    """
    compiler = results.query_compiler
    config = compiler.get_config(results.backend)
    if index_only is None:
        queryset = compiler.search(config, None, None, score_field="mb_rank")
        return queryset.order_by().values_list("pk", "content_type", "mb_rank")
    content_types, leave_out = index_only
    # modelsearch's rank (title by its norm, plus body), read from the index row itself.
    rank = compiler._build_rank_expression([(F("title"), F("title_norm")), (F("body"), 1.0)], config)
    rows = (
        IndexEntry.objects.using(compiler.queryset.db)
        .filter(content_type_id__in=content_types)
        .alias(_vector_=F("title")._combine(F("body"), "||", False))
        .filter(_vector_=compiler.build_tsquery(compiler.query, config=config))
    )
    if leave_out:
        rows = rows.exclude(object_id__in=[str(pk) for pk in leave_out])
    return rows.annotate(page_id=Cast("object_id", IntegerField()), mb_rank=rank).values_list(
        "page_id", "content_type_id", "mb_rank"
    )


#: The columns of each page shown that a result reads (``search.results.describe``), besides
#: the text its index row was made of (``index_text``).
SHOWN_PAGE_COLUMNS = {
    "title",
    "url_path",
    "path",
    "depth",
    "locale_id",
    "alias_of_id",
    "content_type_id",
    "search_description",
}


@cache_result
def shown_page_columns():
    """``SHOWN_PAGE_COLUMNS`` in the order of the page's fields, as ``Model.from_db`` reads them."""
    from wagtail.models import Page

    return [field.attname for field in Page._meta.concrete_fields if field.attname in SHOWN_PAGE_COLUMNS]


def ranked_page_sql(results, start, stop, index_only=None):
    """The SQL and parameters of ``ranked_page_and_total`` (``bench/search.py`` times it)."""
    queryset = found_rows(results, index_only)
    sql, params = queryset.query.sql_with_params()
    columns = ", ".join(f"shown.{name}" for name in shown_page_columns())
    return (
        f"""
        WITH found (id, content_type_id, rank) AS MATERIALIZED ({sql})
        SELECT page.id, total.count, {columns}, entry.body_text, source.locale_id, source.alias_of_id
        FROM (SELECT count(*) FROM found) AS total
        LEFT JOIN LATERAL (
            SELECT id, content_type_id, rank FROM found ORDER BY rank DESC, id DESC LIMIT %s OFFSET %s
        ) AS page ON true
        LEFT JOIN wagtailcore_page AS shown ON shown.id = page.id AND shown.live
        LEFT JOIN wagtailcore_page AS source ON source.id = shown.alias_of_id
        LEFT JOIN {IndexEntry._meta.db_table} AS entry
            ON entry.content_type_id = page.content_type_id AND entry.object_id = page.id::text
        ORDER BY page.rank DESC, page.id DESC
        """,  # noqa: S608 - the search's own SQL and names from models, values as parameters
        [*params, None if stop is None else max(0, stop - start), start],
        queryset.db,
    )


def ranked_page_and_total(results, start, stop, index_only=None):
    """The results ``start``…``stop`` of a page search, best first, and how many results there
    are in all: one query (``found_rows`` says which rows).

    Counting apart (modelsearch's ``count()``) found and joined every matching row a second
    time, as much work as the ranking itself; here the rows found are kept (a materialised CTE)
    and both counted and ranked. The pages come as plain ``Page`` objects holding only what a
    result shows, and the text they were indexed with as ``index_text`` (for the excerpt), read
    in the same query: fetching each kind of page apart was a query per kind. ``stop`` None:
    to the end. An alias also comes with the locale of the text it shows (``text_locale_id``,
    read by ``content_languages``) unless that page is an alias too.
    """
    from wagtail.models import Page

    sql, params, database = ranked_page_sql(results, start, stop, index_only)
    with connections[database].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    pages = []
    for pk, _count, *values, index_text, source_locale_id, source_alias_of_id in rows:
        if pk is None or values[0] is None:  # no result, or a page unpublished since it was indexed
            continue
        page = Page.from_db(database, ("id", *shown_page_columns()), (pk, *values))
        page.index_text = index_text or ""
        if source_locale_id is not None and source_alias_of_id is None:
            page.text_locale_id = source_locale_id  # an alias of a page that is not one itself
        pages.append(page)
    return pages, rows[0][1]


class LanguageAwareSearchBackend(PostgresSearchBackend):
    """PostgreSQL search in each text's own language (see the module's docstring)."""

    query_compiler_class = LanguageAwareQueryCompiler
    index_class = LanguageAwareIndex

    def __init__(self, params):
        super().__init__(params)
        # modelsearch's single configuration, used only when something indexes outside
        # LanguageAwareIndex.add_items: the source language's.
        self.config = params.get("SEARCH_CONFIG") or config_for_language(source_language())

    def with_config(self, config):
        """A copy of this backend that indexes with ``config``."""
        backend = copy.copy(self)
        backend.config = config
        return backend


SearchBackend = LanguageAwareSearchBackend
