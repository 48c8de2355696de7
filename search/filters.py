"""What a reader can narrow a search to, as plain links: a kind of page, an area, a category.

The kinds are a table of model names, looked up when used: a kind whose model is not installed
(yet) is simply not offered, so adding a page type is adding it here.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, PageViewRestriction, Site

from home.visibility import private_q
from search.memo import held


@dataclass(frozen=True)
class ResultType:
    """A kind of result a reader can ask for (``?tipo=<key>``)."""

    key: str
    label: str
    model_names: tuple

    def models(self):
        """The installed page models of this kind (none while a model has not landed yet)."""
        found = []
        for name in self.model_names:
            try:
                found.append(apps.get_model(name))
            except LookupError:
                continue
        return found


RESULT_TYPES = (
    ResultType("obra", _("Works"), ("works.PublicWorkPage",)),
    ResultType("consulta", _("Consultations"), ("participation.ConsultationPage",)),
    ResultType("noticia", _("News"), ("neighborhoods.NewsPage",)),
    ResultType("barrio", _("Neighbourhoods"), ("neighborhoods.NeighborhoodPage", "neighborhoods.SubmunicipalityPage")),
)


def public(queryset):
    """The pages of ``queryset`` that are not private (``home.visibility``'s rule, kept in memory)."""
    return queryset.exclude(held("private", private_q))


def private_sections():
    """Whether any section of the site is private (kept in memory: ``search/memo.py``)."""
    return held("private-sections", PageViewRestriction.objects.exists)


def locales():
    """Every locale by language code, kept in memory (``search/memo.py``)."""
    return held("locales", lambda: {locale.language_code: locale for locale in Locale.objects.all()})


#: Hosts whose site a worker keeps at most (more are possible when ALLOWED_HOSTS has a wildcard).
MAX_HOSTS = 50


def current_site(request):
    """The site ``request`` is for (Wagtail's ``Site.find_for_request``), kept in memory per host
    and port (``search/memo.py``): a result's link is relative on its own site, full on another."""
    known = held("sites", dict)  # (host, port) → site, until sites or pages change
    key = (request.get_host(), request.get_port())
    if key not in known:
        if len(known) >= MAX_HOSTS:
            known.clear()
        known[key] = Site.find_for_request(request)
    return known[key]


def _locale_for(language_code):
    """The locale of ``language_code`` (as Wagtail's ``Locale.get_for_language``), kept in memory."""
    code = get_supported_content_language_variant(language_code)
    return locales().get(code) or Locale.objects.get(language_code=code)


def active_locale():
    """The reader's locale: the active language's, else the source's (``Locale.get_active``)."""
    try:
        return _locale_for(translation.get_language())
    except (Locale.DoesNotExist, LookupError):
        return source_locale()


def source_locale():
    """The locale content is written in first (Spanish)."""
    return _locale_for(settings.LANGUAGE_CODE)


#: Areas a search can be limited to (``?area=<page id>``).
AREA_MODEL_NAMES = ("neighborhoods.SubmunicipalityPage", "neighborhoods.NeighborhoodPage")


def available_types():
    """The kinds whose models are installed, in the table's order."""
    return [result_type for result_type in RESULT_TYPES if result_type.models()]


def type_for(key):
    """The available kind named ``key``, or None."""
    return next((result_type for result_type in available_types() if result_type.key == key), None)


def area_models():
    return [apps.get_model(name) for name in AREA_MODEL_NAMES]
