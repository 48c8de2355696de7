"""Import budget lines from a CSV or XLSX spreadsheet (see ``imports.importers``)."""

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from budgets.permissions import grant_all_budget_permissions
from imports import importers, tables


class ImportCommand(BaseCommand):
    """What ``import_budget`` and ``import_works`` share: reading, dry runs, the report."""

    kind = importers.BUDGET

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8 or Latin-1, comma or semicolon) or .xlsx file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would be created, updated or left unchanged, without writing.",
        )
        parser.add_argument(
            "--user",
            help="Import as this user: rows outside their area are refused, and revisions are theirs.",
        )

    def progress(self, iterable, total=None, desc=""):
        from tqdm import tqdm

        # Only drawn on a terminal; quiet in logs, cron and tests.
        return tqdm(iterable, total=total, desc=str(desc), unit=" filas", file=sys.stderr, disable=None, leave=False)

    def handle(self, *args, file, dry_run=False, user=None, verbosity=1, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        if path.stat().st_size > tables.MAX_FILE_BYTES:
            raise CommandError(f"{path} is larger than {tables.MAX_FILE_BYTES // (1024 * 1024)} MB.")
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"No user called {user!r}.")
        # Teams created before budget lines existed get their permissions now (idempotent).
        grant_all_budget_permissions()

        started = time.perf_counter()
        report = importers.import_file(
            self.kind,
            path.read_bytes(),
            filename=path.name,
            user=person,
            dry_run=dry_run,
            progress=self.progress if verbosity else None,
        )
        elapsed = time.perf_counter() - started
        if report.ignored_columns and verbosity:
            self.stdout.write(f"Ignored columns: {', '.join(report.ignored_columns)}")
        if not report.ok:
            problems = "\n".join(f"  - {problem}" for problem in report.problems)
            raise CommandError(
                f"{path.name}: {len(report.problems)} problem(s); nothing was imported. Fix these and run again:\n"
                f"{problems}"
            )
        if verbosity >= 2:
            for outcome in report.outcomes:
                if outcome.action != "unchanged":
                    changes = f" ({', '.join(outcome.changes)})" if outcome.changes else ""
                    self.stdout.write(f"  row {outcome.row}: {outcome.action} {outcome.code}{changes}")
        prefix = "Dry run, nothing written: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(f"{prefix}{path.name}: {report.rows} rows. {report.summary()} ({elapsed:.1f} s)")
        )


class Command(ImportCommand):
    help = (
        "Import budget lines from a CSV (UTF-8 or Latin-1; comma or semicolon separated) or XLSX file. "
        f"Headers (row 1): {', '.join(importers.BUDGET_COLUMNS['required'])}; optional: "
        f"{', '.join(importers.BUDGET_COLUMNS['optional'])}. gestion is the fiscal year; barrio empty means "
        "the whole submunicipality; categoria is a category code or Spanish name; amounts in bolivianos, "
        "'1.250.000,50' or '1250000.50'. A line is matched by area, year and code: new ones are created, "
        "changed ones updated, identical ones left alone. Any problem (reported by row and column) "
        "cancels the whole import. See samples/presupuesto_ejemplo.csv."
    )
    kind = importers.BUDGET
