"""What languages add to Wagtail: the wagtail-localize workarounds' admin URLs, and the rule that a
translation is served behind its Spanish original's restrictions.

The workaround URLs are registered with ``order=-1`` so that they come before wagtail-localize's
own admin URLs (order 0) and answer on the same paths; see each workaround's docstring.
"""

from django.conf import settings
from django.utils import translation

from wagtail import hooks
from wagtail.wagtail_hooks import check_view_restrictions

from languages.localize_workarounds import convert_to_alias, draft_translations, po_upload, sync_publish
from languages.sources import source_page


@hooks.register("register_admin_urls", order=-1)
def register_localize_workaround_urls():
    return [
        *po_upload.urlpatterns,
        *sync_publish.urlpatterns,
        *draft_translations.urlpatterns,
        *convert_to_alias.urlpatterns,
    ]


hooks.register("construct_page_action_menu", convert_to_alias.hide_convert_to_alias)


@hooks.register("on_serve_page")
def behind_the_originals_restrictions(serve):
    """Serve a translation only to whom its Spanish original would be served.

    Wagtail applies the restrictions of a page's own tree, and an alias's original's
    (``Page.get_view_restrictions``), but not those of a translation's original: a Spanish
    section made private after its English translation existed would stay readable under
    ``/en/``. Here a translation first passes Wagtail's own check on its original (the same
    password form or log-in), then the usual checks on itself. One query more per translated
    page (the original), none for aliases nor for Spanish pages: under the Spanish prefix Wagtail
    routes only through the Spanish tree, so the page is its own original.
    """

    def serve_as_translation(page, request, serve_args, serve_kwargs):
        if page.alias_of_id is not None or translation.get_language() == settings.LANGUAGE_CODE:
            return serve(page, request, serve_args, serve_kwargs)
        original = source_page(page)
        if original is None or original.pk == page.pk:
            return serve(page, request, serve_args, serve_kwargs)

        def serve_the_translation(_original, request, serve_args, serve_kwargs):
            return serve(page, request, serve_args, serve_kwargs)

        return check_view_restrictions(serve_the_translation)(original, request, serve_args, serve_kwargs)

    return serve_as_translation
