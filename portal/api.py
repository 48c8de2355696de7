"""The public, read-only Wagtail API v2, mounted at /api/v2/ (outside the language prefixes).

Three endpoints: ``pages/`` (what the public may see, ``home.visibility``; filter a language with
``?locale=es``), ``images/`` and ``documents/`` (Wagtail leaves out those in collections with a
view restriction). Which fields each page type shows is its ``api_fields``. The API only reads:
the viewsets answer GET (and HEAD/OPTIONS) and nothing else.
"""

from wagtail.api.v2.router import WagtailAPIRouter

from home.api import CheckedDocumentsAPIViewSet, CheckedImagesAPIViewSet, PublicPagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", CheckedImagesAPIViewSet)
api_router.register_endpoint("documents", CheckedDocumentsAPIViewSet)
