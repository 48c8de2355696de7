"""Static files are fingerprinted, compressed and cacheable for a year; pages stay within their weight budgets.

The production storage (WhiteNoise's CompressedManifestStaticFilesStorage) is exercised for real:
``collectstatic`` into a temporary folder, then the files served by WhiteNoise's middleware. Only
the portal's own static folder is collected (Wagtail's admin files are not linked by public
pages), which keeps the test fast. The benchmark ``bench/page_weight.py`` measures the demo
city; here its measuring code runs against a small city built by the factories.
"""

import datetime
import gzip
import importlib.util
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

import pytest

from tests import factories
from works.models import published_works

BENCH = Path(settings.BASE_DIR) / "bench" / "page_weight.py"
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
ONE_YEAR = 365 * 24 * 60 * 60


def load_bench():
    spec = importlib.util.spec_from_file_location("page_weight", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_production_settings_use_whitenoises_compressed_manifest_storage():
    assert production_setting("settings.STORAGES['staticfiles']")["BACKEND"] == PRODUCTION_STORAGE
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


@pytest.fixture
def collected(settings, tmp_path):
    """The portal's static files collected with the production storage into a temporary STATIC_ROOT."""
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    return Path(settings.STATIC_ROOT)


def test_collected_static_files_are_fingerprinted_and_compressed(collected):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]

    for name in ("css/mibarrio.css", "css/print.css"):
        hashed = manifest[name]
        assert re.fullmatch(re.escape(name[:-4]) + r"\.[0-9a-f]{12}\.css", hashed)
        assert (collected / hashed).exists()
        assert (collected / f"{hashed}.gz").exists()
        assert (collected / f"{hashed}.gz").stat().st_size < (collected / hashed).stat().st_size
        assert static(name) == f"/static/{hashed}"


@pytest.mark.django_db
def test_pages_link_the_fingerprinted_files_which_are_served_compressed_and_cacheable_for_a_year(collected):
    page = Client().get("/es/no-existe/").content.decode()
    stylesheet = re.search(r'<link rel="stylesheet" href="(/static/css/mibarrio\.[0-9a-f]{12}\.css)">', page).group(1)

    response = Client().get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache_control = response["Cache-Control"]
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= ONE_YEAR
    assert "immutable" in cache_control
    assert "public" in cache_control


@pytest.mark.django_db
def test_every_page_type_of_a_small_city_is_within_the_weight_budgets(collected):
    bench = load_bench()
    with factories.aliases_made():
        barrio = factories.neighborhood_for_bulletin(works=12)
        work = list(published_works(barrio))[0]
        factories.add_work_media(
            work, photos=4, documents=2, updates=[(datetime.date(2026, i, 1), f"Avance {i}") for i in range(1, 7)]
        )
        factories.news(barrio.get_parent())
        factories.budget_line(barrio.get_parent(), amount_allocated=Decimal("10.00"), amount_executed=Decimal("0"))

    weights = {weight.name: weight for weight in bench.measure(collected)}

    assert set(weights) >= {"home", "submunicipality", "neighbourhood", "work", "news", "budget", "search", "bulletin"}
    for weight in weights.values():
        assert weight.html_gz <= bench.HTML_BUDGET, weight
        assert weight.assets_gz <= bench.ASSETS_BUDGET, weight
        assert weight.passed, weight
        assert any(url.startswith("/static/css/mibarrio.") for url, _ in weight.assets) or weight.name == "bulletin"


def test_the_budget_verdict_fails_a_page_over_any_budget():
    bench = load_bench()
    ok = bench.Weight("x", "/", html_raw=50_000, html_gz=14 * 1024, assets_gz=30 * 1024, assets=[])

    assert ok.passed
    assert not bench.Weight("x", "/", 0, 14 * 1024 + 1, 0, []).passed
    assert not bench.Weight("x", "/", 0, 0, 30 * 1024 + 1, []).passed


def production_setting(expression):
    code = f"import json; from django.conf import settings; print(json.dumps({expression}))"
    env = {**os.environ, "SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "portal.settings.production"}
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output)


@pytest.mark.django_db
def test_production_sends_pages_gzipped_and_leaves_static_files_to_whitenoise(settings):
    middleware = production_setting("settings.MIDDLEWARE")
    assert middleware.index("django.middleware.gzip.GZipMiddleware") == (
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    )
    settings.MIDDLEWARE = middleware

    response = Client().get("/es/no-existe/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content).decode().lstrip().lower().startswith("<!doctype html>")
