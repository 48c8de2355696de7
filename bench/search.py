"""Benchmark: search stays fast as the city grows, and indexing does not slow publishing.

Creates a throw-away PostgreSQL database, generates a city of 1,000 Spanish pages
(``generate_city``: submunicipalities, neighbourhoods, works, news, their aliases in the four
other languages, budget lines, the search index), copies it, and grows the original to 10,000
Spanish pages. Then times searches in both, a round in one and a round in the other in turn,
so that both sizes meet the same machine (a shared CPU's speed changes from one minute to the
next): the whole results page through Django's test client (what a resident waits for, less
the network); the search alone (the count and first ten results, fetched together in one
query as the page does); and PostgreSQL's own time for that query (EXPLAIN ANALYZE), with the
machine's load average and how fast it ran a fixed Python loop. Targets: p95 ≤ 50 ms at 10,000
pages, and the 10,000/1,000 ratio of p95 ≤ 2.

At 10,000 pages it also times publishing one work (with its aliases' update) three ways: without
updating the search index, with the portal's backend (``search/backend.py``), and with
modelsearch's stock PostgreSQL backend, which recomputes title norms over the whole index on
every update.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mb_bench_search .venv/bin/python bench/search.py [--keep]

The database named in DATABASE_URL (its name must contain ``bench``) and its 1,000-page copy
(the same name and ``_1k``) are created, migrated and dropped at the end unless ``--keep``.
"""

import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
from bench.throwaway_db import drop_database, recreate_database  # noqa: E402 (needs BASE_DIR on the path)

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mb_bench_search")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

# Spanish pages: (submunicipalities, neighbourhoods, works, news) to add at each step.
STEPS = ((1_000, (9, 90, 700, 201)), (10_000, (0, 810, 6_300, 1_890)))
QUERIES = (
    "agua", "calle", "plaza", "obras publicas", "muro de contención", "alumbrado público", "pavimentacion",
    "Sopocachi", "villa fatima", "Achu", "señalización vial avenida", "mantenimiento de plaza",
    "centro de salud", "red de agua potable", "vecinos", "Orkojahuira", "puente peatonal calle Jaén",
    "cancha", "drenaje pluvial", "presupuesto", "inauguración", "ladera riesgo", "minibús", "escuela",
)  # fmt: skip
LANGUAGES = ("es", "ay")
ROUNDS = 5
PUBLISHES = 10
P95_TARGET_MS = 50
RATIO_TARGET = 2


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values):
    return {"p50": statistics.median(values), "p95": percentile(values, 0.95), "n": len(values)}


def time_round(client, figures):
    """One round of every query in every language: milliseconds per results page and per database
    search, and PostgreSQL's time, added to ``figures`` (None: a warm-up, nothing kept)."""
    from django.utils import translation

    from wagtail.models import Locale

    from search.results import found_pages

    for language in LANGUAGES:
        locale = Locale.objects.get(language_code=language)
        for query in QUERIES:
            started = time.perf_counter()
            response = client.get(f"/{language}/search/", {"q": query})
            page = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (language, query)
            if figures is None:
                continue
            with translation.override(language):
                started = time.perf_counter()
                found = found_pages(query, locale)
                found.expect(0, 10)  # as the results page does: counted with its first page
                found.count()
                list(found[:10])
                figures["search"].append((time.perf_counter() - started) * 1000)
                figures["server"].append(execution_time(found))
            figures["page"].append(page)
    if figures is not None:
        figures["loads"].append(os.getloadavg()[0])


def use_database(name):
    """Point Django at database ``name``; what searches keep in memory is read again."""
    from django.core.cache import cache
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
    cache.clear()  # a new version for search/memo.py, and the title-length average


def time_searches(databases):
    """For each database (size → name), a warm-up then ``ROUNDS`` measured rounds, taken in turn."""
    from django.test import Client

    client = Client()
    figures = {size: {"page": [], "search": [], "server": [], "loads": [], "speed": []} for size in databases}
    for _round in range(ROUNDS):
        for size, name in databases.items():
            use_database(name)
            time_round(client, None)
            figures[size]["speed"].append(python_speed())
            time_round(client, figures[size])
    return figures


def python_speed():
    """Milliseconds this machine takes for a fixed piece of pure Python: shared or throttled CPUs
    vary by half from one minute to the next, which load averages do not show."""
    started = time.perf_counter()
    total = 0
    for number in range(2_000_000):
        total += number
    return (time.perf_counter() - started) * 1000


def load_range(loads):
    """The machine's 1-minute load average over a measurement: "1.2–1.9" (or "1.2")."""
    low, high = min(loads), max(loads)
    return f"{low:.1f}" if f"{low:.1f}" == f"{high:.1f}" else f"{low:.1f}–{high:.1f}"


def execution_time(found):
    """PostgreSQL's own time for the search query of a result set's first page, counted with it
    (EXPLAIN ANALYZE of ``search.backend.ranked_page_sql``, as the results page runs it)."""
    from django.db import connection

    from search.backend import ranked_page_sql

    sql, params, _database = ranked_page_sql(found.results, 0, 10, found.index_only)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        return cursor.fetchone()[0][0]["Execution Time"]


def time_publishing():
    """Milliseconds to publish one work (and update its aliases), without and with index updates."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from works.models import PublicWorkPage

    work = PublicWorkPage.objects.filter(locale__language_code="es", alias_of__isnull=True).order_by("pk")[500]
    portal = settings.WAGTAILSEARCH_BACKENDS
    modes = {
        "no index update": {name: {**params, "AUTO_UPDATE": False} for name, params in portal.items()},
        "portal backend (search/backend.py)": portal,
        "modelsearch's stock backend": {"default": {"BACKEND": "wagtail.search.backends.database"}},
    }
    figures = {}
    for label, backends in modes.items():
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            times = []
            for n in range(PUBLISHES + 1):
                work.refresh_from_db()
                work.summary = f"{work.summary.split(' [')[0]} [{label} {n}]"
                started = time.perf_counter()
                with transaction.atomic():  # aliases are updated when the publication commits
                    work.save_revision().publish()
                if n:  # the first is a warm-up
                    times.append((time.perf_counter() - started) * 1000)
        figures[label] = summary(times)
    return figures


def counts():
    from django.db import connection

    from wagtail.models import Page

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM wagtailsearch_indexentry")
        entries = cursor.fetchone()[0]
    return Page.objects.filter(locale__language_code="es", depth__gt=2).count(), Page.objects.count(), entries


def copy_database(admin, name, copy):
    """``copy``, a new database holding what ``name`` holds now."""
    from django.db import connections

    import psycopg

    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')


def main():
    import django

    keep = "--keep" in sys.argv
    admin, name = recreate_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from demo.generate import Sizes, generate_city

    databases = {}
    try:
        print(f"Migrating {name}…", flush=True)
        call_command("migrate", verbosity=0)
        for target, (subs, barrios, works, news) in STEPS:
            started = time.perf_counter()
            generate_city(Sizes(subs, barrios, works, news, budget_lines=2), seed=target)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            spanish, total, entries = counts()
            print(
                f"City of {spanish:,} Spanish pages ({total:,} pages in all languages, {entries:,} index entries) "
                f"generated in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            if target != STEPS[-1][0]:
                databases[target] = f"{name}_{target // 1000}k"
                copy_database(admin, name, databases[target])
        databases[STEPS[-1][0]] = name
        print(
            f"Timing {len(QUERIES)} queries × {len(LANGUAGES)} languages × {ROUNDS} rounds in each city, in turn…",
            flush=True,
        )
        figures = time_searches(databases)
        for size, measured in figures.items():
            page, search, server = (summary(measured[key]) for key in ("page", "search", "server"))
            load = f"load average {load_range(measured['loads'])} on {os.cpu_count()} CPUs"
            speeds = "/".join(f"{speed:.0f}" for speed in measured["speed"])
            per_round = len(measured["page"]) // ROUNDS
            round_p95s = "/".join(
                f"{percentile(measured['page'][n * per_round : (n + 1) * per_round], 0.95):.0f}" for n in range(ROUNDS)
            )
            print(
                f"{size:,} Spanish pages ({load}; a fixed Python loop took {speeds} ms in its rounds):\n"
                f"  whole results page: p50 {page['p50']:.1f} ms, p95 {page['p95']:.1f} ms "
                f"(p95 of each round: {round_p95s} ms)\n"
                f"  search alone (count and first page, Python and database): p50 {search['p50']:.1f} ms, "
                f"p95 {search['p95']:.1f} ms\n"
                f"  PostgreSQL's execution of that query: p50 {server['p50']:.1f} ms, p95 {server['p95']:.1f} ms\n"
                f"  ({page['n']} searches)",
                flush=True,
            )
        small, large = figures[STEPS[0][0]], figures[STEPS[-1][0]]
        for label, key in (("results page", "page"), ("search", "search"), ("PostgreSQL execution", "server")):
            ratio = summary(large[key])["p95"] / summary(small[key])["p95"]
            print(f"10k/1k p95 ratio, {label}: {ratio:.2f} (target ≤ {RATIO_TARGET})")
        print(f"p95 at 10k, results page: {summary(large['page'])['p95']:.1f} ms (target ≤ {P95_TARGET_MS} ms)")
        use_database(name)
        print(f"Publishing one work at {STEPS[-1][0]:,} pages ({PUBLISHES} times each):", flush=True)
        for label, times in time_publishing().items():
            print(
                f"  {label}: p50 {times['p50']:.0f} ms, p95 {times['p95']:.0f} ms (load average {os.getloadavg()[0]:.1f})"
            )
    finally:
        if not keep:
            for database in {*databases.values(), name}:
                drop_database(admin, database)
                print(f"Dropped {database}.")


if __name__ == "__main__":
    main()
