"""Error pages: 400, 403, 404 and 500 in the reader's language, with the site's layout and the right status.

Read under /en/ (the interface's source strings are English, so the tests do not wait for the
Spanish catalog) and under /es/ for the language attribute. The 403 and 500 pages are reached
through two views this module adds in front of the portal's URLs.
"""

import re

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied
from django.urls import path

import pytest

from portal.urls import urlpatterns as portal_urlpatterns
from tests.clients import BrowserFormClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = (
    i18n_patterns(path("prohibido/", refuse), path("falla/", fail), prefix_default_language=True) + portal_urlpatterns
)


def assert_site_layout(markup, language):
    assert markup.lstrip().lower().startswith("<!doctype html>")
    assert f'<html lang="{language}">' in markup
    assert len(re.findall(r"<h1\b", markup)) == 1
    assert '<a class="skip-link" href="#main">' in markup
    assert '<header class="site-header">' in markup
    assert '<main id="main"' in markup
    assert '<footer class="site-footer">' in markup
    assert "/static/css/mibarrio.css" in markup


def test_a_missing_page_is_a_404_in_the_readers_language(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    markup = response.content.decode()
    assert_site_layout(markup, "en")
    assert "<h1>Page not found</h1>" in markup
    assert 'class="language-switcher"' in markup
    assert_site_layout(client.get("/es/no-existe/").content.decode(), "es")


def test_a_refused_page_is_a_403_in_the_readers_language_with_the_full_layout(client):
    response = client.get("/en/prohibido/")

    assert response.status_code == 403
    markup = response.content.decode()
    assert_site_layout(markup, "en")
    assert "<h1>Access denied</h1>" in markup
    assert "You are not allowed to see this page." in markup
    assert 'class="site-search"' in markup
    assert_site_layout(client.get("/es/prohibido/").content.decode(), "es")


def test_a_form_sent_without_its_security_token_is_a_403_that_says_what_to_do():
    client = BrowserFormClient(enforce_csrf_checks=True)

    response = client.post("/en/search/", {"q": "plaza"})

    assert response.status_code == 403
    markup = response.content.decode()
    assert_site_layout(markup, "en")
    assert "Go back, reload the page and send the form again." in markup
    assert "CSRF" not in markup


def test_a_request_for_another_sites_address_is_a_400(client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]

    response = client.get("/en/", HTTP_HOST="not-our-site.example")

    assert response.status_code == 400
    markup = response.content.decode()
    assert_site_layout(markup, "en")
    assert "<h1>The portal could not accept this request</h1>" in markup


def test_an_oversized_request_is_a_400_in_the_readers_language(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client = BrowserFormClient(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32

    response = client.post("/en/search/", {"csrfmiddlewaretoken": "a" * 32, "q": "x" * 5000})

    assert response.status_code == 400
    markup = response.content.decode()
    assert_site_layout(markup, "en")
    assert "too large" in markup


def test_a_server_error_is_a_500_in_the_readers_language():
    client = BrowserFormClient(raise_request_exception=False)

    response = client.get("/en/falla/")
    spanish = BrowserFormClient(raise_request_exception=False).get("/es/falla/")

    assert response.status_code == 500
    markup = response.content.decode()
    assert_site_layout(markup, "en")
    assert "<h1>Something went wrong</h1>" in markup
    assert spanish.status_code == 500
    assert_site_layout(spanish.content.decode(), "es")
    assert "<h1>Algo salió mal</h1>" in spanish.content.decode()
