"""The API's pages endpoint, narrowed to what the public may see (``home.visibility``)."""

from wagtail.api.v2.views import PagesAPIViewSet

from home.visibility import public_pages


class PublicPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint without the aliases and translations of private pages.

    Wagtail's own queryset keeps live pages outside restrictions of their own tree, so the
    Aymara alias of a page in a private Spanish section would be listed, with its full text.
    Lists, detail views and the ``child_of``/``descendant_of`` filters all start from here.
    """

    def get_base_queryset(self):
        return public_pages(super().get_base_queryset())
