"""Security headers: a Content-Security-Policy with no inline script on public pages (and the
admin's own), ``Permissions-Policy``, and a language cookie kept to the site."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def pages():
    with factories.aliases_made():
        barrio = factories.neighborhood(title="Barrio Seguro", boundary=factories.SQUARE)
        work = factories.work(barrio, title="Obra Segura", latitude="-16.5", longitude="-68.13")
        news = factories.news(barrio, title="Noticia Segura")
        consultation = factories.consultation(barrio, title="Consulta Segura")
    return [barrio, work, news, consultation, barrio.get_parent(), barrio.get_parent().get_parent()]


def test_public_pages_allow_scripts_and_styles_from_the_portal_only_and_carry_none_inline(client, pages):
    urls = [page.url for page in pages]
    urls += [f"{pages[0].url}boletin/", f"{pages[0].url}presupuesto/", "/es/search/?q=segura", "/es/mapa/donde/"]
    urls += [url.replace("/es/", "/ay/", 1) for url in urls]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"], url
        assert "https://tile.openstreetmap.org" in policy["img-src"], url
        markup = response.content.decode()
        assert not INLINE_SCRIPT.search(markup), (url, INLINE_SCRIPT.search(markup))
        assert " style=" not in markup, url
        assert "camera=()" in response["Permissions-Policy"], url


def test_the_map_tiles_host_follows_the_setting(client, settings, pages):
    from importlib import reload

    import portal.settings.base as base

    os.environ["MAP_TILE_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    try:
        reload(base)
        settings.CONTENT_SECURITY_POLICY = base.CONTENT_SECURITY_POLICY
    finally:
        del os.environ["MAP_TILE_URL"]
        reload(base)
    policy = directives(client.get(pages[0].url)["Content-Security-Policy"])
    assert "https://tiles.example.org" in policy["img-src"]
    assert "https://tile.openstreetmap.org" not in policy["img-src"]


def test_the_admin_has_its_own_policy(admin_client, pages):
    response = admin_client.get(f"/admin/pages/{pages[1].pk}/edit/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_language_cookie_stays_on_the_site_and_is_https_only_in_production(client, pages):
    response = client.get(pages[0].url.replace("/es/", "/ay/", 1))
    cookie = response.cookies["django_language"]
    assert cookie.value == "ay"
    assert cookie["samesite"] == "Lax"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "a-long-random-production-like-secret-key-for-the-cookie-check-0123456789",
        "ALLOWED_HOSTS": "mibarrio.example.org",
    }
    script = "import django; django.setup(); from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"
