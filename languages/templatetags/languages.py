"""The page in every language: the language switcher, ``hreflang`` alternates and the notice
shown on a page that is not translated yet.

``{% language_versions as languages %}`` (once, at the top of ``base.html``) gives, for each
language of ``settings.LANGUAGES``, where the current page is in that language:

- on a Wagtail page, the URL of its translation or alias in that locale (one query for all of
  them: the page's translations with their locales); a language without one gets its home page;
- elsewhere (search), the same view under that language's prefix (Django's ``translate_url``);
- on an error page, each language's home page.

It also says whether the page is a stand-in for an untranslated page (an alias of a page in
another language, or a page served under another language's prefix) and which version is the
original, so the page can say so and mark its content with the original's language.
"""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language_info

from wagtail.models import Page

from languages.sources import waiting_for_review

register = template.Library()


@dataclass
class LanguageVersion:
    code: str
    name_local: str  # the language's name in itself, e.g. "Aymar aru"
    url: str
    absolute_url: str
    current: bool


@dataclass
class LanguageVersions:
    versions: list
    default: LanguageVersion  # for hreflang="x-default"
    original: LanguageVersion | None  # set when this page is not translated into the current language

    def __iter__(self):
        return iter(self.versions)


def language_name(code):
    return capfirst(get_language_info(code)["name_local"])


def _home_url(code):
    with translation.override(code):
        return reverse("wagtail_serve", args=[""])


def _page_urls(page, request):
    """{language code: URL} of the live versions of ``page`` (one query), and the code of the
    original when ``page`` stands in for another language's page: an alias of a page in
    another locale, a translation waiting for review (its live text is the Spanish original's),
    or a page served under another language's prefix."""
    urls, codes = {}, {}
    waiting = False
    for version in page.get_translations(inclusive=True).select_related("locale", "live_revision"):
        codes[version.pk] = version.locale.language_code
        if version.pk == page.pk:
            waiting = not getattr(request, "is_preview", False) and waiting_for_review(version)
            version = page  # the instance being rendered (it may be a preview)
        elif not version.live:
            continue
        url = version.get_url(request=request)
        if url:
            urls.setdefault(codes[version.pk], url)
    original_code = codes.get(page.alias_of_id)
    if original_code is None and waiting:
        original_code = settings.LANGUAGE_CODE  # its live text is still the Spanish original's
    if original_code is None and codes.get(page.pk) != translation.get_language():
        original_code = codes.get(page.pk)
    return urls, original_code


@register.simple_tag(takes_context=True)
def language_versions(context):
    request = context.get("request")
    current = translation.get_language()
    page = context.get("page")
    codes = [code for code, _name in settings.LANGUAGES]

    page_urls, original_code = {}, None
    if isinstance(page, Page):
        page_urls, original_code = _page_urls(page, request)
    resolver_match = getattr(request, "resolver_match", None)
    translatable_view = (
        not isinstance(page, Page)
        and request is not None
        and resolver_match is not None
        and resolver_match.url_name != "wagtail_serve"
    )

    versions = []
    for code in codes:
        if code in page_urls:
            url = page_urls[code]
        elif translatable_view:
            url = translate_url(request.get_full_path(), code)
        else:
            url = _home_url(code)
        absolute_url = request.build_absolute_uri(url) if request is not None else url
        versions.append(LanguageVersion(code, language_name(code), url, absolute_url, code == current))

    by_code = {version.code: version for version in versions}
    original = by_code.get(original_code) if original_code and original_code != current else None
    return LanguageVersions(versions, by_code.get(settings.LANGUAGE_CODE, versions[0]), original)


@register.inclusion_tag("components/language_switcher.html")
def language_switcher(languages):
    """The list of languages, each named in itself, linking to this page in that language."""
    return {"languages": languages}


@lru_cache(maxsize=1)
def _default_language_texts():
    """Every interface text of the default language's catalog (what Django shows when another lacks one)."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation(settings.LANGUAGE_CODE)._catalog
    return frozenset(text for _msgid, text in catalog.items() if isinstance(text, str))


def written_in(msgid):
    """The language ``gettext(msgid)`` is really written in: the reader's, or the default one's
    when the reader's catalog lacks the entry and Django falls back to it."""
    current = translation.get_language()
    if current == settings.LANGUAGE_CODE:
        return current
    shown = translation.gettext(msgid)
    with translation.override(settings.LANGUAGE_CODE):
        default = translation.gettext(msgid)
    return settings.LANGUAGE_CODE if shown == default else current


@register.filter
def in_its_language(text):
    """Interface text (``{{ _("Search")|in_its_language }}``), marked ``lang="es"`` when the
    reader's catalog lacks it and it is shown in Spanish, so that a screen reader reads it as such."""
    if translation.get_language() == settings.LANGUAGE_CODE or str(text) not in _default_language_texts():
        return text
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, text)


NOTICE = "This page has not been translated into %(language)s yet: it is shown in its original language."


@register.inclusion_tag("components/untranslated_notice.html")
def untranslated_notice(languages):
    """Tell the reader this page is not translated into their language yet, and link the original."""
    current = translation.get_language()
    return {
        "notice_language": written_in(NOTICE),
        "original": languages.original,
        # The language's own name, marked as a word of that language inside the sentence.
        "current_name": format_html('<span lang="{}">{}</span>', current, language_name(current)),
        "original_name": get_language_info(languages.original.code)["name_translated"] if languages.original else "",
    }
