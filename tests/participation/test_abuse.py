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

from django.test import RequestFactory, override_settings

import pytest

from home.clients import client_ip
from participation import abuse
from tests import factories
from tests.clients import BrowserFormClient

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
    assert client_ip(request) == "203.0.113.7"


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
    assert client_ip(request) == expected


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
    client = BrowserFormClient(enforce_csrf_checks=True)
    response = client.post(barrio.url, {"q": "x"})
    assert response.status_code == 403
    assert [t.name for t in response.templates][0] == "csrf_failure.html"
    html = response.content.decode()
    assert '<html lang="es"' in html
    assert "Saltar al contenido principal" in html  # the site's layout, in Spanish
    assert 'class="site-header"' in html


def test_the_expired_form_page_explains_in_the_readers_language_and_links_back(barrio):
    client = BrowserFormClient(enforce_csrf_checks=True)
    with_csrf_cookie(client)  # the cookie a resident's browser holds, but a stale token in the form
    response = client.post(barrio.url, {"csrfmiddlewaretoken": "x" * 64}, HTTP_REFERER=f"http://testserver{barrio.url}")
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="es">' in html  # the page the form was on is Spanish
    assert "Su formulario venció" in html
    assert "Sus respuestas no se enviaron" in html
    assert f'href="http://testserver{barrio.url}"' in html
    # A link back to another site is never offered.
    response = BrowserFormClient(enforce_csrf_checks=True).post(barrio.url, {}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_an_oversized_body_gets_a_400_page_not_a_500(settings, barrio):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    client = BrowserFormClient(enforce_csrf_checks=True, raise_request_exception=False)
    token = with_csrf_cookie(client)
    response = client.post(barrio.url, {"csrfmiddlewaretoken": token, "text": "x" * 5000})
    assert response.status_code == 400


# --- End to end, through a consultation's page ----------------------------------------------

# Every type of question the form builder offers: (clean_name, label, type, choices, personal).
QUESTIONS = (
    ("opinion", "¿Qué opina?", "multiline", "", False),
    ("titulo", "En pocas palabras", "singleline", "", False),
    ("edad", "Edad", "number", "", False),
    ("fecha", "¿Desde cuándo?", "date", "", False),
    ("cuando", "¿A qué hora pasa?", "datetime", "", False),
    ("correo", "Su correo", "email", "", True),
    ("web", "Un enlace", "url", "", False),
    ("zona", "Zona", "dropdown", "Norte\nSur", False),
    ("prioridad", "¿Qué es lo más urgente?", "radio", "Agua\nVías\nParques", False),
    ("temas", "Temas", "checkboxes", "Luz\nBancas\nÁrboles", False),
    ("varios", "Otros", "multiselect", "A\nB", False),
    ("acepto", "Leí el proyecto", "checkbox", "", False),
)
VALID = {
    "opinion": "Más luz en la plaza",
    "titulo": "Plaza",
    "edad": "34",
    "fecha": "2026-11-20",
    "cuando": "2026-11-20 18:30",
    "web": "https://example.org/plaza",
    "zona": "Norte",
    "prioridad": "Agua",
    "temas": ["Luz", "Bancas"],
    "varios": ["A"],
    "acepto": "on",
}


def spanish(text):
    """What a Spanish reader reads (the catalog's translation, or the English msgid until then)."""
    from django.utils import translation

    with translation.override("es"):
        return translation.gettext(text)


def stored():
    from participation.models import Submission

    return Submission.objects.count()


@pytest.fixture
def consultation(barrio):
    return factories.consultation(
        barrio, title="La plaza de Villa Fátima", questions=QUESTIONS, thank_you_text="<p>Gracias por su respuesta.</p>"
    )


def field_error(html, name):
    """The error text shown next to question ``name`` (tied to it by its id)."""
    import re

    match = re.search(rf'id="field-{name}-error">([^<]*)<', html)
    return match.group(1) if match else None


def test_a_valid_answer_of_every_type_is_stored(client, consultation):
    response = client.post(consultation.url, VALID, follow=True)
    assert response.redirect_chain == [(f"{consultation.url}?gracias=1", 303)]
    assert "Gracias por su respuesta." in response.content.decode()
    assert stored() == 1


def test_the_spam_trap_is_hidden_never_autofilled_and_robots_are_thanked_but_not_stored(client, consultation):
    from django.core import mail

    html = client.get(consultation.url).content.decode()
    trap = html[html.index('<div class="form-trap" hidden>') :]
    trap = trap[: trap.index("</div>")]
    assert f'name="{abuse.HONEYPOT_FIELD}"' in trap and 'autocomplete="off"' in trap and 'tabindex="-1"' in trap
    # A robot fills every field, the trap too: the same thank-you page, and nothing stored or sent.
    honest = client.post(consultation.url, VALID, follow=True)
    mail.outbox.clear()
    robot = client.post(consultation.url, {**VALID, abuse.HONEYPOT_FIELD: "http://spam.example"}, follow=True)
    assert robot.status_code == honest.status_code == 200
    assert robot.redirect_chain == honest.redirect_chain
    assert [t.name for t in robot.templates][0] == [t.name for t in honest.templates][0]
    assert "Gracias por su respuesta." in robot.content.decode()
    assert stored() == 1
    assert mail.outbox == []
    # Whitespace is what an empty field may hold: an honest resident is not a robot.
    assert client.post(consultation.url, {**VALID, abuse.HONEYPOT_FIELD: " "}).status_code == 303
    assert stored() == 2


def test_past_the_limit_429_keeps_every_answer_and_says_how_long_to_wait_in_the_readers_language(settings, barrio):
    import re

    from django.utils import translation
    from django.utils.html import escape

    settings.PARTICIPATION_RATE_LIMIT = "2/600"
    with factories.aliases_made():
        page = factories.consultation(barrio, questions=QUESTIONS)
    english = page.get_translations().get(locale__language_code="en")
    client = BrowserFormClient()
    assert client.post(page.url, VALID).status_code == 303
    # Answers with errors are not counted: the resident may correct them.
    for _ in range(3):
        assert client.post(page.url, {**VALID, "edad": "muchos"}).status_code == 200
    assert client.post(english.url, VALID).status_code == 303
    response = client.post(english.url, {**VALID, "opinion": "Tercera opinión, con ñ"})
    html = response.content.decode()
    assert response.status_code == 429
    assert 595 <= int(response["Retry-After"]) <= 600
    assert '<html lang="en"' in html
    with translation.override("en"):
        assert "please wait 10 minutes and send the form again" in html
    assert re.search(r">\s*Tercera opinión, con ñ</textarea>", html)
    assert 'value="Plaza"' in html and 'value="34"' in html
    assert re.search(r'value="Bancas"[^>]*checked', html)
    assert stored() == 2
    # In Spanish, the same refusal, in Spanish.
    response = client.post(page.url, VALID)
    assert response.status_code == 429
    with translation.override("es"):
        assert escape(abuse.RATE_LIMIT_MESSAGE % {"minutes": 10}) in response.content.decode()
    # Another form of the portal is not affected.
    other = factories.consultation(barrio, questions=QUESTIONS)
    assert client.post(other.url, VALID).status_code == 303
    assert stored() == 3


def test_behind_a_proxy_residents_are_told_apart_and_a_forged_header_does_not_help(settings, consultation):
    settings.PARTICIPATION_RATE_LIMIT = "1/600"
    settings.TRUSTED_PROXY_COUNT = 0
    client = BrowserFormClient()
    assert client.post(consultation.url, VALID, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 303
    assert client.post(consultation.url, VALID, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 429
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert client.post(consultation.url, VALID, HTTP_X_FORWARDED_FOR="198.51.100.3", **proxy).status_code == 303
    assert client.post(consultation.url, VALID, HTTP_X_FORWARDED_FOR="198.51.100.4", **proxy).status_code == 303
    forged = "203.0.113.99, 198.51.100.4"  # the client's own entry, then what the proxy saw
    assert client.post(consultation.url, VALID, HTTP_X_FORWARDED_FOR=forged, **proxy).status_code == 429
    assert stored() == 3


def test_every_input_carries_its_maximum_length(client, consultation):
    html = client.get(consultation.url).content.decode()
    assert 'maxlength="5000"' in html[html.index('name="opinion"') - 300 : html.index('name="opinion"') + 300]
    assert 'maxlength="255"' in html[html.index('name="titulo"') - 50 : html.index('name="titulo"') + 300]
    assert 'max="1000000000000"' in html[html.index('name="edad"') - 50 : html.index('name="edad"') + 300]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("opinion", "a" * 5001, abuse.MAX_LENGTH_MESSAGE % {"limit": 5000, "length": 5001}),
        ("titulo", "a" * 256, abuse.MAX_LENGTH_MESSAGE % {"limit": 255, "length": 256}),
        ("correo", "a" * 490 + "@example.org", abuse.MAX_LENGTH_MESSAGE % {"limit": 320, "length": 502}),
        ("edad", "1e20", abuse.NUMBER_TOO_LARGE_MESSAGE % {"limit_value": abuse.NUMBER_LIMIT}),
        ("edad", "-1e20", abuse.NUMBER_TOO_SMALL_MESSAGE % {"limit_value": -abuse.NUMBER_LIMIT}),
        ("temas", ["Luz", "Luz", "Bancas", "Árboles"], abuse.MAX_CHOICES_MESSAGE % {"limit": 3}),
    ],
)
def test_over_long_answers_and_huge_numbers_get_an_error_on_their_field(client, consultation, name, value, message):
    from django.utils import translation
    from django.utils.html import escape

    response = client.post(consultation.url, {**VALID, name: value})
    assert response.status_code == 200
    with translation.override("es"):
        assert escape(str(message)) in field_error(response.content.decode(), name)
    assert stored() == 0


def test_answers_at_the_limit_are_accepted(client, consultation):
    response = client.post(
        consultation.url, {**VALID, "opinion": "ñ" * 5000, "titulo": "a" * 255, "edad": "999999999999"}
    )
    assert response.status_code == 303
    assert stored() == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("edad", "treinta"),
        ("edad", "NaN"),
        ("edad", "Infinity"),
        ("edad", "1e999999999"),
        ("fecha", "2026-02-30"),
        ("fecha", "ayer"),
        ("fecha", "99999-01-01"),
        ("cuando", "2026-11-20 25:00"),
        ("correo", "no es un correo"),
        ("web", "javascript:alert(1)"),
        ("zona", "Este"),
        ("prioridad", "<script>"),
        ("temas", ["Luz", "Playa"]),
        ("varios", ["A", "A", "A"]),
        ("opinion", "hola\x00mundo"),
        ("titulo", "\x00"),
        ("zona", "Norte\x00"),
    ],
)
def test_wrong_types_unknown_choices_and_nul_bytes_get_an_error_on_their_field(client, consultation, name, value):
    response = client.post(consultation.url, {**VALID, name: value})
    assert response.status_code == 200
    assert field_error(response.content.decode(), name)
    assert stored() == 0


def test_odd_unicode_is_stored_as_sent(client, consultation):
    """Emoji, right-to-left marks, combining accents, control and private-use characters are
    kept (PostgreSQL stores them all; only NUL, refused above, is not)."""
    from participation.models import Submission

    text = "🙂 Jallalla\u200f ñ\u0303 \u202etxet\u202c \x07\x1f \ue000 \uffff 𝔸"
    assert client.post(consultation.url, {**VALID, "opinion": text}).status_code == 303
    assert Submission.objects.get().form_data["opinion"] == text


def test_bytes_that_are_not_utf8_are_replaced_not_a_server_error(client, consultation):
    from urllib.parse import urlencode

    from participation.models import Submission

    body = urlencode({**VALID, "opinion": "x"}, doseq=True).replace("opinion=x", "opinion=%FF%FE%ED%A0%80caf%E9")
    response = client.post(consultation.url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 303
    assert Submission.objects.get().form_data["opinion"].endswith("caf\ufffd")
    # An unknown charset is ignored (UTF-8 is read), not an error.
    response = client.generic(
        "POST", consultation.url, body, content_type="application/x-www-form-urlencoded; charset=klingon"
    )
    assert response.status_code == 303


def test_oversized_and_malformed_bodies_get_a_400_and_store_nothing(settings, consultation):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    client = BrowserFormClient(raise_request_exception=False)
    assert client.post(consultation.url, {**VALID, "opinion": "x" * 5000}).status_code == 400
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    assert client.post(consultation.url, {**VALID, "temas": ["Luz"] * 60}).status_code == 400
    broken = "--nope\r\nContent-Disposition: form-data; name=opinion\r\n\r\nhola"
    response = client.post(consultation.url, broken, content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    assert stored() == 0


def test_the_form_sent_without_its_token_gets_the_expired_page_and_nothing_is_stored(consultation):
    client = BrowserFormClient(enforce_csrf_checks=True)
    response = client.post(consultation.url, VALID)
    assert response.status_code == 403
    assert "csrf_failure.html" in [t.name for t in response.templates]
    assert spanish("Your answers were not sent: the form had been open too long, or it could not be checked.") in (
        response.content.decode()
    )
    assert stored() == 0
    # The same form sent with the token of the page the resident opened is taken.
    html = client.get(consultation.url).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert client.post(consultation.url, {**VALID, "csrfmiddlewaretoken": token}).status_code == 303
    assert stored() == 1


def test_a_feedback_about_a_page_that_is_not_a_number_or_too_big_is_refused_not_a_server_error(client, barrio):
    form = factories.feedback_form(barrio)
    for about in ("99999999999999999999999", "1\x00", "-1", "abc"):
        response = client.post(form.url, {"opinion": "Bien", "about": about})
        assert response.status_code == 400
    assert stored() == 0


def test_embedded_feedback_robots_are_sent_back_like_residents_and_the_limit_keeps_the_answer(settings, client, barrio):
    import re

    settings.PARTICIPATION_RATE_LIMIT = "1/600"
    form = factories.feedback_form(barrio)
    factories.embed_feedback(barrio, form)
    honest = client.post(form.url, {"opinion": "Falta luz", "about": barrio.pk})
    robot = client.post(form.url, {"opinion": "Falta luz", "about": barrio.pk, abuse.HONEYPOT_FIELD: "x"})
    assert honest.status_code == robot.status_code == 302
    assert honest["Location"] == robot["Location"]
    assert stored() == 1
    # Past the limit: the form's page with the answer and the page it was about kept.
    response = client.post(form.url, {"opinion": "Sigue faltando luz", "about": barrio.pk})
    html = response.content.decode()
    assert response.status_code == 429
    assert re.search(r">\s*Sigue faltando luz</textarea>", html)
    assert f'name="about" value="{barrio.pk}"' in html
    assert stored() == 1
