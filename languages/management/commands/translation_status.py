"""Show how much of the interface and of the published pages each language has."""

import argparse

from django.core.management.base import BaseCommand, CommandError

from languages import translation_status


class Command(BaseCommand):
    help = (
        "Print, for each language (es, ay, qu, gn, en), the share of interface strings translated "
        "(non-empty, non-fuzzy entries of locale/<language>/LC_MESSAGES/django.po) and the share of "
        "published pages of the Spanish tree that have a published translation in that language "
        "(aliases, which only mirror the Spanish page, do not count), then list what is missing: "
        "the untranslated interface strings and the untranslated pages with their Spanish URL."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            "-l",
            action="append",
            dest="languages",
            metavar="CODE",
            help="Only this language (e.g. --language ay); may be repeated. Default: every language.",
        )
        parser.add_argument(
            "--missing",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="List the untranslated strings and pages (default), or only the table (--no-missing).",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=15,
            metavar="N",
            help="Show at most N missing strings and N missing pages per language (0: all). Default: 15.",
        )

    def handle(self, *args, languages=None, missing=True, limit=15, **options):
        known = translation_status.language_codes()
        unknown = [code for code in languages or [] if code not in known]
        if unknown:
            raise CommandError(f"Unknown language {', '.join(unknown)}: choose among {', '.join(known)}.")
        statuses = translation_status.collect(languages)
        self.stdout.write(translation_status.render(statuses, show_missing=missing, limit=max(limit, 0)))
