"""Benchmark: what each page type weighs on a resident's phone, against its weight budget.

For each page type of the demo city (home, submunicipality, neighbourhood, work, news, budget,
search, bulletin, and consultation once ``participation.ConsultationPage`` exists) it fetches the
Spanish page through Django's test client and prints:

- the HTML, raw and gzipped (``gzip -6``, what a compressing proxy or server sends);
- the CSS and JavaScript the page links (stylesheets and scripts), gzipped: the ``.gz`` files
  WhiteNoise serves, made by ``collectstatic`` with the production storage (fingerprinted and
  compressed). Files a script loads only on demand (the interactive map's Leaflet) are not
  linked by the page and are not counted: they are never downloaded unless the resident asks;
- the total before images, and PASS or FAIL against the budgets: HTML ≤ 14 KB gzipped,
  CSS+JS ≤ 30 KB gzipped, total ≤ 60 KB (1 KB = 1024 bytes).

    .venv/bin/python bench/page_weight.py [--markdown]

Without ``DATABASE_URL`` it builds the demo city in a temporary SQLite database (migrate and
``load_demo``, about a minute); with it, it reads that database, which must hold the demo city
(``manage.py load_demo``). Static files are collected into a temporary folder either way.
Exits with status 1 when a page is over budget.
"""

import argparse
import gzip
import io
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

KB = 1024
HTML_BUDGET = 14 * KB
ASSETS_BUDGET = 30 * KB
TOTAL_BUDGET = 60 * KB

ASSET_PATTERN = re.compile(
    r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"|<script\b[^>]*\bsrc="([^"]+)"', re.IGNORECASE
)


@dataclass
class Weight:
    name: str
    url: str
    html_raw: int
    html_gz: int
    assets_gz: int
    assets: list

    @property
    def total(self):
        return self.html_gz + self.assets_gz

    @property
    def passed(self):
        return self.html_gz <= HTML_BUDGET and self.assets_gz <= ASSETS_BUDGET and self.total <= TOTAL_BUDGET


def production_static_settings():
    """The static files storage of ``portal.settings.production`` (see ``main`` for its secret key)."""
    import importlib

    production = importlib.import_module("portal.settings.production")
    return production.STORAGES["staticfiles"]


def collect_static(static_root, storage):
    from django.core.management import call_command
    from django.test import override_settings

    settings_override = override_settings(
        STATIC_ROOT=str(static_root), STORAGES={**_settings().STORAGES, "staticfiles": storage}
    )
    settings_override.enable()
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings_override


def _settings():
    from django.conf import settings

    return settings


def gzipped_size(data):
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def asset_sizes(markup, static_root):
    """The gzipped size of every stylesheet and script the page links, from the collected files."""
    static_url = _settings().STATIC_URL
    sizes = []
    for match in ASSET_PATTERN.finditer(markup):
        url = (match.group(1) or match.group(2)).split("?")[0]
        if not url.startswith(static_url):
            raise SystemExit(f"{url} is not served by the portal: every asset must be (no CDN).")
        path = Path(static_root) / url[len(static_url) :]
        compressed = path.with_name(path.name + ".gz")
        if not path.exists():
            raise SystemExit(f"{url} was not collected: run with the production storage.")
        size = compressed.stat().st_size if compressed.exists() else gzipped_size(path.read_bytes())
        sizes.append((url, size))
    return sizes


def page_urls():
    """One Spanish address of each page type of the demo city (the richest of each kind)."""
    from django.apps import apps
    from django.db.models import Count

    from wagtail.models import Locale

    from neighborhoods.models import NeighborhoodPage, NewsPage, SubmunicipalityPage
    from works.models import PublicWorkPage

    spanish = Locale.get_default()

    def live(model):
        return model.objects.live().public().filter(locale=spanish)

    submunicipality = live(SubmunicipalityPage).order_by("path").first()
    if submunicipality is None:
        raise SystemExit("No demo city in this database: run `manage.py load_demo` first.")
    neighborhood = max(live(NeighborhoodPage), key=lambda page: page.get_children().count())
    work = (
        live(PublicWorkPage)
        .annotate(media=Count("photos", distinct=True) + Count("updates", distinct=True))
        .order_by("-media", "path")
        .first()
    )
    news = live(NewsPage).order_by("-date", "path").first()
    urls = {
        "home": "/es/",
        "submunicipality": submunicipality.url,
        "neighbourhood": neighborhood.url,
        "work": work.url,
        "news": news.url,
        "budget": submunicipality.url + "presupuesto/",
        "search": "/es/search/?q=obra",
        "bulletin": neighborhood.url + "boletin/",
    }
    try:
        consultation_model = apps.get_model("participation", "ConsultationPage")
    except LookupError:
        consultation_model = None
    if consultation_model is not None:
        consultation = live(consultation_model).order_by("path").first()
        if consultation is not None:
            urls["consultation"] = consultation.url
    return urls


def measure(static_root):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    weights = []
    for name, url in page_urls().items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
        markup = response.content.decode()
        assets = asset_sizes(markup, static_root)
        weights.append(
            Weight(
                name=name,
                url=url,
                html_raw=len(response.content),
                html_gz=gzipped_size(response.content),
                assets_gz=sum(size for _, size in assets),
                assets=assets,
            )
        )
    return weights


def kb(size):
    return f"{size / KB:.1f}"


def table(weights, markdown=False):
    header = ["page", "HTML raw KB", "HTML gz KB", "CSS+JS gz KB", "total KB", "result"]
    rows = [
        [w.name, kb(w.html_raw), kb(w.html_gz), kb(w.assets_gz), kb(w.total), "PASS" if w.passed else "FAIL"]
        for w in weights
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=False))]
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mibarrio-page-weight-"))
    fresh = "DATABASE_URL" not in os.environ
    if fresh:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    # The production settings refuse to load without a key; they are read only for their storage.
    os.environ.setdefault("SECRET_KEY", "page-weight-benchmark-only")
    storage = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        _settings().MEDIA_ROOT = str(workdir / "media")
        storage = production_static_settings()
        if fresh:
            print("Building the demo city in a temporary SQLite database…", file=sys.stderr)
            call_command("migrate", verbosity=0, stdout=io.StringIO())
            call_command("load_demo", verbosity=0, stdout=io.StringIO())
        print(f"Collecting static files with {storage['BACKEND']}…", file=sys.stderr)
        collect_static(workdir / "static", storage)
        weights = measure(workdir / "static")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(table(weights, markdown=options.markdown))
    print()
    print(
        f"Budgets: HTML ≤ {HTML_BUDGET // KB} KB gzipped, CSS+JS ≤ {ASSETS_BUDGET // KB} KB gzipped, "
        f"total ≤ {TOTAL_BUDGET // KB} KB before images. Static storage: {storage['BACKEND']}."
    )
    assets = sorted({url: size for w in weights for url, size in w.assets}.items())
    print("Linked assets (gzipped): " + ", ".join(f"{url} {kb(size)} KB" for url, size in assets))
    return 0 if all(w.passed for w in weights) else 1


if __name__ == "__main__":
    sys.exit(main())
