"""Site search: the reader's language tree, which includes the Spanish pages not yet translated.

Every page exists in every language (a translation, or an alias showing the Spanish text: see
``home/localization.py``), so searching the active locale's pages gives a reader everything in
their language plus the Spanish fallbacks, each linked under their own prefix. How words are
matched per language on PostgreSQL is ``search/backend.py``.
"""

import unicodedata

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from wagtail.models import Locale, Page

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def clean_query(raw):
    """The words to look for, safe for every database.

    Control and unassigned characters become spaces (PostgreSQL refuses NUL), and so do double
    quotes: plain-text search gives them no meaning, and modelsearch's SQLite backend passes them
    unescaped to FTS5, which fails (wagtail/wagtail#13227). Runs of spaces collapse, and the
    length is capped like the input box's.
    """
    text = "".join(" " if char == '"' or unicodedata.category(char)[0] == "C" else char for char in raw)
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(query)
    # get_page: a page number that is not a number gives the first page, one out of range the last.
    results_page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(request, "pages/search.html", {"search_query": query, "search_results": results_page})
