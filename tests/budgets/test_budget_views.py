"""The budget pages of the city, a submunicipality and a neighbourhood (their ``presupuesto/`` route).

Totals, execution rate, the breakdown by category in the reader's language, the year switch,
accessible SVG charts with their data tables, the areas side by side with sort links, and a
fixed number of queries however many lines there are.
"""

import re
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale

import pytest

from tests import factories
from works.models import WorkCategory

pytestmark = pytest.mark.django_db

# Measured when written: 21 for a Spanish neighbourhood or submunicipality, 28–29 under /en/
# (routing through the English aliases and the localized header add 7, the works' English
# versions 1), 17 for the city.
BUDGET_QUERIES = 29


def budget_url(page, year=None, **params):
    url = page.url + "presupuesto/"
    query = {"anio": year, **params} if year else params
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def line(area, year, category, allocated, executed, **fields):
    return factories.budget_line(
        area,
        fiscal_year=year,
        category=category,
        amount_allocated=Decimal(allocated),
        amount_executed=Decimal(executed),
        **fields,
    )


@pytest.fixture
def city():
    roads = factories.category("Vías", code="roads")
    water = factories.category("Agua y saneamiento", code="water")
    area = factories.submunicipality("Cotahuma")
    sopocachi = factories.neighborhood(area, "Sopocachi", population=1000)
    other = factories.neighborhood(area, "Tembladerani", population=4000)
    line(sopocachi, 2026, roads, "300000.00", "150000.00", code="PRE-2026-0001")
    line(sopocachi, 2026, water, "100000.00", "100000.00", code="PRE-2026-0002")
    line(other, 2026, roads, "200000.00", "20000.00", code="PRE-2026-0003")
    line(area, 2026, water, "50000.00", "0.00", code="PRE-2026-0004")
    line(sopocachi, 2025, roads, "80000.00", "80000.00", code="PRE-2025-0001")
    return {"area": area, "sopocachi": sopocachi, "other": other, "roads": roads, "water": water}


def test_a_neighbourhood_budget_shows_totals_rate_categories_and_lines_of_the_latest_year(client, city):
    page = html(client, budget_url(city["sopocachi"]))

    assert "&nbsp;400.000,00" in page  # allocated in 2026
    assert "&nbsp;250.000,00" in page  # executed in 2026
    assert "62,5 %" in page  # execution rate
    assert "PRE-2026-0001" in page and "PRE-2026-0002" in page
    assert "PRE-2025-0001" not in page  # another year
    assert "PRE-2026-0003" not in page  # another neighbourhood
    assert "Vías" in page and "Agua y saneamiento" in page


def test_the_year_can_be_chosen_and_every_year_is_linked(client, city):
    page = html(client, budget_url(city["sopocachi"], 2025))
    assert "PRE-2025-0001" in page and "PRE-2026-0001" not in page
    assert "&nbsp;80.000,00" in page and "100,0 %" in page
    assert '<a href="?anio=2026">2026</a>' in page
    assert 'aria-current="page"><strong>2025</strong>' in page

    empty = html(client, budget_url(city["sopocachi"], 2019))
    assert "No budget lines have been published for 2019." in empty or "2019" in empty


def test_a_submunicipality_budget_adds_up_its_neighbourhoods_and_its_own_lines(client, city):
    page = html(client, budget_url(city["area"]))
    assert "&nbsp;650.000,00" in page  # 300 + 100 + 200 + 50 thousand
    assert "&nbsp;270.000,00" in page
    assert "PRE-2026-0004" in page


def test_the_city_budget_adds_up_every_area(client, city):
    page = html(client, budget_url(factories.home_page()))
    assert "&nbsp;650.000,00" in page
    assert "Cotahuma" in page


def test_charts_are_accessible_svg_with_a_title_a_description_and_a_table(client, city):
    page = html(client, budget_url(city["sopocachi"]))
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", page, flags=re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg
        labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
        assert re.search(rf'<title id="{labelled_by[0]}">[^<]+</title>', svg)
        assert re.search(rf'<desc id="{labelled_by[1]}">[^<]+</desc>', svg)
        assert "<rect" in svg
    assert page.count('<table class="data-table') >= 3  # categories, years, lines
    assert "<script" not in page


def english(page):
    """The English version of ``page`` (an alias, as the portal makes for untranslated pages)."""
    locale = Locale.objects.get(language_code="en")
    return page.get_translation_or_none(locale) or page.copy_for_translation(locale, copy_parents=True, alias=True)


def test_categories_are_named_in_the_readers_language_falling_back_to_spanish(client, city):
    WorkCategory.objects.create(
        name="Roads",
        code="roads",
        locale=Locale.objects.get(language_code="en"),
        translation_key=city["roads"].translation_key,
    )

    page = html(client, budget_url(english(city["sopocachi"])))
    assert page.startswith('<!DOCTYPE html>\n<html lang="en"')
    assert "Roads" in page  # translated
    assert "Agua y saneamiento" in page  # not translated: Spanish


def test_neighbourhoods_are_side_by_side_and_sortable_without_javascript(client, city):
    page = html(client, budget_url(city["area"], 2026))
    for key in ("nombre", "asignado", "ejecutado", "tasa", "por_habitante"):
        assert f'href="?anio=2026&amp;orden={key}#comparison-heading"' in page

    by_name = html(client, budget_url(city["area"], 2026, orden="nombre"))
    assert by_name.index(">Sopocachi</a>") < by_name.index(">Tembladerani</a>")
    by_rate = html(client, budget_url(city["area"], 2026, orden="tasa"))
    assert by_rate.index(">Sopocachi</a>") < by_rate.index(">Tembladerani</a>")  # 62.5 % before 10 %
    by_resident = html(client, budget_url(city["area"], 2026, orden="por_habitante"))
    assert "&nbsp;400,00" in by_resident  # Sopocachi: 400 000 / 1000 residents
    assert "&nbsp;50,00" in by_resident  # Tembladerani: 200 000 / 4000
    assert by_resident.index(">Sopocachi</a>") < by_resident.index(">Tembladerani</a>")
    by_allocated = html(client, budget_url(city["area"], 2026, orden="asignado"))
    assert 'aria-sort="descending"' in by_allocated


def test_lines_link_only_to_published_works(client, city):
    from works.models import PublicWorkPage

    published = factories.work(city["sopocachi"], "Graderías publicadas")
    draft = PublicWorkPage(
        title="Obra en borrador", project_code="OB-B-1", category=city["roads"], budget=Decimal("1"), live=False
    )
    city["sopocachi"].add_child(instance=draft)
    line(city["sopocachi"], 2026, city["roads"], "10.00", "0.00", work=published)
    line(city["sopocachi"], 2026, city["roads"], "10.00", "0.00", work=draft)

    page = html(client, budget_url(city["sopocachi"]))
    assert f'href="{published.url}"' in page
    assert "Obra en borrador" not in page


def test_area_pages_link_to_their_budget(client, city):
    assert budget_url(city["sopocachi"]) in html(client, city["sopocachi"].url)
    assert budget_url(city["area"]) in html(client, city["area"].url)


def count_queries(client, url):
    client.get(url)  # warm the site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_budget_pages_run_as_many_queries_for_many_lines_as_for_few(client, city, django_assert_max_num_queries):
    small = factories.neighborhood(city["area"], "Pocas líneas", population=10)
    large = factories.neighborhood(city["area"], "Muchas líneas", population=10)
    line(small, 2026, city["roads"], "10.00", "5.00", work=factories.work(small))
    categories = [factories.category(f"Categoría {i}") for i in range(10)]
    works = [factories.work(large) for _ in range(5)]
    for i in range(150):
        line(large, 2026, categories[i % 10], "10.00", "5.00", work=works[i % 5])

    assert count_queries(client, budget_url(small)) == count_queries(client, budget_url(large))
    english_small = budget_url(english(small))
    english_large = budget_url(english(large))
    assert count_queries(client, english_small) == count_queries(client, english_large)
    for url in (budget_url(large), english_large, budget_url(city["area"]), budget_url(factories.home_page())):
        client.get(url)
        with django_assert_max_num_queries(BUDGET_QUERIES):
            assert client.get(url).status_code == 200
