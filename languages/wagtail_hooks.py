"""Admin URLs of the site-wide pieces: the wagtail-localize workarounds (languages.localize_workarounds).

Registered with ``order=-1`` so that they come before wagtail-localize's own admin URLs (order 0)
and answer on the same paths; see each workaround's docstring.
"""

from wagtail import hooks

from languages.localize_workarounds import po_upload, sync_publish


@hooks.register("register_admin_urls", order=-1)
def register_localize_workaround_urls():
    return [*po_upload.urlpatterns, *sync_publish.urlpatterns]
