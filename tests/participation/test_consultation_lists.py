"""Residents find the consultations of their area on the home, submunicipality and neighbourhood
pages: open ones first (closing soonest), then upcoming ones, then recently closed ones with their
results; in the reader's language, never drafts or private ones, in a fixed number of queries."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

import pytest

from participation.models import ConsultationPage
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def consultation(parent, title, opens, closes, live=True):
    now = timezone.now()
    page = ConsultationPage(title=title, question=f"¿{title}?", opens_at=now + opens, closes_at=now + closes)
    if not live:
        page.live = False
        parent.add_child(instance=page)
        page.save_revision()
        return page
    return factories.publish(parent, page)


def section(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    start = body.index('id="consultas"')
    return body[start : body.index("</section>", start)]


@pytest.fixture
def city():
    with factories.aliases_made():
        area = factories.submunicipality(title="Subalcaldía Centro")
        barrio = factories.neighborhood(area, title="San Pedro")
        other = factories.neighborhood(area, title="Miraflores")
        consultation(barrio, "Plaza San Pedro", -DAY, 3 * DAY)
        consultation(barrio, "Mercado Rodríguez", -2 * DAY, 30 * DAY)
        consultation(barrio, "Alumbrado", 5 * DAY, 20 * DAY)
        consultation(barrio, "Baños públicos", -40 * DAY, -10 * DAY)
        consultation(barrio, "Muy antigua", -400 * DAY, -300 * DAY)
        consultation(barrio, "Borrador", -DAY, 3 * DAY, live=False)
        consultation(other, "Cancha de Miraflores", -DAY, 3 * DAY)
        consultation(area, "Presupuesto participativo", -DAY, 10 * DAY)
    return {"area": area, "barrio": barrio, "other": other}


def test_a_neighbourhood_lists_its_open_upcoming_and_recently_closed_consultations_in_order(client, city):
    html = section(client, city["barrio"].url)

    assert html.index("Plaza San Pedro") < html.index("Mercado Rodríguez")  # closing soonest first
    assert html.index("Mercado Rodríguez") < html.index("Alumbrado") < html.index("Baños públicos")
    assert "¿Plaza San Pedro?" in html  # the question of an open one
    assert "Próximamente" in html and "Cerradas: lo que escuchamos" in html
    for absent in ("Muy antigua", "Borrador", "Cancha de Miraflores", "Presupuesto participativo"):
        assert absent not in html


def test_a_submunicipality_and_the_home_page_gather_their_areas_consultations(client, city):
    area_html = section(client, city["area"].url)
    home_html = section(client, factories.home_page().url)
    for html in (area_html, home_html):
        for title in ("Plaza San Pedro", "Cancha de Miraflores", "Presupuesto participativo"):
            assert title in html
        assert "Borrador" not in html


def test_private_consultations_are_not_listed_even_through_their_aliases(client, city):
    private = ConsultationPage.objects.get(title="Plaza San Pedro", locale__language_code="es")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    barrio_ay = Page.objects.get(translation_key=city["barrio"].translation_key, locale__language_code="ay")

    assert "Plaza San Pedro" not in section(client, city["barrio"].url)
    html = section(client, barrio_ay.url)
    assert "Plaza San Pedro" not in html and "Mercado Rodríguez" in html
    assert "/ay/" in html  # links lead to the Aymara versions


def test_an_area_without_consultations_says_so(client):
    barrio = factories.neighborhood(title="Alto Obrajes")
    assert "No hay consultas aquí por ahora." in section(client, barrio.url)


def test_listing_consultations_costs_the_same_queries_for_2_as_for_12(client):
    def area_with(count):
        barrio = factories.neighborhood()
        for i in range(count):
            consultation(barrio, f"Consulta {i}", -DAY, (i + 1) * DAY)
        return barrio

    small, large = area_with(2), area_with(12)
    counts = []
    for barrio in (small, large):
        client.get(barrio.url)
        with CaptureQueriesContext(connection) as queries:
            client.get(barrio.url)
        counts.append(len(queries))
    assert counts[0] == counts[1]
