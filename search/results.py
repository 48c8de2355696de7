"""What a search shows, in order: editors' recommendations, the places named by the query, then
the pages found by full-text search; beside them, the areas whose budget mentions the words and
the categories of works they name.

Every piece costs a fixed number of queries, whatever the number of results.
"""

from dataclasses import dataclass, field

from django.utils.html import strip_tags

from modelsearch.utils import get_descendants_content_types_pks
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.utils import normalise_query_string

from budgets.models import BudgetLine
from search.areas import areas_of
from search.backend import InLocale, LanguageAwareSearchBackend, content_languages, ranked_page_and_total
from search.filters import area_models, private_sections, public, source_locale
from search.memo import held
from search.text import comparable, excerpt, fold, has_match, highlight
from works.models import PublicWorkPage, WorkCategory

#: Pages named by the query put first, at most.
MAX_NAMED_PLACES = 5
#: Budget lines read for the "Budget" group, and areas shown in it.
MAX_BUDGET_LINES = 30
MAX_BUDGET_AREAS = 5
MAX_CATEGORIES = 5
#: Fields whose text can make a result's excerpt, the first that has the words winning.
EXCERPT_FIELDS = ("search_description", "summary", "intro", "description")


@dataclass
class Result:
    """One entry of the results list, as the template shows it."""

    url: str
    title: str
    page: Page | None = None
    kind: str = ""
    excerpt: str = ""
    places: list = field(default_factory=list)
    language: str = ""  # the language the text is in, when not the reader's
    recommended: bool = False


class PinnedThenFound:
    """A sequence for Django's Paginator: pages put first (``pinned``), then the search's results.

    ``found`` must already leave the pinned pages out. Counting costs one query; a slice costs
    one search query (none when it holds only pinned pages).
    """

    def __init__(self, pinned, found):
        self.pinned = list(pinned)
        self.found = found

    def count(self):
        return len(self.pinned) + self.found.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return list(self[index : index + 1])[0]
        start, stop = index.start or 0, index.stop
        items = self.pinned[start:stop]
        if stop is None or stop > len(self.pinned):
            found_start = max(0, start - len(self.pinned))
            found_stop = None if stop is None else stop - len(self.pinned)
            items += list(self.found[found_start:found_stop])
        return items


class CountedWithPage:
    """Full-text results (PostgreSQL, ``search/backend.py``) counted together with the page of them
    a reader asked for, in one query that also reads what each result shows
    (``ranked_page_and_total``): ``expect(start, stop)`` says which (by default none: the count
    alone); a slice of another range costs one more query. ``index_only``: see
    ``search.backend.found_rows``.
    """

    def __init__(self, results, index_only=None):
        self.results = results
        self.index_only = index_only
        self.expected = (0, 0)
        self.total = None
        self.fetched = {}  # (start, stop) → pages

    def expect(self, start, stop):
        self.expected = (start, stop)

    def count(self):
        if self.total is None:
            self._fetch(*self.expected)
        return self.total

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        key = self._key(start, stop)
        return self.fetched[key] if key in self.fetched else self._fetch(start, stop)

    def _key(self, start, stop):
        """A range of results as far as they go (the paginator asks for 0…3 of 3, not 0…10)."""
        return (start, self.total if stop is None or (self.total is not None and stop > self.total) else stop)

    def _fetch(self, start, stop):
        found, self.total = ranked_page_and_total(self.results, start, stop, self.index_only)
        self.fetched[self._key(start, stop)] = found
        return found


def named_places(query, locale, limit=MAX_NAMED_PLACES):
    """The submunicipalities and neighbourhoods whose name the query is, or begins, in that order.

    Compared without accents or case, against the whole name or its end ("cotahuma" names
    "Subalcaldía Cotahuma"), among the areas the worker holds (``search/areas.py``). One query
    for the pages named, none when none is.
    """
    wanted = comparable(query)
    if not wanted:
        return []
    ids = [area.pk for area in areas_of(locale).named(wanted)[:limit]]
    pages = public(Page.objects.live()).filter(pk__in=ids).specific().in_bulk() if ids else {}
    return [pages[pk] for pk in ids if pk in pages]


def promotions(query, locale):
    """Editors' recommended results for the query, for a reader of ``locale``.

    A promoted page in the reader's language is shown as it is; a promoted Spanish page, the
    source of every other language, is shown as its translation or alias in the reader's tree;
    a promoted page in another language is for that language's readers only. External links
    are for everyone. Matched like Wagtail's promotions (lower case, spaces collapsed), and also
    without accents. None, or two or three queries when the query is promoted.
    """
    strings = {normalise_query_string(query), normalise_query_string(fold(query))}
    if not strings & promoted_queries():
        return []
    chosen = list(
        SearchPromotion.objects.filter(query__query_string__in=strings)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    source = source_locale()
    keys = {p.page.translation_key for p in chosen if p.page and p.page.locale_id == source.pk}
    in_reader_tree = {}
    if keys and locale.pk != source.pk:
        in_reader_tree = {
            page.translation_key: page
            for page in public(Page.objects.live()).filter(locale=locale, translation_key__in=keys).specific()
        }
    shown = []
    for promotion in chosen:
        if promotion.page is None:
            if promotion.external_link_url:
                shown.append((promotion, None))
            continue
        page = promotion.page
        if page.locale_id != locale.pk:
            page = in_reader_tree.get(page.translation_key) if page.locale_id == source.pk else None
        if page is not None and page.live:
            shown.append((promotion, page))
    # The promoted pages themselves, specific, live and public, in one query per page type.
    ids = [page.pk for _promotion, page in shown if page is not None]
    visible = public(Page.objects.live()).filter(pk__in=ids).specific().in_bulk() if ids else {}
    return [
        (promotion, visible[page.pk] if page else None) for promotion, page in shown if not page or page.pk in visible
    ]


def promoted_queries():
    """The query strings editors promoted results for (kept in memory: ``search/memo.py``)."""
    return held("promoted", lambda: set(SearchPromotion.objects.values_list("query__query_string", flat=True)))


def in_filters(page, result_type, area):
    """Whether a pinned page fits the reader's filters (a kind, an area)."""
    if result_type and not isinstance(page, tuple(result_type.models())):
        return False
    return not (area and not page.path.startswith(area.path))


def found_pages(query, locale, result_type=None, area=None, category_code=None, leave_out=()):
    """The pages found by full-text search (by title without a query), as a lazy result set.

    On PostgreSQL, a search of the whole tree, or of kinds of pages, ranks from the search index
    alone unless some section is private (``search.backend.found_rows``).
    """
    if category_code:
        queryset = PublicWorkPage.objects.filter(
            category__in=list(WorkCategory.objects.filter(code=category_code).values_list("pk", flat=True))
        )
    elif result_type:
        queryset = Page.objects.type(*result_type.models())
    else:
        queryset = Page.objects.all()
    queryset = public(queryset.live()).filter(locale=locale)
    if area:
        queryset = queryset.filter(path__startswith=area.path)
    if leave_out:
        queryset = queryset.exclude(pk__in=list(leave_out))
    if not query:
        return queryset.specific().order_by("title", "pk")
    results = queryset.specific().search(InLocale(query, locale.pk))
    if not isinstance(results.backend, LanguageAwareSearchBackend):
        return results
    if area or category_code or private_sections():
        return CountedWithPage(results)
    models = result_type.models() if result_type else [Page]
    content_types = sorted({pk for model in models for pk in get_descendants_content_types_pks(model)})
    return CountedWithPage(results, index_only=(content_types, list(leave_out)))


def page_text(page):
    """The texts of ``page`` an excerpt can come from, in order of preference: its fields, or
    for a page found on PostgreSQL its description for search engines, then the text it was
    indexed with (its summary, introduction, description… as one text)."""
    texts = []
    for name in EXCERPT_FIELDS:
        value = getattr(page, name, "")
        if isinstance(value, str) and value.strip():
            texts.append(strip_tags(value) if name == "description" else value)
    if getattr(page, "index_text", ""):
        texts.append(page.index_text)
    return texts


def describe(items, terms, request, locale, site):
    """Turn pages (and ``(promotion, page)`` pairs) into ``Result``s for the template, linked as
    seen from ``site`` (``search.filters.current_site``).

    None, or one or two queries when there are aliases, for the languages their texts are in;
    the areas they are in are the ones the worker holds (``search/areas.py``).
    """
    pages = [item[1] if isinstance(item, tuple) else item for item in items]
    pages_only = [page for page in pages if page is not None]
    languages = dict(zip([p.pk for p in pages_only], content_languages(pages_only), strict=True))
    areas = areas_of(locale)
    reader_language = locale.language_code

    results = []
    for item, page in zip(items, pages, strict=True):
        promotion = item[0] if isinstance(item, tuple) else None
        if page is None:
            results.append(
                Result(
                    url=promotion.external_link_url,
                    title=highlight(promotion.external_link_text or promotion.external_link_url, terms),
                    excerpt=excerpt(promotion.description, terms),
                    recommended=True,
                )
            )
            continue
        texts = ([promotion.description] if promotion and promotion.description else []) + page_text(page)
        chosen = next((text for text in texts if has_match(text, terms)), texts[0] if texts else "")
        language = languages.get(page.pk, reader_language)
        results.append(
            Result(
                url=page.get_url(request, current_site=site),
                title=highlight(page.title, terms),
                page=page,
                kind=page.specific_class._meta.verbose_name if page.specific_class else "",
                excerpt=excerpt(chosen, terms),
                places=areas.names_above(page),
                language="" if language == reader_language else language,
                recommended=promotion is not None,
            )
        )
    return results


def budget_areas(query, locale, request, site, terms):
    """The areas whose budget lines mention the query, each with a link to its budget page (as
    seen from ``site``).

    Lines belong to the Spanish pages; each area is shown and linked in the reader's tree (from
    the areas the worker holds), the newest years first. One query, for the lines.
    """
    matching = BudgetLine.objects.only("fiscal_year", "description", "area_id").order_by("-fiscal_year", "area_id")
    lines = list(get_search_backend().search(query, matching, order_by_relevance=False)[:MAX_BUDGET_LINES])
    if not lines:
        return []
    spanish, readers = areas_of(source_locale()), areas_of(locale)
    by_area = {}  # the reader's area → its lines
    for line in lines:
        source = spanish.by_pk.get(line.area_id)
        area = readers.by_key.get(source.translation_key) if source else None
        if area is not None:
            by_area.setdefault(area, []).append(line)
    return [
        {
            "area": area,
            "url": budget_url(area, request, site),
            "count": len(area_lines),
            "lines": [
                {"year": line.fiscal_year, "description": highlight(line.description, terms)} for line in area_lines[:3]
            ],
        }
        for area, area_lines in list(by_area.items())[:MAX_BUDGET_AREAS]
    ]


def budget_url(area, request, site):
    """The link to an area's budget page, made from what the worker holds of it (no query)."""
    model = area_models()[0 if area.is_submunicipality else 1]
    fields = {"id": area.pk, "title": area.title, "path": area.path, "depth": area.depth, "url_path": area.url_path}
    page = model.from_db(None, list(fields), list(fields.values()))
    return page.get_url(request, current_site=site) + page.reverse_subpage("budget")


def matching_categories(query, locale):
    """The categories of works whose name the query matches, in the reader's language where translated.

    By name; one query.
    """
    categories = WorkCategory.objects.filter(locale_id__in={locale.pk, source_locale().pk})
    by_code = {}
    for category in get_search_backend().search(query, categories, order_by_relevance=False):
        if category.code not in by_code or category.locale_id == locale.pk:
            by_code[category.code] = category
    return sorted(by_code.values(), key=lambda category: category.name.casefold())[:MAX_CATEGORIES]


def category_named(code, locale):
    """The category with ``code``, in the reader's language if translated, else in Spanish; or None."""
    if not code or len(code) > 40 or "\x00" in code:  # PostgreSQL refuses NUL in text
        return None
    candidates = {c.locale_id: c for c in WorkCategory.objects.filter(code=code)}
    return candidates.get(locale.pk) or candidates.get(source_locale().pk) or next(iter(candidates.values()), None)
