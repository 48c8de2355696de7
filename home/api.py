"""The read-only API's endpoints: what the public may see (``home.visibility``), and parameters
checked before they reach the database.

Wagtail's endpoints answered 500 to an ``offset`` past what the database's integers hold, to a
``search_operator`` other than ``and``/``or`` and to a ``search`` without a single letter or digit
(the search backend builds no query from it), and PostgreSQL to a NUL character in ``locale``
or ``html_path``; here each is a 400 with a message, like every other
bad parameter. A ``search`` is reduced to its words, as the portal's search page does: quotes and
symbols are query syntax to SQLite's full-text search, which answered 500 to ``"><``.
"""

import re

from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from home.visibility import public_pages

#: The largest ``offset`` accepted: far past any real listing, far below the database's integers.
MAX_OFFSET = 1_000_000
SEARCH_OPERATORS = ("and", "or")
WORD = re.compile(r"\w+")


class CheckedParametersMixin:
    """Refuse, as a 400, the parameters Wagtail would pass on to the database unchecked."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            raise BadRequestError("parameters cannot hold a NUL character")

    def listing_view(self, request):
        offset = request.GET.get("offset", "")
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(f"offset must be at most {MAX_OFFSET}")
        search = request.GET.get("search")
        if search is not None:
            words = WORD.findall(search)
            if not words:
                raise BadRequestError("search must hold at least one letter or digit")
            parameters = request._request.GET.copy()
            parameters["search"] = " ".join(words)
            request._request.GET = parameters
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in SEARCH_OPERATORS:
            raise BadRequestError("search_operator must be 'and' or 'or'")
        return super().listing_view(request)


class PublicPagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint without the aliases and translations of private pages.

    Wagtail's own queryset keeps live pages outside restrictions of their own tree, so the
    Aymara alias of a page in a private Spanish section would be listed, with its full text.
    Lists, detail views and the ``child_of``/``descendant_of`` filters all start from here.
    """

    def get_base_queryset(self):
        return public_pages(super().get_base_queryset())


class CheckedImagesAPIViewSet(CheckedParametersMixin, ImagesAPIViewSet):
    """Wagtail's images endpoint, its parameters checked."""


class CheckedDocumentsAPIViewSet(CheckedParametersMixin, DocumentsAPIViewSet):
    """Wagtail's documents endpoint, its parameters checked."""
