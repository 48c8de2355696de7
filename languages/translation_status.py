"""How far each language has come: interface strings and published pages.

Used by ``manage.py translation_status`` (kept here so that it can be tested). Two measures per
language:

- **interface**: entries of ``locale/<language>/LC_MESSAGES/django.po`` with a non-empty,
  non-fuzzy ``msgstr``, over all its entries. An empty entry shows in Spanish (Django falls back
  to the default language's catalog). The English catalog repeats its English source strings,
  and the Spanish one must be complete: both should read 100 %.
- **pages**: live pages of the Spanish source tree that have a *published* translation in the
  language, over all live pages of the Spanish tree. An alias (a page that only mirrors the
  Spanish page, ``alias_of`` set) is not a translation, nor is one *waiting* for review (started,
  not yet published by someone allowed to: ``languages.sources.waiting_for_review``, or a draft
  never published); those are counted apart. Spanish is the source: always 100 %.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language_info

import polib


@dataclass
class InterfaceStatus:
    translated: int
    total: int
    missing: list = field(default_factory=list)  # msgids, in catalog order
    catalog: Path | None = None  # None when the language has no catalog

    @property
    def share(self):
        return self.translated / self.total if self.total else 1.0


@dataclass
class PageStatus:
    translated: int
    total: int
    missing: list = field(default_factory=list)  # (title, Spanish URL), in tree order
    waiting: list = field(default_factory=list)  # (title, Spanish URL) of those waiting for review

    @property
    def share(self):
        return self.translated / self.total if self.total else 1.0


@dataclass
class LanguageStatus:
    code: str
    name: str
    interface: InterfaceStatus
    pages: PageStatus


def language_codes():
    """The portal's languages, in settings order (Spanish first)."""
    return [code for code, _name in settings.LANGUAGES]


def catalog_path(language_code):
    """The language's ``django.po`` in the first locale path that has one, else None."""
    for locale_path in settings.LOCALE_PATHS:
        path = Path(locale_path) / language_code / "LC_MESSAGES" / "django.po"
        if path.exists():
            return path
    return None


def interface_status(language_code):
    path = catalog_path(language_code)
    if path is None:
        return InterfaceStatus(translated=0, total=0, catalog=None)
    entries = [entry for entry in polib.pofile(str(path)) if not entry.obsolete]
    missing = [entry.msgid for entry in entries if not entry.translated()]
    return InterfaceStatus(translated=len(entries) - len(missing), total=len(entries), missing=missing, catalog=path)


def _source_pages():
    """Live pages of the default language's tree (the site root, depth 1, is no one's page)."""
    from wagtail.models import Locale, Page

    return Page.objects.live().filter(locale=Locale.get_default(), depth__gt=1).order_by("path")


def page_status(language_code, source_pages=None):
    from wagtail.models import Locale, Page

    from languages.sources import published_translations_q  # models: not importable when this module loads

    source = list(source_pages if source_pages is not None else _source_pages())
    if language_code == settings.LANGUAGE_CODE:
        return PageStatus(translated=len(source), total=len(source))
    translations = Page.objects.filter(
        locale__in=Locale.objects.filter(language_code=language_code),
        alias_of__isnull=True,
        translation_key__in=[page.translation_key for page in source],
    )
    published_keys = set(translations.filter(published_translations_q()).values_list("translation_key", flat=True))
    started_keys = set(translations.values_list("translation_key", flat=True))
    missing = [(page.title, page.get_url()) for page in source if page.translation_key not in started_keys]
    waiting = [
        (page.title, page.get_url())
        for page in source
        if page.translation_key in started_keys and page.translation_key not in published_keys
    ]
    translated = len(source) - len(missing) - len(waiting)
    return PageStatus(translated=translated, total=len(source), missing=missing, waiting=waiting)


def collect(languages=None):
    """The status of ``languages`` (codes; default: every language of the portal)."""
    source = list(_source_pages())
    statuses = []
    for code in languages or language_codes():
        info = get_language_info(code)
        name = info["name"] if info["name_local"] == info["name"] else f"{info['name']} ({info['name_local']})"
        statuses.append(LanguageStatus(code, name, interface_status(code), page_status(code, source)))
    return statuses


def percent(share):
    """A share as a percentage with one decimal, never rounded up to 100 % while something is missing."""
    shown = int(share * 1000) / 10  # floor, so 99.96 % reads 99.9 %
    return f"{shown:5.1f} %"


def _limited(lines, limit):
    if limit and len(lines) > limit:
        return [*lines[:limit], f"… and {len(lines) - limit} more (--limit 0 lists them all)"]
    return lines


def render(statuses, show_missing=True, limit=15):
    """The report a coordinator reads: a table, then what each language still lacks."""
    out = [
        "Translation status of Mi Barrio",
        "  interface: translated strings of locale/<language>/LC_MESSAGES/django.po (empty ones show in Spanish)",
        "  pages:     live pages of the Spanish tree with a published translation (aliases do not count)",
        "  waiting:   translations started and not yet published by a reviewer",
        "",
        f"  {'language':<24}{'interface':>22}{'pages':>22}{'waiting':>10}",
    ]
    for status in statuses:
        interface, pages = status.interface, status.pages
        interface_cell = (
            f"{interface.translated}/{interface.total} {percent(interface.share)}"
            if interface.catalog
            else "no catalog"
        )
        note = ""
        if status.code == settings.LANGUAGE_CODE:
            note = "  (default language, source of content)"
        elif status.code == "en":
            note = "  (interface source language)"
        out.append(
            f"  {status.code + '  ' + status.name:<24}{interface_cell:>22}"
            f"{f'{pages.translated}/{pages.total} {percent(pages.share)}':>22}{len(pages.waiting):>10}{note}"
        )
    if not show_missing:
        return "\n".join(out)
    for status in statuses:
        interface, pages = status.interface, status.pages
        if not interface.missing and not pages.missing and not pages.waiting and interface.catalog:
            continue
        out += ["", f"{status.code} — {status.name}"]
        if interface.catalog is None:
            out.append("  No interface catalog: run 'make messages'.")
        elif interface.missing:
            out.append(f"  Interface strings not translated ({len(interface.missing)}; readers see them in Spanish):")
            out += [f"    - {_one_line(msgid)}" for msgid in _limited(interface.missing, limit)]
        if pages.waiting:
            out.append(
                f"  Translations waiting for review ({len(pages.waiting)}; readers see the Spanish page until published):"
            )
            lines = [f"{title}  {url or '(no URL)'}" for title, url in pages.waiting]
            out += [f"    - {line}" for line in _limited(lines, limit)]
        if pages.missing:
            out.append(f"  Pages not translated ({len(pages.missing)}; readers see the Spanish page):")
            lines = [f"{title}  {url or '(no URL)'}" for title, url in pages.missing]
            out += [f"    - {line}" for line in _limited(lines, limit)]
    return "\n".join(out)


def _one_line(text, width=100):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
