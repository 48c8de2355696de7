"""Remember the language a reader chose by reading under its prefix.

Django's ``LocaleMiddleware`` sends ``/`` to the language in the ``django_language`` cookie, else
to the best match for the browser's ``Accept-Language``. A reader who follows the language
switcher to ``/ay/...`` has chosen Aymara, so this sets the cookie to ``ay``: a later visit to
``/`` goes to ``/ay/`` even if the browser asks for Spanish. No cookie is set for errors or
redirects, nor when it already holds the language.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class RememberLanguageMiddleware:
    """Set the language cookie to the language prefix of a page served successfully."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not 200 <= response.status_code < 300:
            return response
        language = translation.get_language_from_path(request.path_info)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without its 404 redirect for paths outside the public site.

    For a 404 on a path without a language prefix, Django redirects to ``/es/<path>`` whenever
    that path would resolve — and behind Wagtail's catch-all every path would. The admin, the
    API, documents, static and media files live outside the language prefix: a missing one is
    a plain 404, not a redirect into the public site.
    """

    UNPREFIXED = ("/admin/", "/api/", "/documents/", "/static/", "/media/", "/i18n/")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.UNPREFIXED):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
