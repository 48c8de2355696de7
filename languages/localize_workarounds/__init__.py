"""Workarounds for wagtail-localize bugs, one module per bug, each with its own test.

Each module says what goes wrong upstream, links the upstream report, and exports the
``urlpatterns`` that put its fixed view in front of wagtail-localize's own (see
``languages.wagtail_hooks``). Remove a module, its URL and its test once wagtail-localize is fixed.

- ``po_upload``: an uploaded PO file without wagtail-localize's translation ID header (or an
  empty one) is a server error instead of a message.
- ``sync_publish``: "Sync translated pages" → "Publish immediately" publishes without checking
  the publish permission.
- ``draft_translations``: "Translate this page" publishes (or overwrites the live page with)
  unreviewed text.
- ``convert_to_alias``: "Convert to alias" changes the live page for anyone who may edit it.
"""
