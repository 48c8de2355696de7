"""Requests the portal refuses, or reads as UTF-8, before any view reads them.

Refused with a 400 page in the reader's language:

- A NUL character in the path: no page or file of the portal has one in its address. (In a query
  string or a form the portal answers on the field: the search page ignores it, a form says so.)
- Outside the admin, a ``multipart/form-data`` body (public forms take no files) or any body
  declared larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``: refused from its headers, before a byte of
  it is read or spooled to disk.

A form body declared in another character set than UTF-8 (``charset=utf-16``) is read as UTF-8,
as Django already reads one in a character set it does not know: the portal's pages only ever send
UTF-8, and decoding a UTF-8 body as UTF-16 failed (500). Bytes that are not UTF-8 become U+FFFD.
"""

from django.conf import settings
from django.views.defaults import bad_request

from csp.middleware import CSPMiddleware
from csp.utils import default_config

#: Where staff upload files (images, documents, spreadsheets) and may send larger bodies.
STAFF_PREFIXES = ("/admin/",)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseBadRequestsMiddleware:
    """Answer 400 to what the module's docstring lists, read forms as UTF-8; let the rest through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        media_type = request.META.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
        if media_type in FORM_TYPES:
            request.encoding = "utf-8"  # whatever charset the body declares
        reason = self.refusal(request, media_type)
        if reason:
            return bad_request(request, ValueError(reason))
        return self.get_response(request)

    @staticmethod
    def refusal(request, media_type: str) -> str:
        """Why ``request`` is refused, or "" when it is not."""
        if "\x00" in request.path:
            return "NUL in the address"
        if media_type not in FORM_TYPES or request.path.startswith(STAFF_PREFIXES):
            return ""
        if media_type == "multipart/form-data":
            return "a file upload to a public form"
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return "a malformed Content-Length"
        if settings.DATA_UPLOAD_MAX_MEMORY_SIZE is not None and length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return "a body over the limit"
        return ""


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy (``settings.ADMIN_CONTENT_SECURITY_POLICY``).

    Public pages get ``CONTENT_SECURITY_POLICY``: scripts and styles from the portal only, no inline
    script at all (so a page kept by a front cache needs no nonce). Wagtail's admin writes inline
    scripts in its widgets (date pickers, inline panels) without a nonce, so under ``/admin/`` scripts
    may also be inline; nothing else is allowed there that the public policy does not allow.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(STAFF_PREFIXES):
            parts.config = default_config(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: the portal uses no camera, microphone or payment; geolocation only
    from its own pages ("Use my location" on the map)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
