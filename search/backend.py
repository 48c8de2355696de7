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

Selected in ``portal/settings/base.py`` when the database is PostgreSQL (the module imports
anywhere; the functions deciding languages and configurations are tested on SQLite too).
"""

import copy
import operator
from collections import defaultdict
from functools import reduce

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

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
    its locale's language; one without, in the source language. Two or three queries for any
    number of objects.
    """
    from wagtail.models import Locale, Page

    objs = list(objs)
    if not objs:
        return []
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    source = source_language()

    # Follow alias_of to the page whose text each alias shows, level by level.
    alias_locale = {}  # id of a page that is aliased → locale id of the text it shows
    pending = {obj.alias_of_id for obj in objs if isinstance(obj, Page) and obj.alias_of_id}
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
            locale_id = shown_locale(obj.alias_of_id) or locale_id
        result.append(languages.get(locale_id, source))
    return result


class LanguageAwareIndex(PostgresIndex):
    """Index each object with its content language's configuration."""

    def add_items(self, model, objs):
        objs = list(objs)
        groups = defaultdict(list)
        for obj, language in zip(objs, content_languages(objs), strict=True):
            groups[config_for_language(language)].append(obj)
        for config, group in groups.items():
            # modelsearch's indexer takes the configuration from the index's backend.
            index = copy.copy(self)
            index.backend = self.backend.with_config(config)
            super(LanguageAwareIndex, index).add_items(model, group)


class LanguageAwareQueryCompiler(PostgresSearchQueryCompiler):
    """Look the words up with each of the reader's configurations (an OR of tsqueries)."""

    def get_config(self, backend):
        return reader_configs()

    def build_tsquery(self, query, config=None):
        if not isinstance(config, (list, tuple)):
            return super().build_tsquery(query, config=config)
        tsqueries = [super(LanguageAwareQueryCompiler, self).build_tsquery(query, config=c) for c in config]
        if any(tsquery is None for tsquery in tsqueries):
            return None
        return reduce(operator.or_, tsqueries)


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
