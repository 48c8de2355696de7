"""Benchmark: the city-wide open-data exports stream in bounded memory, whatever the row count.

Creates a throw-away PostgreSQL database, builds a small city (submunicipalities,
neighbourhoods, works) and budget lines with ``bulk_create``, then downloads the city's budget
lines (CSV and JSON) and works (CSV) through the view, consuming the streamed response the way
a server does, while measuring time and the peak of Python memory (``tracemalloc``). It does so
at 10,000 and at 50,000 lines: the peak must stay well under 50 MB and must not grow with the
number of lines. The city's budget page is timed too.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mibarrio_export_bench \\
        .venv/bin/python bench/export_city.py [--keep]

The database named in DATABASE_URL is created if missing, emptied (migrated from scratch) and
dropped at the end unless ``--keep``.
"""

import os
import sys
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from bench.throwaway_db import drop_database, recreate_database  # noqa: E402 (needs BASE_DIR on the path)

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mibarrio_export_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

SIZES = (10_000, 50_000)
PEAK_LIMIT_MB = 50


def build_city():
    from decimal import Decimal

    from django.test import override_settings

    from wagtail.models import Locale

    from home.models import HomePage
    from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage
    from works.models import PublicWorkPage, WorkCategory

    locale = Locale.get_default()
    home = HomePage.objects.get(locale=locale, depth=2)
    categories = [
        WorkCategory.objects.create(name=name, code=code, locale=locale)
        for name, code in (("Vías", "roads"), ("Agua", "water"), ("Parques", "parks"), ("Salud", "health"))
    ]
    square = {
        "type": "Polygon",
        "coordinates": [[[-68.14, -16.51], [-68.12, -16.51], [-68.12, -16.49], [-68.14, -16.49], [-68.14, -16.51]]],
    }
    areas = []
    with override_settings(
        WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
    ):
        for s in range(4):
            sub = SubmunicipalityPage(title=f"Subalcaldía {s}", boundary=square)
            home.add_child(instance=sub)
            sub.save_revision().publish()
            areas.append(sub)
            for n in range(5):
                barrio = NeighborhoodPage(title=f"Barrio {s}-{n}", boundary=square, population=1000 + n)
                sub.add_child(instance=barrio)
                barrio.save_revision().publish()
                areas.append(barrio)
                for w in range(5):
                    work = PublicWorkPage(
                        title=f"Obra {s}-{n}-{w}", project_code=f"OB-{s}{n}{w}", category=categories[w % 4],
                        budget=Decimal("100000"), amount_executed=Decimal("25000"),
                        latitude=Decimal("-16.5"), longitude=Decimal("-68.13"),
                    )  # fmt: skip
                    barrio.add_child(instance=work)
                    work.save_revision().publish()
    return areas, categories


def add_lines(areas, categories, start, stop):
    from decimal import Decimal

    from budgets.models import BudgetLine

    batch = [
        BudgetLine(
            area=areas[i % len(areas)],
            fiscal_year=2022 + i % 5,
            code=f"PRE-{i:07d}",
            category=categories[i % len(categories)],
            description=f"Línea de presupuesto número {i} para mantenimiento y obras del área",
            amount_allocated=Decimal("125000.50"),
            amount_executed=Decimal("62500.25"),
            funding_source="IDH",
        )
        for i in range(start, stop)
    ]
    BudgetLine.objects.bulk_create(batch, batch_size=5000)


def download(filename):
    """Run the view and consume its streamed body; return (bytes, rows)."""
    from django.test import RequestFactory
    from django.utils import translation

    from opendata.exports import download as view

    request = RequestFactory().get(f"/es/datos/ciudad/{filename}", HTTP_HOST="localhost")
    with translation.override("es"):
        response = view(request, filename=filename)
        size = 0
        newlines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            newlines += chunk.count(b"\n")
        response.close()
    assert response.streaming
    return size, newlines


def measure(filename):
    started = time.perf_counter()
    size, newlines = download(filename)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    download(filename)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"file": filename, "bytes": size, "lines": newlines, "seconds": elapsed, "peak_mb": peak / 1024 / 1024}


def budget_page_seconds():
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.get("/es/presupuesto/")
    started = time.perf_counter()
    response = client.get("/es/presupuesto/")
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started


def main():
    keep = "--keep" in sys.argv
    admin, name = recreate_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    try:
        print(f"Database {name}: migrating…", flush=True)
        call_command("migrate", verbosity=0)
        areas, categories = build_city()
        print(f"City: {len(areas)} areas, 100 works.", flush=True)
        results = {}
        made = 0
        for size in SIZES:
            started = time.perf_counter()
            add_lines(areas, categories, made, size)
            made = size
            print(f"\n{size:,} budget lines (bulk_create: {time.perf_counter() - started:.1f} s)")
            results[size] = [measure(f) for f in ("presupuesto.csv", "presupuesto.json", "obras.csv")]
            for r in results[size]:
                print(
                    f"  {r['file']:<18} {r['bytes'] / 1024 / 1024:7.2f} MB out  {r['seconds']:6.2f} s  "
                    f"peak Python memory {r['peak_mb']:6.2f} MB"
                )
            print(f"  city budget page (/es/presupuesto/): {budget_page_seconds():.2f} s")
        small, large = results[SIZES[0]], results[SIZES[-1]]
        print("\nPeak memory, 10k → 50k lines:")
        ok = True
        for a, b in zip(small, large, strict=True):
            bounded = b["peak_mb"] < PEAK_LIMIT_MB and b["peak_mb"] < a["peak_mb"] * 1.5 + 1
            ok = ok and bounded
            print(
                f"  {a['file']:<18} {a['peak_mb']:6.2f} MB → {b['peak_mb']:6.2f} MB  {'bounded' if bounded else 'GROWS'}"
            )
        return 0 if ok else 1
    finally:
        if not keep:
            drop_database(admin, name)


if __name__ == "__main__":
    sys.exit(main())
