"""Spam, abuse and bad input on the public forms never give a 500 nor lose an honest resident.

Robots that fill the hidden honeypot are thanked and nothing is stored; a client over the rate
limit gets 429 with its answers kept and how long to wait; over-long, mistyped and unknown
answers get an error on their field; oversized bodies a 400 page and missing or expired CSRF
tokens a 403 page in the reader's language; NUL bytes are refused cleanly (PostgreSQL would not
store them). The rate limiter is tested on the process's memory cache and, when a Redis server
answers at ``REDIS_TEST_URL`` (default redis://127.0.0.1:6379/14), on Redis.
"""

import os
import socket
import threading
import time
from urllib.parse import urlparse

import pytest
from django.test import Client, RequestFactory, override_settings

from neighborhoods import abuse
from tests import factories

pytestmark = pytest.mark.django_db

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")


def redis_answers():
    parts = urlparse(REDIS_TEST_URL)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5):
            return True
    except OSError:
        return False


def redis_cache(url=REDIS_TEST_URL):
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "mibarrio-test-abuse",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "abuse-tests"}}


@pytest.fixture(params=["locmem", "redis"])
def any_cache(request):
    """The limiter on the memory cache and on Redis, each emptied before and after."""
    from django.core.cache import cache

    if request.param == "redis" and not redis_answers():
        pytest.skip(f"no Redis server at {REDIS_TEST_URL}")
    caches = LOCMEM if request.param == "locmem" else redis_cache()
    with override_settings(CACHES=caches):
        cache.clear()
        yield request.param
        cache.clear()


def post_from(address, **meta):
    return RequestFactory().post("/", {}, REMOTE_ADDR=address, **meta)


# --- The client's address -------------------------------------------------------------------


def test_the_forwarded_header_is_ignored_without_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = post_from("203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert abuse.client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.9", "198.51.100.9"),
        # A client may send its own header: the proxy appends the real address at the right.
        (1, "10.0.0.1, 198.51.100.9", "198.51.100.9"),
        (2, "10.0.0.1, 198.51.100.9, 192.0.2.50", "198.51.100.9"),
        # Fewer entries than proxies, or garbage where the address should be: REMOTE_ADDR.
        (2, "198.51.100.9", "203.0.113.7"),
        (1, "10.0.0.1, not-an-address", "203.0.113.7"),
        (1, "", "203.0.113.7"),
    ],
)
def test_behind_trusted_proxies_the_nth_address_from_the_right_is_the_client(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = post_from("203.0.113.7", HTTP_X_FORWARDED_FOR=forwarded)
    assert abuse.client_ip(request) == expected


# --- The rate limiter -----------------------------------------------------------------------


def test_the_limit_allows_n_submissions_per_client_and_form_then_refuses(settings, any_cache):
    settings.PARTICIPATION_RATE_LIMIT = "3/600"
    resident = post_from("203.0.113.7")
    assert [abuse.rate_limited(resident, "form-1") for _ in range(5)] == [False, False, False, True, True]
    # Another form, another client: counted apart.
    assert abuse.rate_limited(resident, "form-2") is False
    assert abuse.rate_limited(post_from("203.0.113.8"), "form-1") is False
    # How long to wait: about the window, in whole minutes for the resident.
    assert 590 <= abuse.retry_after(resident, "form-1") <= 600
    from django.utils import translation

    with translation.override("en"):
        assert "wait 10 minutes" in abuse.rate_limit_message(resident, "form-1")


def test_the_window_ends_and_the_client_may_send_again(settings, any_cache):
    settings.PARTICIPATION_RATE_LIMIT = "1/1"
    resident = post_from("203.0.113.7")
    assert abuse.rate_limited(resident, "form-1") is False
    assert abuse.rate_limited(resident, "form-1") is True
    time.sleep(1.2)
    assert abuse.rate_limited(resident, "form-1") is False


def test_the_limit_is_exact_under_concurrency(settings, any_cache):
    """Forty simultaneous submissions from one client with a limit of 15: exactly 15 pass."""
    settings.PARTICIPATION_RATE_LIMIT = "15/600"
    resident = post_from("203.0.113.7")
    results, start = [], threading.Barrier(40)

    def submit():
        start.wait()
        results.append(abuse.rate_limited(resident, "form-1"))

    threads = [threading.Thread(target=submit) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(False) == 15
    assert results.count(True) == 25


def test_ipv6_clients_are_counted_per_64_network(settings, any_cache):
    settings.PARTICIPATION_RATE_LIMIT = "2/600"
    assert abuse.rate_limited(post_from("2001:db8:1:2::10"), "form-1") is False
    assert abuse.rate_limited(post_from("2001:db8:1:2::11"), "form-1") is False
    assert abuse.rate_limited(post_from("2001:db8:1:2:ffff::1"), "form-1") is True
    assert abuse.rate_limited(post_from("2001:db8:1:3::10"), "form-1") is False


def test_a_malformed_limit_setting_falls_back_to_the_default(settings):
    for value in ("ten per minute", "0/600", "5/0", ""):
        settings.PARTICIPATION_RATE_LIMIT = value
        assert abuse.rate_limit() == (10, 600)
    settings.PARTICIPATION_RATE_LIMIT = "20/60"
    assert abuse.rate_limit() == (20, 60)


def test_nobody_is_refused_when_the_cache_server_is_down(settings):
    settings.PARTICIPATION_RATE_LIMIT = "1/600"
    with override_settings(CACHES=redis_cache("redis://127.0.0.1:1/0")):
        resident = post_from("203.0.113.7")
        assert [abuse.rate_limited(resident, "form-1") for _ in range(3)] == [False, False, False]


# --- CSRF and oversized bodies on any public page -------------------------------------------


def with_csrf_cookie(client):
    """Give the client the CSRF cookie a browser gets with a form; returns the matching token."""
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    return secret


@pytest.fixture
def barrio():
    return factories.neighborhood(title="Villa Fátima")


def test_a_post_without_csrf_token_gets_the_expired_form_page(barrio):
    client = Client(enforce_csrf_checks=True)
    response = client.post(barrio.url, {"q": "x"})
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "csrf_failure.html"
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "Saltar al contenido principal" in html  # the site's layout, in Spanish
    assert 'class="site-header"' in html


def test_the_expired_form_page_explains_in_the_readers_language_and_links_back(barrio):
    from django.utils import translation

    client = Client(enforce_csrf_checks=True)
    with_csrf_cookie(client)  # the cookie a resident's browser holds, but a stale token in the form
    with translation.override("en"):
        response = client.post(
            barrio.url, {"csrfmiddlewaretoken": "x" * 64}, HTTP_REFERER=f"http://testserver{barrio.url}"
        )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your form expired" in html
    assert "Your answers were not sent" in html
    assert f'href="http://testserver{barrio.url}"' in html
    # A link back to another site is never offered.
    response = Client(enforce_csrf_checks=True).post(barrio.url, {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_an_oversized_body_gets_a_400_page_not_a_500(settings, barrio):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    token = with_csrf_cookie(client)
    response = client.post(barrio.url, {"csrfmiddlewaretoken": token, "text": "x" * 5000})
    assert response.status_code == 400
