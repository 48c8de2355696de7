"""Every page exists in every language: a translation, or else an alias of the Spanish page.

wagtail-localize keeps a locale's tree in step with the locale it synchronises from
(``LocaleSynchronization``, set up by ``home/migrations/0003``) by creating *alias* pages: live
copies that Wagtail updates whenever their source is published, until a translator converts them
into translations. So ``/ay/...`` serves the Spanish content inside the Aymara tree, with the
Aymara interface, and menus and lists there show the same pages as in Spanish.

wagtail-localize creates those aliases in only two places: its ``after_create_page`` admin hook
(pages created in the admin) and when a ``LocaleSynchronization`` is saved through the ORM (not
in a migration). Pages published in code (the demo loader, imports, tests) and the home page made
by a migration would have none. This module closes both gaps:

- ``create_missing_aliases``, on Wagtail's ``page_published`` signal, gives a published page an
  alias in each locale that synchronises from its locale and has neither a translation nor an
  alias of it yet. It runs once the publication is committed, so a failure here never undoes an
  editor's publication (it is logged; the next ``migrate`` or publication repairs it) and a
  rolled-back publication leaves no aliases behind.
- ``synchronize_all_locales``, after ``migrate``, runs wagtail-localize's ``synchronize_tree`` for
  every synchronised locale that is missing pages (a fresh database gets its alias home pages).

Both are idempotent: a locale that already has the page, as a translation or an alias, is left
alone. Registered in ``HomeConfig.ready``.
"""

import sys
from functools import partial

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, transaction


def locales_synchronised_from(locale_id):
    """The locales whose trees follow the locale ``locale_id``."""
    from wagtail.models import Locale
    from wagtail_localize.models import LocaleSynchronization

    return Locale.objects.filter(
        pk__in=LocaleSynchronization.objects.filter(sync_from_id=locale_id).values("locale_id")
    )


def ensure_aliases(page, _seen=None):
    """Create the aliases ``page`` is missing in the locales synchronised from its locale.

    Returns the aliases created. A locale that synchronises from one of those locales in turn
    gets its alias too (a chain such as es → en → ay).
    """
    from wagtail.models import Page

    seen = _seen if _seen is not None else {page.locale_id}
    targets = [locale for locale in locales_synchronised_from(page.locale_id) if locale.pk not in seen]
    if not targets:
        return []
    present = set(
        Page.objects.filter(
            translation_key=page.translation_key, locale__in=[locale.pk for locale in targets]
        ).values_list("locale_id", flat=True)
    )
    created = []
    for locale in targets:
        seen.add(locale.pk)
        if locale.pk in present:
            continue
        alias = page.copy_for_translation(locale, copy_parents=True, alias=True)
        created.append(alias)
        created += ensure_aliases(alias, seen)
    return created


def _ensure_aliases_of(page_id):
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).select_related("locale").first()
    if page is not None:
        ensure_aliases(page.specific)


def create_missing_aliases(sender, instance, alias=False, **kwargs):
    """``page_published`` receiver: the published page gets its missing aliases once committed.

    Wagtail also sends ``page_published`` for each alias it updates after its source is published
    (``alias=True``); those already exist, and their own aliases were made with them.
    """
    if alias:
        return
    transaction.on_commit(partial(_ensure_aliases_of, instance.pk), robust=True)
    transaction.on_commit(partial(refresh_waiting_translations, instance.pk), robust=True)


def refresh_waiting_translations(page_id):
    """Give the translations of a Spanish page that wait for review its newly published text.

    A translation no one has published yet shows the Spanish original on the public site
    (``languages.sources.waiting_for_review``), as the alias it replaced did; Wagtail updates
    only aliases when their original is published, so this does the same for those, with
    wagtail-localize's own alias synchronisation. Their drafts (revisions, translated strings)
    are untouched, and they keep "unpublished changes" and their draft title.
    """
    from wagtail.models import Locale, Page
    from wagtail_localize.views.convert import sync_alias

    from languages.sources import waiting_for_review  # models: not importable when this module loads

    source = Page.objects.filter(pk=page_id, locale=Locale.get_default(), live=True).first()
    if source is None:
        return
    translations = Page.objects.filter(translation_key=source.translation_key, alias_of__isnull=True, live=True)
    for page in translations.exclude(pk=source.pk).select_related("live_revision"):
        if not waiting_for_review(page):
            continue
        draft_title = page.draft_title
        sync_alias(source, page.specific, revision=source.live_revision)
        # sync_alias copies the original's live revision, which is not this page's own.
        Page.objects.filter(pk=page.pk).update(
            has_unpublished_changes=True, draft_title=draft_title, live_revision=None
        )


def synchronize_all_locales():
    """Run wagtail-localize's ``synchronize_tree`` for every synchronised locale missing pages.

    Returns the number of locales synchronised. Cheap when nothing is missing: one query per
    synchronised locale.
    """
    from wagtail.models import Page
    from wagtail_localize.models import LocaleSynchronization
    from wagtail_localize.synctree import PageIndex, synchronize_tree

    page_index = None
    synchronised = 0
    for sync in LocaleSynchronization.objects.select_related("locale", "sync_from").order_by("pk"):
        missing = (
            Page.objects.filter(locale=sync.sync_from, depth__gt=1)
            .exclude(translation_key__in=Page.objects.filter(locale=sync.locale).values("translation_key"))
            .exists()
        )
        if not missing:
            continue
        if page_index is None:
            page_index = PageIndex.from_database().sort_by_tree_position()
        with transaction.atomic():
            synchronize_tree(sync.sync_from, sync.locale, page_index=page_index)
        # The index records which locales each page is in: rebuild it for the next locale.
        page_index = None
        synchronised += 1
    return synchronised


def _last_app_with_models():
    configs = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    return configs[-1] if configs else None


def synchronize_after_migrate(sender, using=DEFAULT_DB_ALIAS, plan=None, verbosity=1, stdout=None, **kwargs):
    """``post_migrate`` receiver: build the alias trees once every app has been migrated.

    ``post_migrate`` is sent once per app; acting on the last one means the content types and
    permissions that creating pages needs (an alias submunicipality gets its area's team) exist.
    Skipped after migrating backwards, when the models may not match the tables.
    """
    if using != DEFAULT_DB_ALIAS or sender is not _last_app_with_models():
        return
    if plan and any(backwards for _migration, backwards in plan):
        return
    from wagtail_localize.models import LocaleSynchronization

    if LocaleSynchronization._meta.db_table not in _table_names(using):
        return
    count = synchronize_all_locales()
    if count and verbosity >= 1:
        (stdout or sys.stdout).write(f"  Synchronised {count} locale tree(s) with aliases of their source pages.\n")


def _table_names(using):
    from django.db import connections

    with connections[using].cursor() as cursor:
        return set(connections[using].introspection.table_names(cursor))


def connect_signals():
    from django.db.models.signals import post_migrate

    from wagtail.signals import page_published

    page_published.connect(create_missing_aliases, dispatch_uid="languages.aliases.create_missing_aliases")
    post_migrate.connect(synchronize_after_migrate, dispatch_uid="languages.aliases.synchronize_after_migrate")
