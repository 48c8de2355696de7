"""Compile the interface catalogs (locale/*/LC_MESSAGES/django.po) to .mo files with polib.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt``, which a fresh machine or CI may not
have; polib (a wagtail-localize dependency) writes the same binary catalogs in pure Python. The
compiled ``.mo`` files are committed, so the portal runs without gettext installed.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import polib

ENGLISH = "en"


def catalog_paths():
    """Every ``<locale path>/<language>/LC_MESSAGES/django.po`` of the project, sorted."""
    paths = []
    for locale_path in settings.LOCALE_PATHS:
        paths.extend(Path(locale_path).glob("*/LC_MESSAGES/django.po"))
    return sorted(paths)


def fill_english(catalog):
    """Make every entry of the English catalog repeat its (English) source; return how many changed.

    The interface is written in English, but Spanish is the default language: an English entry
    left empty would fall back to the *Spanish* catalog.
    """
    changed = 0
    for entry in catalog:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            wanted = {0: entry.msgid, 1: entry.msgid_plural}
            if entry.msgstr_plural != wanted:
                entry.msgstr_plural = wanted
                changed += 1
        elif entry.msgstr != entry.msgid:
            entry.msgstr = entry.msgid
            changed += 1
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            changed += 1
    return changed


def _shown(path):
    """``path`` relative to the project when it is inside it (shorter to read)."""
    try:
        return path.relative_to(settings.BASE_DIR)
    except ValueError:
        return path


class Command(BaseCommand):
    help = (
        "Compile every locale/<language>/LC_MESSAGES/django.po to django.mo with polib (no GNU gettext "
        "needed). Empty and fuzzy entries are left out, so Django shows those strings in Spanish. "
        "With --fill-english, first copy every msgid of the English catalog into its msgstr "
        "(the interface's source strings are English). Run 'make messages' to extract new strings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fill-english",
            action="store_true",
            help="Before compiling, set msgstr = msgid (plurals too) for every entry of the English catalog.",
        )

    def handle(self, *args, **options):
        fill = options["fill_english"]
        paths = catalog_paths()
        if not paths:
            raise CommandError(f"No django.po catalog found under LOCALE_PATHS ({settings.LOCALE_PATHS}).")
        for po_path in paths:
            language = po_path.parent.parent.name
            try:
                catalog = polib.pofile(str(po_path), wrapwidth=0)
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: cannot be read: {error}") from error
            if fill and language == ENGLISH:
                changed = fill_english(catalog)
                if changed:
                    catalog.save()
                    self.stdout.write(f"{language}: filled {changed} English entries (msgstr = msgid)")
            mo_path = po_path.with_suffix(".mo")
            catalog.save_as_mofile(str(mo_path))
            entries = [entry for entry in catalog if not entry.obsolete]
            translated = len(catalog.translated_entries())
            self.stdout.write(f"{language}: {translated}/{len(entries)} strings translated → {_shown(mo_path)}")
        self.stdout.write(self.style.SUCCESS(f"Compiled {len(paths)} catalog(s)."))
