"""The Spanish source of what readers see in another language, and the reverse.

Spanish is the source of every translation: figures, submissions and budgets hang off the
Spanish page, and a translated snippet is looked up by its ``translation_key``.
"""

from django.db.models import CharField, F, Q
from django.db.models.functions import Cast

from wagtail.models import Locale, Page


def source_page(page: Page, default: Locale | None = None) -> Page | None:
    """The Spanish (source-language) version of ``page``, or None if there is none."""
    default = default or Locale.get_default()
    if page.locale_id == default.pk:
        return page
    return page.get_translation_or_none(default)


def waiting_for_review(page: Page) -> bool:
    """Whether ``page`` is a translation that no one has published yet.

    "Translate this page" turns the Spanish stand-in (an alias) into a translation whose draft
    lives in its revisions and translated strings, while its live row keeps the Spanish original
    (``languages.localize_workarounds.draft_translations``). Until someone allowed to publish
    publishes it (which sets ``live_revision`` to one of its own revisions), the page still shows the original: with the
    "not translated yet" notice, marked with the original's language, kept in step with it
    (``languages.aliases``), and it is not counted as translated.
    """
    return (
        page.alias_of_id is None
        and page.live
        and not has_own_live_revision(page)
        and page.locale_id != Locale.get_default().pk
    )


def has_own_live_revision(page: Page) -> bool:
    """Whether the live text of ``page`` was published from one of its own revisions.

    An alias carries its original's ``live_revision`` over when wagtail-localize turns it into a
    translation, so a set ``live_revision`` alone does not say the translation was published.
    Reads ``page.live_revision`` (a query, unless it was selected with the page).
    """
    return page.live_revision_id is not None and page.live_revision.object_id == str(page.pk)


def published_translations_q():
    """Pages (of a queryset) whose live text was published from their own revision: a filter."""
    return Q(live=True, live_revision__object_id=Cast(F("pk"), CharField()))


def shows_original(page: Page) -> bool:
    """Whether ``page``, under its language's prefix, shows another language's text: an alias, or a
    translation waiting for review."""
    return page.alias_of_id is not None or waiting_for_review(page)


def translations_in(model, translation_keys, locale: Locale, fields: tuple[str, ...] = ()) -> dict:
    """The objects of ``model`` with these translation keys in ``locale``, by key: one query.

    The one way to show a translatable snippet (a category, a contractor) in the reader's
    language: a translated page still points at the snippet it was copied with, because
    wagtail-localize does not re-point relations to snippets (its issues #648, #710, #820).
    """
    keys = list(translation_keys)
    if not keys:
        return {}
    found = model.objects.filter(translation_key__in=keys, locale=locale)
    if fields:
        found = found.only("translation_key", *fields)
    return {item.translation_key: item for item in found}


def in_locale(objects, locale: Locale | None = None) -> list:
    """Each of ``objects`` (translatable, of one model) in ``locale``, or itself when not translated."""
    locale = locale or Locale.get_active()
    objects = list(objects)
    foreign = [item for item in objects if item is not None and item.locale_id != locale.pk]
    if not foreign:
        return objects
    found = translations_in(type(foreign[0]), {item.translation_key for item in foreign}, locale)
    return [found.get(item.translation_key, item) if item is not None else None for item in objects]
