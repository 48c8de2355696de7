"""Bad input never gives a 500: a generated table of hostile values, sent to every public
parameter (search and its filters, works filters, budget years, orders and pages, open-data
files, map queries, feeds, the API) and to every public form, as a script would.

Each value goes into each parameter of each address, alone; then a few whole hostile requests
(raw bytes that are not UTF-8, a form body in UTF-16, a file upload, an oversized body). Every
answer must be below 500. The number of requests is printed (``pytest -s``).
"""

from decimal import Decimal
from urllib.parse import quote

import pytest

from tests import factories
from tests.clients import BrowserFormClient

pytestmark = pytest.mark.django_db

#: Values a script would try: control characters, huge and odd numbers, long and foreign text,
#: markup, SQL, paths, encodings.
HOSTILE = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "9" * 40,
    "-1",
    "0",
    "1e309",
    "NaN",
    "-0.0",
    "１２３",
    "٣",
    "'; DROP TABLE wagtailcore_page; --",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    "%",
    "%%00",
    "😀" * 50,
    "x" * 5000,
    " ",
    "[]",
    "{}",
]

#: Raw query strings that no encoder would write (invalid UTF-8, half escapes).
RAW_QUERIES = ["%ff%fe", "%c0%af", "%", "%zz", "=&=&&", "q", "q=%ed%a0%80"]


@pytest.fixture
def addresses():
    """A small city, and every public address with the parameters it reads."""
    with factories.aliases_made():
        area = factories.submunicipality(title="Zona Fuzz")
        barrio = factories.neighborhood(area, title="Barrio Fuzz", boundary=factories.SQUARE)
        work = factories.work(barrio, title="Obra Fuzz")
        news = factories.news(barrio, title="Noticia Fuzz")
        consultation = factories.consultation(barrio, title="Consulta Fuzz")
        feedback = factories.feedback_form(barrio, title="Opinión Fuzz")
    factories.budget_line(barrio, fiscal_year=2026, amount_allocated=Decimal("10.00"))
    home = barrio.get_parent().get_parent()
    get = {
        "/es/search/": ["q", "tipo", "area", "categoria", "page"],
        "/ay/search/": ["q", "tipo", "area", "categoria", "page"],
        barrio.url: ["estado", "categoria"],
        f"{barrio.url}presupuesto/": ["anio", "orden", "pagina"],
        f"{area.url}presupuesto/": ["anio", "orden", "pagina"],
        f"{home.url}presupuesto/": ["anio", "orden", "pagina"],
        f"{barrio.url}boletin/": ["anio"],
        f"{barrio.url}feed/rss/": ["page"],
        "/es/datos/ciudad/obras.csv": ["anio"],
        "/es/datos/ciudad/presupuesto.json": ["anio"],
        f"/es/datos/barrio/{barrio.pk}/presupuesto.csv": ["anio"],
        "/es/mapa/donde/": ["lat", "lon"],
        f"/es/mapa/{barrio.pk}/geojson/": ["lat"],
        work.url: [consultation.url and "gracias"],
        news.url: ["gracias"],
        consultation.url: ["gracias", "about"],
        "/api/v2/pages/": [
            "offset", "limit", "search", "search_operator", "locale", "type", "fields", "order",
            "child_of", "descendant_of", "id", "title",
        ],
        "/api/v2/pages/find/": ["html_path"],
        "/api/v2/images/": ["offset", "limit", "search", "fields", "order"],
        "/api/v2/documents/": ["offset", "limit", "search", "fields"],
        "/sitemap.xml": ["p"],
    }  # fmt: skip
    paths = [
        "/es/datos/barrio/99999999999999999999/obras.csv",
        "/es/mapa/99999999999999999999/geojson/",
        "/api/v2/pages/99999999999999999999/",
        "/es/%00/",
        "/es/search%00/",
    ]
    forms = {consultation.url: ["opinion", "prioridad", "nombre"], feedback.url: ["opinion", "about"]}
    return {"get": get, "paths": paths, "forms": forms, "about": work.pk}


def test_no_hostile_value_in_any_public_parameter_or_form_gives_a_500(addresses, capsys):
    client = BrowserFormClient(raise_request_exception=False)
    sent, failures = 0, []

    def check(response, what):
        nonlocal sent
        sent += 1
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {what}")

    for url, parameters in addresses["get"].items():
        for parameter in parameters:
            for value in HOSTILE:
                check(client.get(url, {parameter: value}), f"GET {url} {parameter}={value[:20]!r}")
        for raw in RAW_QUERIES:
            check(client.get(f"{url}?{raw}"), f"GET {url}?{raw}")
    for path in addresses["paths"]:
        check(client.get(path), f"GET {path}")
    for url, fields in addresses["forms"].items():
        base = dict.fromkeys(fields, "Respuesta") | {"about": str(addresses["about"])}
        for field in fields:
            for value in HOSTILE:
                check(client.post(url, {**base, field: value}), f"POST {url} {field}={value[:20]!r}")
        body = "&".join(f"{quote(key)}={quote(value)}" for key, value in base.items())
        for content_type, data in (
            ("application/x-www-form-urlencoded; charset=utf-16", body.encode("utf-16")),
            ("application/x-www-form-urlencoded; charset=nonsense", body.encode()),
            ("application/x-www-form-urlencoded", b"opinion=%ff%fe&about=%c0"),
            ("application/x-www-form-urlencoded", b"opinion=" + b"a" * (2 * 1024 * 1024)),
            ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=f; filename=a\r\n\r\nx\r\n--x--"),
            ("application/json", b'{"opinion": "x"}'),
            ("text/plain", b"\x00\xff"),
        ):  # fmt: skip
            check(client.generic("POST", url, data, content_type), f"POST {url} as {content_type[:40]}")
    with capsys.disabled():
        print(f"\n{sent} hostile requests, {len(failures)} answered 5xx")
    assert sent > 1400
    assert not failures, "\n".join(failures[:40])
