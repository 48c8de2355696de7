#!/usr/bin/env python
"""Record every public URL of the demo city and its HTTP status, to check a restructuring.

Run it on the code before a change and on the code after it; the second run compares::

    python scripts/public_urls.py --output /tmp/public_urls.before.json
    python scripts/public_urls.py --compare /tmp/public_urls.before.json

Each run builds a throw-away SQLite database and media folder in a temporary directory
(``manage.py migrate`` and ``manage.py load_demo`` in a subprocess, ``DATABASE_URL`` and
``MEDIA_ROOT`` pointing there), then crawls the site in this process with Django's test client:
settings ``portal.settings.dev`` with ``DEBUG=0`` (errors answer with the portal's own 404 and
500 pages, as in production), host ``localhost``, ``REDIS_URL`` unset (a local-memory cache).

- ``/sitemap.xml`` (a sitemap index is followed) gives the pages: every ``<loc>``. They and
  ``FIXED_PATHS`` are depth 0.
- Each HTML page at depth 0 adds the URLs of this site it points to (``href``, ``src``,
  ``action``, and ``data-*`` ones holding a path; resolved against the page, so ``/…``, ``?…``
  and absolute URLs on the sitemap's host): feeds, budget pages, bulletins, works and search
  filters, open-data files, the map's GeoJSON. Those are depth 1: fetched, not crawled further
  unless ``--depth`` says so (``--depth 2`` adds some 1,000 URLs: the years, orders and pages of
  every budget, and the filters combined).
- A response's ``Location`` and ``Link`` headers (a CSV's metadata sidecar) add their target at
  the response's own depth.

Paths under ``SKIPPED_PREFIXES`` (the two admins, documents, and media and static files, which
the application does not serve under ``DEBUG=0``) are never fetched. Each request is sent
without cookies, so the language one page remembers cannot change where another redirects.

The JSON maps each path (with its query string, without its fragment) to its ``status`` and
``content_type``, plus ``location`` for a redirect (a path when it stays on the site) and
``error`` for a download that fails while it streams, and ``queries`` for an HTML page: the
database queries it takes when asked a second time (caches warm); a comparison reports a page
that takes more than before. 5xx responses are printed with their
exception. The crawl stops at ``--max-urls`` (5,000 by default) and says so.

Determinism: nothing needs normalising beyond dropping fragments. What varies from one run to
the next is content (the demo dates its consultations from the moment it is loaded; forms carry
CSRF tokens), and content is not recorded, only statuses, content types and redirect targets;
the links found in pages do not vary either. Two runs on the same code give byte-identical files.
Some paths hold page ids (``/es/datos/barrio/<id>/obras.csv``, ``/es/mapa/<id>/geojson/``,
``/es/search/?q=plaza&area=<id>``): they stay the same as long as the migrations and
``load_demo`` create the pages in the same order. If a comparison lists such paths only in the
old run and similar ones only in the new, the fresh database numbered its pages differently (say,
a migration that creates pages was redone), which an existing database would not; it is not a
change of URL scheme.

Only the standard library, Django, ``manage.py`` and URLs found at run time are used, never the
project's own modules, so the same file works on the old and the new layout of the apps.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

PROJECT_DIR = Path(__file__).resolve().parent.parent
SETTINGS = "portal.settings.dev"
HOST = "localhost"
#: Always fetched, at depth 0 (their links are followed): besides the obvious ones, a search with
#: results, the map's "which neighbourhood is this point in" (a point in San Sebastián, Centro),
#: and a page that does not exist (the portal's own 404 page must render).
FIXED_PATHS = (
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/api/v2/pages/",
    "/api/v2/pages/?locale=ay",
    "/es/search/?q=plaza",
    "/es/mapa/donde/?lat=-16.5&lon=-68.13",
    "/es/no-existe/",
)
SKIPPED_PREFIXES = ("/admin/", "/documents/", "/media/", "/static/")
MAX_URLS = 5000
PROGRESS_EVERY = 50
MAX_LISTED = 30  # failing URLs printed in the summary

Result = dict[str, dict[str, Any]]


class LinkParser(HTMLParser):
    """Collect the URLs an HTML document points to: its ``href``, ``src`` and ``action``
    attributes, and its ``data-*`` attributes that hold a path or an absolute URL (the map reads
    its GeoJSON from ``data-geojson-url``; the others hold labels)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            value = (value or "").strip()
            if name in ("href", "src", "action") or name.startswith("data-") and value.startswith(("/", "http")):
                self.urls.append(value)


def build_database() -> None:
    """Create the demo city (``migrate``, then ``load_demo``) in the database that
    ``DATABASE_URL`` names, showing the commands' output."""
    for command in (["migrate", "--no-input"], ["load_demo"]):
        print(f"$ manage.py {' '.join(command)}", flush=True)
        started = time.monotonic()
        finished = subprocess.run([sys.executable, "manage.py", *command], cwd=PROJECT_DIR, check=False)  # noqa: S603 - fixed arguments
        if finished.returncode:
            print(
                f"manage.py {command[0]} failed (exit status {finished.returncode}): nothing fetched.", file=sys.stderr
            )
            raise SystemExit(2)
        print(f"  ({time.monotonic() - started:.0f} s)", flush=True)


def site_path(url: str, hosts: set[str]) -> str | None:
    """The path (and query) of ``url`` if it points to this site and is not skipped, else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc not in hosts):
        return None
    if not parts.path.startswith("/"):
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if path.startswith(SKIPPED_PREFIXES) else path


def sitemap_locs(body: bytes) -> tuple[str, list[str]]:
    """The root element's name (``urlset`` or ``sitemapindex``) and every ``<loc>`` of a sitemap."""
    root = ElementTree.fromstring(body)  # noqa: S314 - the portal's own sitemap, built just now
    locs = [element.text.strip() for element in root.iter() if element.tag.endswith("}loc") and element.text]
    return root.tag.rpartition("}")[2], locs


def crawl(max_urls: int = MAX_URLS, max_depth: int = 1) -> tuple[Result, bool]:
    """Fetch the sitemap, its pages, ``FIXED_PATHS`` and what they link to, ``max_depth`` links
    away; return the results (sorted by path) and whether ``max_urls`` stopped the crawl. Needs
    Django set up on the demo database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False, HTTP_HOST=HOST)
    hosts = {HOST, "testserver"}
    results: Result = {}

    def warm_queries(path: str) -> int:
        """How many database queries the page takes asked a second time (caches warm)."""
        client.cookies.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(path).close()
        return len(queries)

    def fetch(path: str) -> tuple[dict[str, Any], bytes, list[str]]:
        """GET ``path`` without cookies and record it in ``results``. Return the record, the body and
        the site's URLs the headers point to (``Location``, ``Link``: a CSV's metadata sidecar)."""
        client.cookies.clear()
        response = client.get(path)
        record: dict[str, Any] = {"status": response.status_code, "content_type": response.get("Content-Type", "")}
        if response.has_header("Location"):
            record["location"] = site_path(response["Location"], hosts) or response["Location"]
        try:  # a streamed download (CSV, GeoJSON) fails, if at all, while it is read
            body = b"".join(response.streaming_content) if response.streaming else response.content
        except Exception as error:  # noqa: BLE001 - any failure is a finding, not a crash
            record["error"], body = f"while streaming: {type(error).__name__}", b""
        finally:
            response.close()
        exc_info = getattr(response, "exc_info", None)
        if exc_info or "error" in record:
            detail = f"{type(exc_info[1]).__name__}: {exc_info[1]}" if exc_info else record["error"]
            print(f"  {record['status']} {path}: {detail}", flush=True)
        if record["status"] == 200 and "html" in record["content_type"]:
            record["queries"] = warm_queries(path)
        results[path] = record
        if len(results) % PROGRESS_EVERY == 0:
            print(f"  {len(results)} URLs…", flush=True)
        targets = [response["Location"]] if response.has_header("Location") else []
        targets += re.findall(r"<([^>]*)>", response.get("Link", ""))
        return record, body, [target for target in (site_path(url, hosts) for url in targets) if target]

    # The sitemap, following an index, names the pages: depth 0, as are FIXED_PATHS.
    queue: deque[tuple[str, int]] = deque()
    sitemaps = deque(["/sitemap.xml"])
    while sitemaps and len(results) < max_urls:
        record, body, _related = fetch(sitemaps.popleft())
        if record["status"] != 200:
            continue
        kind, locs = sitemap_locs(body)
        hosts.update(urlsplit(loc).netloc for loc in locs)
        paths = [path for path in (site_path(loc, hosts) for loc in locs) if path and path not in results]
        if kind == "sitemapindex":
            sitemaps.extend(paths)
        else:
            queue.extend((path, 0) for path in paths)
    queue.extend((path, 0) for path in FIXED_PATHS)

    # A page adds what it links to, one deeper; what its headers point to keeps its depth.
    while queue and len(results) < max_urls:
        path, depth = queue.popleft()
        if path in results:
            continue
        record, body, related = fetch(path)
        queue.extend((target, depth) for target in related if target not in results)
        if depth < max_depth and record["status"] == 200 and "html" in record["content_type"]:
            parser = LinkParser()
            parser.feed(body.decode("utf-8", errors="replace"))
            links = (site_path(urljoin(path, url.partition("#")[0]), hosts) for url in parser.urls)
            queue.extend((link, depth + 1) for link in links if link and link not in results)
    capped = bool(sitemaps) or any(path not in results for path, _depth in queue)
    return dict(sorted(results.items())), capped


def differences(old: Result, new: Result) -> list[str]:
    """One line per path whose record differs between ``old`` and ``new`` or is in only one.

    A page that takes fewer queries than before is no difference; one that takes more is.
    """
    lines = []
    for path in sorted(old.keys() | new.keys()):
        before, after = old.get(path), new.get(path)
        if before is not None and after is not None:
            old_queries, new_queries = before.get("queries", 0), after.get("queries", 0)
            if {**before, "queries": 0} == {**after, "queries": 0}:
                if new_queries > old_queries:
                    lines.append(f"more queries: {path} {old_queries}, now {new_queries}")
                continue
        if before is None:
            lines.append(f"only in new: {path} {describe(after)}")
        elif after is None:
            lines.append(f"only in old: {path} {describe(before)}")
        else:
            lines.append(f"changed:     {path} {describe(before)}, now {describe(after)}")
    return lines


def describe(record: dict[str, Any]) -> str:
    """A record in one short line: status, content type and any redirect target."""
    text = f"{record['status']} {record['content_type']}"
    text += f" to {record['location']}" if "location" in record else ""
    text += f", {record['queries']} queries" if "queries" in record else ""
    return text + (f" ({record['error']})" if "error" in record else "")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    parser = argparse.ArgumentParser(
        description=(
            "Build the demo city in a throw-away SQLite database, fetch every public URL with "
            "Django's test client and record its status, content type and redirect target. "
            "Run from any directory; takes about a minute and a half."
        ),
        epilog=(
            "Examples: '%(prog)s --output before.json' on the old code, then "
            "'%(prog)s --compare before.json' on the new code (exit status 1 if anything differs)."
        ),
    )
    parser.add_argument("--output", type=Path, metavar="NEW.json", help="write the result to this JSON file")
    parser.add_argument(
        "--compare", type=Path, metavar="OLD.json", help="compare with this earlier result; exit 1 if any URL differs"
    )
    parser.add_argument(
        "--max-urls", type=int, default=MAX_URLS, help=f"stop after this many URLs (default {MAX_URLS})"
    )
    parser.add_argument(
        "--depth",
        type=int,
        default=1,
        help=(
            "how many links away from the sitemap's pages to go (default 1: their links are fetched, "
            "not crawled; 2 adds budget years and orders and combined filters; compare runs of the same depth)"
        ),
    )
    args = parser.parse_args(argv)
    if not args.output and not args.compare:
        parser.error("give --output, --compare or both")
    if args.compare and not args.compare.is_file():
        parser.error(f"--compare: no such file: {args.compare}")
    return args


def main(argv: list[str] | None = None) -> int:
    """Build, crawl, write and compare; return the exit status."""
    args = parse_args(argv)
    old = json.loads(args.compare.read_text()) if args.compare else None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="public-urls-") as workdir:
        os.environ.pop("REDIS_URL", None)
        os.environ.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            DATABASE_URL=f"sqlite:///{workdir}/db.sqlite3",
            MEDIA_ROOT=f"{workdir}/media",
            DEBUG="0",
        )
        build_database()
        sys.path.insert(0, str(PROJECT_DIR))
        import django

        django.setup()
        logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 404s and 500s are reported below
        warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic here
        print(f"Crawling http://{HOST}/ …", flush=True)
        results, capped = crawl(args.max_urls, args.depth)
        from django.db import connections

        connections.close_all()  # before the database file goes

    counts = Counter(record["status"] for record in results.values())
    summary = ", ".join(f"{status}: {count}" for status, count in sorted(counts.items()))
    queries = sum(record.get("queries", 0) for record in results.values())
    print(
        f"{len(results)} URLs in {time.monotonic() - started:.0f} s ({summary}); {queries} queries for the HTML pages"
    )
    failing = [f"  {record['status']} {path}" for path, record in results.items() if record["status"] >= 400]
    if failing:
        print(f"Answering 4xx or 5xx ({len(failing)}):", *failing[:MAX_LISTED], sep="\n")
        if len(failing) > MAX_LISTED:
            print(f"  … and {len(failing) - MAX_LISTED} more (see the JSON)")
    if capped:
        print(f"Stopped at --max-urls={args.max_urls}: some URLs were not fetched.")
    if args.output:
        args.output.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
        print(f"Wrote {args.output}")
    if old is None:
        return 0
    lines = differences(old, results)
    if lines:
        print(*lines, sep="\n")
        print(f"{len(lines)} of {len(old.keys() | results.keys())} URLs differ from {args.compare}.")
        return 1
    print(f"All {len(results)} URLs are identical to {args.compare}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
