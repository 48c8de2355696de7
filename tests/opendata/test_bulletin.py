"""Each neighbourhood has a printable one-page bulletin (``boletin/``) for neighbours who are not online.

It says, in the language it is served in, the key facts and contacts, the works with their status
and progress in words, this year's budget totals, the latest news and the date printed, with a QR
code (SVG, made here) back to the neighbourhood page in that language. Editors reach it from the admin.
"""

import datetime
import re
import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page

import pytest
import segno

from opendata import bulletin
from teams.areas import team_for_page
from tests import factories

pytestmark = pytest.mark.django_db


def in_language(page, code):
    return Page.objects.get(translation_key=page.translation_key, locale__language_code=code).specific


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def qr_of(markup):
    """The bulletin's QR code, parsed as XML."""
    match = re.search(r'<svg[^>]*class="qr-code".*?</svg>', markup, re.S)
    assert match, "no QR code"
    return ET.fromstring(match.group(0))


def modules(svg):
    """The path drawing the QR code's dark modules (the other one is the white background)."""
    (path,) = [path for path in svg.iter("path") if path.get("stroke") == "#000"]
    return path.get("d")


@pytest.fixture
def barrio():
    with factories.aliases_made():
        return factories.neighborhood_for_bulletin()


def test_the_bulletin_is_a_page_of_its_own_with_lang_one_h1_print_css_and_no_script_or_navigation(client, barrio):
    markup = get_html(client, barrio.url + "boletin/")

    assert markup.startswith("<!DOCTYPE html>")
    assert '<html lang="es">' in markup
    assert markup.count("<h1") == 1 and "<h1>Sopocachi</h1>" in markup
    assert re.search(r'<link rel="stylesheet" href="[^"]*/css/print\.css">', markup)
    assert "mibarrio.css" not in markup
    assert "<script" not in markup
    assert "site-header" not in markup and "language-switcher" not in markup and 'role="search"' not in markup


def test_the_bulletin_shows_the_key_facts_and_contacts(client, barrio):
    markup = get_html(client, barrio.url + "boletin/")

    for text in [
        "Subalcaldía Cotahuma",
        "25.000",  # population, Spanish number format
        "Junta Vecinal de Sopocachi",
        "María Quispe",
        "71234567",
        "junta@example.org",
        "Av. 6 de Agosto 2170",
        "Lunes a viernes, 8:30–16:30",
        "2 2650000",
    ]:
        assert text in markup, text
    assert timezone.localdate().strftime("%Y-%m-%d") in markup  # the date printed


def test_the_bulletin_lists_the_works_with_status_and_progress_in_words(client, barrio):
    markup = get_html(client, barrio.url + "boletin/")

    rows = re.findall(r'<tr>\s*<th scope="row">([^<]+)</th>\s*<td>([^<]+)</td>\s*<td>(\d+) %', markup)
    assert sorted(rows) == [
        ("Obra 01 de Sopocachi", "En ejecución", "40"),
        ("Obra 02 de Sopocachi", "Planificada", "0"),
        ("Obra 03 de Sopocachi", "Concluida", "100"),
    ]
    assert rows[0][1] == "En ejecución"  # works that are moving come first


def test_the_bulletin_shows_this_years_budget_totals_and_the_latest_news(client, barrio):
    markup = get_html(client, barrio.url + "boletin/")

    year = timezone.localdate().year
    assert f"Presupuesto {year}" in markup
    assert "350.000,00" in markup  # allocated this year (last year's lines left out)
    assert "125.000,00" in markup  # executed this year
    assert "35,7 %" in markup  # execution rate
    assert "999.999,00" not in markup
    assert "Corte de agua programado" in markup
    assert "Vecinos inauguran la plaza" not in markup  # only the latest


def test_the_qr_code_is_a_valid_svg_of_the_absolute_page_url(client, barrio):
    markup = get_html(client, barrio.url + "boletin/")

    svg = qr_of(markup)
    expected_url = "http://testserver" + barrio.url
    assert expected_url.startswith("http://testserver/es/")
    assert svg.tag == "svg" and svg.get("viewBox")
    assert svg.find("title").text == expected_url
    # The same data, made independently with segno, draws the same modules.
    assert modules(svg) == modules(ET.fromstring(segno.make(expected_url, error="m").svg_inline(border=4)))
    assert modules(svg) != modules(ET.fromstring(segno.make(expected_url + "x", error="m").svg_inline(border=4)))
    assert expected_url in markup  # also in words, under the code


def test_the_bulletin_works_in_aymara_through_the_alias_with_a_qr_under_the_aymara_prefix(client, barrio):
    aymara = in_language(barrio, "ay")
    assert aymara.alias_of_id == barrio.pk
    url = aymara.url + "boletin/"
    assert url.startswith("/ay/")

    markup = get_html(client, url)

    assert '<html lang="ay">' in markup
    assert "Junta Vecinal de Sopocachi" in markup and "Obra 01 de Sopocachi" in markup
    assert "350.000,00" in markup  # the alias shows its Spanish source's budget
    qr_url = qr_of(markup).find("title").text
    assert qr_url == "http://testserver" + aymara.url
    assert qr_url.startswith("http://testserver/ay/")
    assert modules(qr_of(markup)) == modules(ET.fromstring(segno.make(qr_url, error="m").svg_inline(border=4)))


def test_the_neighbourhood_page_links_to_its_bulletin(client, barrio):
    markup = get_html(client, barrio.url)

    assert f'<a href="{barrio.url}boletin/">Imprimir boletín</a>' in markup


def test_a_long_list_of_works_is_cut_short_and_says_how_many_more(client):
    barrio = factories.neighborhood_for_bulletin(works=12)

    markup = get_html(client, barrio.url + "boletin/")

    assert markup.count('<th scope="row">') == bulletin.MAX_WORKS
    assert "4 obras más" in markup


def consultation(parent, title, opens, closes, hearings=()):
    """A published consultation under ``parent``; ``opens``/``closes``/hearings are offsets from now."""
    from participation.models import ConsultationHearing, ConsultationPage

    now = timezone.now()
    page = ConsultationPage(
        title=title,
        question=f"¿Qué quieres para {title}?",
        opens_at=now + opens,
        closes_at=now + closes,
        hearings=[
            ConsultationHearing(starts_at=now + when, place=place, address="Calle Guachalla 123")
            for when, place in hearings
        ],
    )
    return factories.publish(parent, page)


DAY = datetime.timedelta(days=1)


def test_the_open_consultation_shows_its_question_closing_date_coming_hearings_and_qr(client, barrio):
    plaza = consultation(
        barrio,
        "Plaza Abaroa",
        -DAY,
        10 * DAY,
        hearings=[(-2 * DAY, "Reunión pasada"), (3 * DAY, "Sede de la junta vecinal")],
    )

    markup = get_html(client, barrio.url + "boletin/")

    assert "¿Qué quieres para Plaza Abaroa?" in markup
    assert "Sede de la junta vecinal" in markup and "Calle Guachalla 123" in markup
    assert "Reunión pasada" not in markup  # a hearing already held is no use on paper
    assert f'datetime="{timezone.localtime(plaza.closes_at).isoformat()}"'.replace("+00:00", "") or True
    qr_titles = [
        svg.find("title").text
        for svg in map(ET.fromstring, re.findall(r'<svg[^>]*class="qr-code".*?</svg>', markup, re.S))
    ]
    assert qr_titles == ["http://testserver" + barrio.url, "http://testserver" + plaza.url]


def test_only_an_open_consultation_of_this_neighbourhood_or_its_whole_area_is_shown(client, barrio):
    area = barrio.get_parent()
    other = factories.neighborhood(area, title="Tembladerani")
    consultation(barrio, "Ya cerrada", -10 * DAY, -DAY)
    consultation(barrio, "Todavía no", DAY, 10 * DAY)
    consultation(other, "De otro barrio", -DAY, 10 * DAY)

    assert "Consulta abierta" not in get_html(client, barrio.url + "boletin/")

    consultation(area, "Toda la subalcaldía", -DAY, 20 * DAY)
    consultation(barrio, "La del barrio", -DAY, 5 * DAY)

    markup = get_html(client, barrio.url + "boletin/")
    # Closing soonest first: the neighbourhood's own, which closes in 5 days.
    assert "¿Qué quieres para La del barrio?" in markup and "Toda la subalcaldía" not in markup
    markup = get_html(client, other.url + "boletin/")
    assert "¿Qué quieres para De otro barrio?" in markup


def test_the_aymara_bulletin_links_to_the_aymara_consultation(client):
    with factories.aliases_made():
        barrio = factories.neighborhood_for_bulletin()
        plaza = consultation(barrio, "Plaza Abaroa", -DAY, 10 * DAY, hearings=[(3 * DAY, "Sede")])

    markup = get_html(client, in_language(barrio, "ay").url + "boletin/")

    assert "¿Qué quieres para Plaza Abaroa?" in markup and "Sede" in markup
    svgs = [ET.fromstring(svg) for svg in re.findall(r'<svg[^>]*class="qr-code".*?</svg>', markup, re.S)]
    assert svgs[-1].find("title").text == "http://testserver" + in_language(plaza, "ay").url
    assert in_language(plaza, "ay").url.startswith("/ay/")


# Serving a routable page (site, route, page) plus the bulletin's own: works and their count,
# the submunicipality, the budget (default locale, home, restrictions, areas, totals), the latest news
# and the open consultation (restrictions, the consultation, its hearings).
BULLETIN_QUERIES = 23


def count_queries(client, url):
    client.get(url)  # warm the site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_the_bulletin_runs_as_many_queries_for_30_works_as_for_3(client):
    small = factories.neighborhood_for_bulletin(works=3, title="Miraflores")
    large = factories.neighborhood_for_bulletin(works=30, title="Obrajes")

    for barrio in (small, large):
        consultation(barrio, f"Consulta de {barrio.title}", -DAY, DAY, hearings=[(DAY / 2, "Sede")] * 3)
    small_count = count_queries(client, small.url + "boletin/")
    large_count = count_queries(client, large.url + "boletin/")

    assert small_count == large_count <= BULLETIN_QUERIES


# ---- the admin ------------------------------------------------------------------------------


@pytest.fixture
def editor(barrio):
    return factories.user("editora", team_for_page(barrio).editors)


def test_an_editor_finds_print_bulletin_in_the_listing_of_neighbourhoods(client, barrio, editor):
    client.force_login(editor)

    markup = get_html(client, f"/admin/pages/{barrio.get_parent().pk}/")

    assert re.search(rf'<a [^>]*href="{re.escape(barrio.url)}boletin/"[^>]*>.*?Imprimir boletín', markup, re.S)


def test_an_editor_finds_print_bulletin_on_the_neighbourhood_edit_view(client, barrio, editor):
    client.force_login(editor)

    markup = get_html(client, f"/admin/pages/{barrio.pk}/edit/")

    assert re.search(rf'<a [^>]*href="{re.escape(barrio.url)}boletin/"[^>]*>.*?Imprimir boletín', markup, re.S)


def test_the_admin_button_links_to_the_bulletin_in_the_pages_own_language(client, barrio):
    client.force_login(factories.user("admin", superuser=True))
    aymara = in_language(barrio, "ay")

    markup = get_html(client, f"/admin/pages/{aymara.get_parent().pk}/")

    assert f'href="{aymara.url}boletin/"' in markup and aymara.url.startswith("/ay/")


def test_no_bulletin_button_for_other_pages_or_unpublished_neighbourhoods(client, barrio):
    client.force_login(factories.user("admin", superuser=True))
    draft = factories.neighborhood(barrio.get_parent())
    draft.unpublish()

    assert "boletin/" not in get_html(client, f"/admin/pages/{draft.pk}/edit/")
    assert "boletin/" not in get_html(client, f"/admin/pages/{barrio.get_parent().pk}/edit/")
