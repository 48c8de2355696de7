"""An empty PO file, or one without wagtail-localize's header, gets a message, not a server error.

The bug (wagtail-localize 1.14.5, ``wagtail_localize.views.edit_translation.upload_pofile``):
after parsing the uploaded file, the view reads ``po.metadata["X-WagtailLocalize-TranslationID"]``
without a default. A file that polib parses but that lacks that header raises ``KeyError``, a
500 for the translator, where any other bad file gets "Please upload a valid PO file.". It
happens with an empty (or truncated-to-nothing) file, and with a PO file that went through a
tool which drops custom headers (https://github.com/mozilla/pontoon/issues/3596). A request
without any file is a ``KeyError`` too.

Upstream: no wagtail-localize issue reports this exact ``KeyError`` yet (searched 2026); the
closest are https://github.com/wagtail/wagtail-localize/issues/150 (error handling of the PO
upload buttons) and https://github.com/mozilla/pontoon/issues/3596 (the header dropped by a
translation tool, "affecting wagtail-localize"). File one and link it here.

The fix: ``upload_pofile`` below checks the permission as upstream does, parses the upload
(through a temporary file, as upstream does: polib would read a *path* given as contents), and
when there is no file or the header is missing it shows an error message and redirects to the
``next`` URL, importing nothing. Every other upload (valid, unparseable, another translation's)
is handed unchanged to upstream's view, which gives its own messages.

How it is hooked in: ``urlpatterns`` repeats upstream's path (``/admin/localize/translate/<id>/
pofile/upload/``) without a name. ``languages.wagtail_hooks`` registers it with the
``register_admin_urls`` hook at ``order=-1``, so it comes before wagtail-localize's patterns
(order 0) in the admin URLconf and resolves first; ``reverse("wagtail_localize:upload_pofile")``
still gives the same path, which now reaches this view. No monkeypatching, no middleware, and
Wagtail's admin-access check and user-language activation apply as to every admin URL. The test
``test_the_po_upload_url_reaches_the_workaround`` fails if upstream ever moves the path.
"""

import contextlib
import os
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.admin.views.pages.utils import get_valid_next_url_from_request
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation as upstream

import polib

TRANSLATION_ID_HEADER = "X-WagtailLocalize-TranslationID"


def _has_translation_id(upload):
    """False only for a file that polib parses but that lacks the translation ID header.

    A file polib cannot parse gives True: upstream's view refuses it with its own message.
    The upload is rewound afterwards, so upstream's view reads it from the start.
    """
    with tempfile.NamedTemporaryFile(suffix=".po", delete=False) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    upload.seek(0)
    try:
        po = polib.pofile(handle.name)
    except (OSError, UnicodeDecodeError, ValueError):
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
    return bool(po.metadata.get(TRANSLATION_ID_HEADER))


@require_POST
def upload_pofile(request, translation_id):
    """wagtail-localize's PO upload, with a message for an empty file or a missing header."""
    translation = get_object_or_404(Translation, id=translation_id)
    if not upstream.user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied

    upload = request.FILES.get("file")
    if upload is not None and _has_translation_id(upload):
        return upstream.upload_pofile(request, translation_id)

    messages.error(
        request,
        _(
            "Please upload a valid PO file: this file is empty or has no X-WagtailLocalize-TranslationID "
            "header. Download the PO file of this translation and translate that one."
        ),
    )
    return redirect(get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"))


# Shadows wagtail-localize's "wagtail_localize:upload_pofile" (see the module docstring).
urlpatterns = [
    path("localize/translate/<int:translation_id>/pofile/upload/", upload_pofile),
]
