"""How fast "find my neighbourhood" answers with 500 neighbourhoods: lookups per second.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mibarrio_bench .venv/bin/python bench/find_neighborhood.py

Builds, inside a transaction it rolls back at the end (the database is left as it was), one
submunicipality with a 25 × 20 grid of neighbourhoods whose boundaries are 48-corner rings, then
looks up random points of the city's box (seeded: the same points every run), about three in
four inside a neighbourhood. Prints lookups/s, the mean number of neighbourhoods the bounding-box
pre-filter hands over, and the same lookups without the pre-filter (every boundary tested) for
comparison. Needs the migrations applied (a home page).
"""

import argparse
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from wagtail.models import Locale  # noqa: E402

from home.models import HomePage  # noqa: E402
from maps.place_maps import candidates, find_neighborhood  # noqa: E402
from neighborhoods.geo import point_in_boundary  # noqa: E402
from neighborhoods.models import NeighborhoodPage, SubmunicipalityPage  # noqa: E402

COLUMNS, ROWS, STEP, WEST, SOUTH = 25, 20, 0.01, -68.28, -16.68


def ring(center_lng, center_lat, radius, corners=48):
    """A closed, slightly irregular ring around the centre (longitude first)."""
    points = []
    for i in range(corners):
        angle = 2 * math.pi * i / corners
        r = radius * (0.85 + 0.15 * math.sin(5 * angle))
        points.append([round(center_lng + r * math.cos(angle), 6), round(center_lat + r * math.sin(angle), 6)])
    return [*points, points[0]]


def build_city():
    home = HomePage.objects.filter(locale=Locale.get_default()).order_by("depth").first()
    area = SubmunicipalityPage(title="Bench", slug="bench-find-neighborhood")
    home.add_child(instance=area)
    for row in range(ROWS):
        for column in range(COLUMNS):
            center = (WEST + (column + 0.5) * STEP, SOUTH + (row + 0.5) * STEP)
            boundary = {"type": "Polygon", "coordinates": [ring(*center, STEP * 0.45)]}
            area.add_child(
                instance=NeighborhoodPage(
                    title=f"Bench {row}-{column}", slug=f"bench-{row}-{column}", boundary=boundary
                )
            )
    return area


def timed(lookups, points):
    start = time.perf_counter()
    results = [lookups(lng, lat) for lng, lat in points]
    return time.perf_counter() - start, results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=1000)
    options = parser.parse_args()
    spanish = Locale.get_default().language_code
    rng = random.Random(7)
    points = [
        (WEST + rng.random() * COLUMNS * STEP, SOUTH + rng.random() * ROWS * STEP) for _ in range(options.lookups)
    ]
    backends = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends), transaction.atomic():
        started = time.perf_counter()
        area = build_city()
        print(
            f"built {NeighborhoodPage.objects.child_of(area).count()} neighbourhoods in {time.perf_counter() - started:.1f} s"
        )

        def with_prefilter(lng, lat):
            return find_neighborhood(lng, lat, spanish)

        everyone = list(NeighborhoodPage.objects.live().public().filter(locale__language_code=spanish).order_by("path"))

        def without_prefilter(lng, lat):
            return next((page for page in everyone if point_in_boundary(lng, lat, page.boundary)), None)

        find_neighborhood(*points[0], spanish)  # warm up
        seconds, found = timed(with_prefilter, points)
        handed = sum(candidates(lng, lat, spanish).count() for lng, lat in points[:200]) / min(200, len(points))
        plain_seconds, plain_found = timed(without_prefilter, points[:200])
        assert [p and p.pk for p in found[:200]] == [p and p.pk for p in plain_found], "pre-filter changed an answer"
        print(f"{options.lookups} lookups, {sum(1 for p in found if p)} inside a neighbourhood")
        print(
            f"with the bounding-box pre-filter: {options.lookups / seconds:,.0f} lookups/s "
            f"({seconds / options.lookups * 1000:.2f} ms each; {handed:.2f} neighbourhoods handed over on average)"
        )
        print(
            f"testing all {len(everyone)} boundaries in Python instead (already loaded): {200 / plain_seconds:,.0f} lookups/s"
        )
        from django.db import connection

        if connection.vendor == "postgresql":
            plan = candidates(*points[0], spanish).explain(analyze=True)
            execution = [line for line in plan.splitlines() if line.startswith("Execution Time")]
            print(f"PostgreSQL's own time for the box query: {execution[0].split(': ')[1] if execution else '?'}")
        print(f"machine load (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
