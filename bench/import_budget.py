"""How fast ``import_budget`` takes 10,000 rows: creation, an identical re-import, an update.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mibarrio_bench .venv/bin/python bench/import_budget.py

Uses the areas already in the database (loads the demo city first when there are none) and
writes its lines with codes "BENCH-…", deleting those of a previous run first. Prints rows/s and
seconds for each pass: the import up to its commit, and the search index refresh that follows
it (a background task where a django-tasks worker runs; inline here). The target is 10,000 rows in 10 s or less on PostgreSQL.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from wagtail.models import Locale  # noqa: E402

from budgets.models import BudgetLine  # noqa: E402
from imports.importers import BUDGET, import_file  # noqa: E402
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage  # noqa: E402
from works.models import WorkCategory  # noqa: E402


def areas():
    """(submunicipality title, neighbourhood title or "") for every Spanish area."""
    spanish = Locale.get_default()
    subs = list(SubmunicipalityPage.objects.filter(locale=spanish).order_by("path"))
    result = [(sub.title, "") for sub in subs]
    for sub in subs:
        result += [(sub.title, n.title) for n in NeighborhoodPage.objects.child_of(sub).filter(locale=spanish)]
    return result


def generate(rows, executed_factor=4):
    places = areas()
    categories = list(WorkCategory.objects.filter(locale=Locale.get_default()).values_list("code", flat=True))
    lines = [
        "codigo;gestion;subalcaldia;barrio;categoria;descripcion;monto_asignado;monto_ejecutado;fuente_financiamiento"
    ]
    for n in range(rows):
        sub, barrio = places[n % len(places)]
        allocated = 100_000 + (n * 7919) % 900_000
        executed = allocated * ((n % executed_factor) + 1) // (executed_factor + 1)
        amount = f"{allocated:,}".replace(",", ".") + ",50"
        spent = f"{executed:,}".replace(",", ".") + ",00"
        lines.append(
            f"BENCH-{n:06d};{2024 + n % 3};{sub};{barrio};{categories[n % len(categories)]};"
            f"Línea de prueba de rendimiento {n};{amount};{spent};Recursos propios"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def timed(label, content, rows):
    """Time the import up to its commit, then the search index refresh that follows it."""
    started = time.perf_counter()
    with transaction.atomic():
        report = import_file(BUDGET, content, "bench.csv")
        committing = time.perf_counter()
    # on_commit ran the indexing task (inline: no task worker in this script).
    finished = time.perf_counter()
    if report.problems:
        sys.exit("\n".join(str(p) for p in report.problems[:20]))
    seconds, indexing = committing - started, finished - committing
    print(
        f"{label:<22} {rows} rows in {seconds:6.2f} s = {rows / seconds:8.0f} rows/s "
        f"({report.created} created, {report.updated} updated, {report.unchanged} unchanged); "
        f"then search index {indexing:5.2f} s"
    )
    return seconds + indexing


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    if not SubmunicipalityPage.objects.exists():
        print("No areas yet: loading the demo city…")
        call_command("load_demo", verbosity=0)
    BudgetLine.objects.filter(code__startswith="BENCH-").delete()
    from django.db import connection

    print(f"Database: {connection.vendor}; {len(areas())} areas.")
    first = generate(args.rows)
    total = timed("create", first, args.rows)
    total += timed("identical re-import", first, args.rows)
    total += timed("update (all amounts)", generate(args.rows, executed_factor=3), args.rows)
    print(f"total {total:.2f} s")


if __name__ == "__main__":
    main()
