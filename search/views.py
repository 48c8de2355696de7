"""Site search: the reader's language tree, which includes the Spanish pages not yet translated.

Every page exists in every language (a translation, or an alias showing the Spanish text: see
``languages/aliases.py``), so searching the active locale's pages gives a reader everything in
their language plus the Spanish fallbacks, each linked under their own prefix (and marked as
Spanish). How words are matched per language and without accents on PostgreSQL is
``search/backend.py``; what the page shows, and in which order, is ``search/results.py``.

A reader sees: the box with their words; editors' recommendations and the places they named
first; the results, ten a page, with their words marked; links narrowing them to a kind of page,
a submunicipality or a neighbourhood; and, beside them, the budgets and categories of works
that mention the words. Anything typed into the address gives a normal page.
"""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from search import filters
from search.areas import areas_of
from search.memo import one_version
from search.results import (
    PinnedThenFound,
    budget_areas,
    category_named,
    describe,
    found_pages,
    in_filters,
    matching_categories,
    named_places,
    promotions,
)
from search.text import MAX_QUERY_LENGTH, clean_query, highlight_terms

RESULTS_PER_PAGE = 10


def search(request):
    with one_version():
        return _search(request)


def _search(request):
    query, shortened = clean_query(request.GET.get("q", ""))
    locale = filters.active_locale()
    notes = []
    if shortened:
        notes.append(_("Your search was shortened to its first %(count)s characters.") % {"count": MAX_QUERY_LENGTH})

    result_type = filters.type_for(request.GET.get("tipo", ""))
    areas = areas_of(locale)
    area = areas.get(request.GET.get("area", ""))
    category = category_named(request.GET.get("categoria", ""), locale)
    if category:
        result_type = filters.type_for("obra")
    asked = (("tipo", result_type), ("area", area), ("categoria", category))
    if any(request.GET.get(name) and value is None for name, value in asked):
        notes.append(_("A filter in the address was not understood and is left out."))

    site = filters.current_site(request)
    context = {
        "search_query": query,
        "notes": notes,
        "result_types": filters.available_types(),
        "result_type": result_type,
        "area": area,
        "category": category,
        "search_results": None,
        "current_site": site,
    }
    if query or area or result_type or category:
        terms = highlight_terms(query)
        pinned = []
        if query and not category:
            pinned = [
                item
                for item in promotions(query, locale) + named_places(query, locale)
                if _pinned_page(item) is None or in_filters(_pinned_page(item), result_type, area)
            ]
            pinned = _without_repeats(pinned)
        found = found_pages(
            query,
            locale,
            result_type=result_type,
            area=area,
            category_code=category.code if category else None,
            leave_out=[page.pk for item in pinned if (page := _pinned_page(item)) is not None],
        )
        if hasattr(found, "expect"):  # counted with the page asked for (PostgreSQL)
            first = (_page_number(request.GET.get("page")) - 1) * RESULTS_PER_PAGE - len(pinned)
            found.expect(max(0, first), max(0, first + RESULTS_PER_PAGE))
        results_page = Paginator(PinnedThenFound(pinned, found), RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results_page.object_list = describe(list(results_page.object_list), terms, request, locale, site)
        context["search_results"] = results_page
        context["submunicipalities"] = areas.submunicipalities
        if area:
            submunicipality = areas.submunicipality_of(area)
            context["area_submunicipality"] = submunicipality
            context["neighborhoods"] = areas.neighborhoods_of(submunicipality) if submunicipality else []
        if query and results_page.number == 1 and not (result_type or area or category):
            context["budget_areas"] = budget_areas(query, locale, request, site, terms)
            context["categories"] = matching_categories(query, locale)
    return TemplateResponse(request, "search/search.html", context)


def _page_number(raw):
    """The page of results asked for, as the paginator will read it (1 when not a number)."""
    return int(raw) if (raw or "").isascii() and (raw or "").isdigit() and 0 < len(raw) < 7 and int(raw) > 0 else 1


def _pinned_page(item):
    return item[1] if isinstance(item, tuple) else item


def _without_repeats(items):
    seen, kept = set(), []
    for item in items:
        page = _pinned_page(item)
        key = ("page", page.pk) if page is not None else ("link", item[0].pk)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept
